#include "admin/admin_backup_commands.h"

#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "admin/admin_output.h"
#include "backup/backup.h"

ABSL_FLAG(uint32_t, keep, 0, "backup purge: keep the newest N backups");
ABSL_FLAG(std::string, backup_dir, "", "restore: the server's backup folder");
ABSL_FLAG(std::string, backup_id, "", "restore: the backup to restore: an id or 'latest'");
ABSL_FLAG(std::string, data_dir, "", "restore: the server's data folder to restore into");
ABSL_FLAG(bool, force, false,
          "restore: restore over a non-empty data folder (the old one is kept aside)");

namespace kawal::admin {
namespace {

std::string FormatBackup(const v1::BackupInfo& b) {
  return absl::StrCat(
      "backup ", b.id(), "  ",
      absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixMillis(b.created_ms()),
                       absl::UTCTimeZone()),
      "  ", FormatBytes(b.size_bytes()), "  ", b.files(), " files  last sequence ", b.last_seq(),
      "  incarnation ", b.incarnation(), "\n");
}

absl::StatusOr<uint32_t> ParseId(const std::string& text) {
  uint32_t id = 0;
  if (!absl::SimpleAtoi(text, &id) || id == 0) {
    return absl::InvalidArgumentError(absl::StrCat("backup id \"", text, "\" is not a number > 0"));
  }
  return id;
}

}  // namespace

bool IsBackupCommand(const std::vector<std::string>& args) {
  return !args.empty() && (args[0] == "backup" || args[0] == "restore");
}

bool IsLocalCommand(const std::vector<std::string>& args) {
  return !args.empty() && args[0] == "restore";
}

absl::Status CheckBackupCommand(const std::vector<std::string>& args) {
  if (args[0] == "restore") {
    if (args.size() != 1) return absl::InvalidArgumentError("restore takes flags only");
    if (absl::GetFlag(FLAGS_backup_dir).empty() || absl::GetFlag(FLAGS_data_dir).empty() ||
        absl::GetFlag(FLAGS_backup_id).empty()) {
      return absl::InvalidArgumentError(
          "restore needs --backup_dir=DIR --backup_id=ID|latest --data_dir=DIR");
    }
    if (absl::GetFlag(FLAGS_backup_id) != "latest") {
      if (auto id = ParseId(absl::GetFlag(FLAGS_backup_id)); !id.ok()) return id.status();
    }
    return absl::OkStatus();
  }
  if (args.size() < 2) return absl::InvalidArgumentError("usage: backup create|list|verify ID|purge --keep=N");
  const std::string& verb = args[1];
  if ((verb == "create" || verb == "list") && args.size() == 2) return absl::OkStatus();
  if (verb == "verify" && args.size() == 3) return ParseId(args[2]).status();
  if (verb == "purge" && args.size() == 2) {
    if (absl::GetFlag(FLAGS_keep) == 0) return absl::InvalidArgumentError("backup purge needs --keep=N (N >= 1)");
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("usage: backup create|list|verify ID|purge --keep=N");
}

absl::Status RunBackupCommand(const std::vector<std::string>& args, AdminClient& client, bool json) {
  const std::string& verb = args[1];
  if (verb == "create") {
    v1::BackupInfo info;
    if (absl::Status s = client.CreateBackup(&info); !s.ok()) return s;
    std::fputs((json ? ToJson(info) : absl::StrCat("created ", FormatBackup(info))).c_str(), stdout);
    return absl::OkStatus();
  }
  if (verb == "list" || verb == "purge") {
    v1::ListBackupsResponse list;
    absl::Status s = verb == "list" ? client.ListBackups(&list)
                                    : client.PurgeBackups(absl::GetFlag(FLAGS_keep), &list);
    if (!s.ok()) return s;
    std::string text = absl::StrCat(list.backups_size(), " backups in ", list.backup_dir(), "\n");
    for (const auto& b : list.backups()) text += FormatBackup(b);
    std::fputs((json ? ToJson(list) : text).c_str(), stdout);
    return absl::OkStatus();
  }
  v1::VerifyBackupResponse verified;
  if (absl::Status s = client.VerifyBackup(*ParseId(args[2]), &verified); !s.ok()) return s;
  std::fputs((json ? ToJson(verified)
                   : absl::StrCat(verified.ok() ? "OK " : "DAMAGED ",
                                  FormatBackup(verified.backup()),
                                  verified.ok() ? "" : verified.problem() + "\n"))
                 .c_str(),
             stdout);
  if (!verified.ok()) {
    return absl::DataLossError(absl::StrCat("backup ", args[2], " is damaged: ", verified.problem()));
  }
  return absl::OkStatus();
}

absl::Status RunRestore(bool json) {
  const std::string id_text = absl::GetFlag(FLAGS_backup_id);
  uint32_t id = id_text == "latest" ? 0 : *ParseId(id_text);
  absl::StatusOr<server::RestoreResult> result =
      server::RestoreBackup(absl::GetFlag(FLAGS_backup_dir), id, absl::GetFlag(FLAGS_data_dir),
                            absl::GetFlag(FLAGS_force));
  if (!result.ok()) return result.status();
  std::string text = absl::StrCat(
      "restored backup ", result->backup_id, " into ", absl::GetFlag(FLAGS_data_dir),
      "\nnew incarnation ", result->new_incarnation, " (from ", result->parent_incarnation,
      " at sequence ", result->parent_seq, ")\n");
  if (!result->old_data_kept_at.empty()) {
    absl::StrAppend(&text, "the previous data was moved to ", result->old_data_kept_at, "\n");
  }
  absl::StrAppend(&text, "start kawal-server; devices re-send what the backup lacks on their next sync\n");
  if (json) {
    text = absl::StrCat("{\"backup_id\":", result->backup_id, ",\"new_incarnation\":\"",
                        result->new_incarnation, "\",\"parent_incarnation\":\"",
                        result->parent_incarnation, "\",\"parent_seq\":", result->parent_seq,
                        ",\"old_data_kept_at\":\"", result->old_data_kept_at, "\"}\n");
  }
  std::fputs(text.c_str(), stdout);
  return absl::OkStatus();
}

}  // namespace kawal::admin
