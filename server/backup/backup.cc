#include "backup/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kawal/storage/v1/storage.pb.h"
#include "kawal/sync/clock.h"
#include "rocksdb/env.h"
#include "rocksdb/utilities/backup_engine.h"
#include "backup/owner_only.h"
#include "base/server_log.h"
#include "store/storage_keys.h"
#include "kawal/common/random_id.h"
#include "kawal/common/rocks_status.h"

namespace kawal::server {
namespace {

// A restored database continues sequences far above anything its parent
// could have handed out after the backup, so old and new numbers never meet.
constexpr uint64_t kRestoreSequenceJump = uint64_t{1} << 32;

absl::Status BackupError(const rocksdb::IOStatus& s, const std::string& what) {
  std::string message = absl::StrCat(what, ": ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsIOError() && s.ToString().find("ermission") != std::string::npos) {
    return absl::PermissionDeniedError(message);
  }
  return absl::FailedPreconditionError(message);
}

// The backup engine on `dir`, for writing (create, purge) or reading.
absl::StatusOr<std::unique_ptr<rocksdb::BackupEngine>> OpenEngine(const std::string& dir) {
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(rocksdb::BackupEngineOptions(dir),
                                                    rocksdb::Env::Default(), &raw);
  if (!s.ok()) return BackupError(s, absl::StrCat("opening backup dir ", dir));
  return std::unique_ptr<rocksdb::BackupEngine>(raw);
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenReadOnlyEngine(
    const std::string& dir) {
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngineReadOnly::Open(rocksdb::BackupEngineOptions(dir),
                                                            rocksdb::Env::Default(), &raw);
  if (!s.ok()) return BackupError(s, absl::StrCat("opening backup dir ", dir));
  return std::unique_ptr<rocksdb::BackupEngineReadOnly>(raw);
}

v1::BackupInfo ToInfo(const rocksdb::BackupInfo& info) {
  v1::BackupInfo out;
  out.set_id(info.backup_id);
  out.set_created_ms(info.timestamp * 1000);
  out.set_size_bytes(info.size);
  out.set_files(info.number_files);
  storage::v1::BackupMetadata meta;
  if (meta.ParseFromString(info.app_metadata)) {
    out.set_last_seq(meta.last_seq());
    out.set_incarnation(meta.incarnation());
    if (meta.created_ms() != 0) out.set_created_ms(meta.created_ms());
  }
  return out;
}

absl::Status CheckBackupDir(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("backup dir ", dir, " does not exist"));
  }
  if (::access(dir.c_str(), R_OK | X_OK) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("backup dir ", dir, " is not readable by this user (permission denied)"));
  }
  return absl::OkStatus();
}

// True when another process holds RocksDB's lock on `data_dir`.
bool DataDirLocked(const std::string& data_dir) {
  const std::string lock = data_dir + "/LOCK";
  int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock f = {};
  f.l_type = F_WRLCK;
  f.l_whence = SEEK_SET;
  bool locked = ::fcntl(fd, F_GETLK, &f) == 0 && f.l_type != F_UNLCK;
  ::close(fd);
  return locked;
}

bool IsEmptyDir(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return true;
  return std::filesystem::is_directory(dir, ec) && std::filesystem::is_empty(dir, ec);
}

// Gives the restored database at `dir` a new incarnation whose lineage
// records its parent and the backup's last sequence.
absl::StatusOr<std::string> Rebirth(const std::string& dir,
                                    const storage::v1::BackupMetadata& meta) {
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(dir);
  if (!database.ok()) return database.status();
  const std::string incarnation = common::RandomHexId(16);
  storage::v1::Lineage lineage;
  kawal::v1::LineageStep* step = lineage.add_steps();
  step->set_incarnation(incarnation);
  step->set_parent_incarnation(meta.incarnation().empty() ? (*database)->incarnation()
                                                          : meta.incarnation());
  step->set_parent_seq(meta.last_seq());
  for (const auto& older : (*database)->lineage().steps()) *lineage.add_steps() = older;
  rocksdb::WriteBatch batch;
  batch.Put(MetaKey(kMetaIncarnation), incarnation);
  batch.Put(MetaKey(kMetaLineage), lineage.SerializeAsString());
  std::string reserved;
  AppendBigEndian64(&reserved, (*database)->reserved_at_open() + kRestoreSequenceJump);
  batch.Put(MetaKey(kMetaSeqReserved), reserved);
  rocksdb::Status s = (*database)->db()->Write((*database)->durable(), &batch);
  if (!s.ok()) return common::FromRocks(s, "writing the restored database's identity");
  if (absl::Status c = (*database)->Close(); !c.ok()) return c;
  return incarnation;
}

}  // namespace

BackupManager::BackupManager(Database* database, Sequencer* sequencer, std::string backup_dir)
    : database_(database), sequencer_(sequencer), backup_dir_(std::move(backup_dir)) {}

BackupManager::~BackupManager() { Stop(); }

absl::StatusOr<v1::BackupInfo> BackupManager::Create() {
  absl::MutexLock lock(&mu_);
  // 0700 before the engine writes, so no file is reachable by others even
  // while it still has the umask's mode; tightened one by one afterwards.
  if (absl::Status s = MakeOwnerOnlyDir(backup_dir_); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<rocksdb::BackupEngine>> engine = OpenEngine(backup_dir_);
  if (!engine.ok()) return engine.status();
  rocksdb::IOStatus s;
  storage::v1::BackupMetadata meta;
  meta.set_incarnation(database_->incarnation());
  // Everything up to the watermark is committed before the backup starts.
  meta.set_last_seq(sequencer_->Watermark());
  meta.set_created_ms(sync::SystemTimeMs());
  *meta.mutable_lineage() = database_->lineage().steps();
  rocksdb::CreateBackupOptions options;
  options.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  s = (*engine)->CreateNewBackupWithMetadata(options, database_->db(), meta.SerializeAsString(), &id);
  if (!s.ok()) return BackupError(s, "creating backup");
  if (absl::Status owner_only = RestrictTreeToOwner(backup_dir_); !owner_only.ok()) {
    return owner_only;
  }
  rocksdb::BackupInfo info;
  if (rocksdb::Status i = (*engine)->GetBackupInfo(id, &info); !i.ok()) {
    return common::FromRocks(i, "reading the new backup's info");
  }
  LogInfo(absl::StrCat("backup ", id, " created in ", backup_dir_, " (last sequence ",
                       meta.last_seq(), ")"));
  return ToInfo(info);
}

absl::StatusOr<std::vector<v1::BackupInfo>> BackupManager::List() {
  absl::MutexLock lock(&mu_);
  std::vector<v1::BackupInfo> out;
  std::error_code ec;
  if (!std::filesystem::exists(backup_dir_, ec)) return out;
  if (absl::Status d = CheckBackupDir(backup_dir_); !d.ok()) return d;
  absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> engine =
      OpenReadOnlyEngine(backup_dir_);
  if (!engine.ok()) return engine.status();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  for (const auto& info : infos) out.push_back(ToInfo(info));
  return out;
}

absl::StatusOr<v1::VerifyBackupResponse> BackupManager::Verify(uint32_t id) {
  absl::MutexLock lock(&mu_);
  if (absl::Status d = CheckBackupDir(backup_dir_); !d.ok()) return d;
  // A fresh read-only engine compares the files on disk with the sizes and
  // checksums recorded when the backup was made.
  absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> engine =
      OpenReadOnlyEngine(backup_dir_);
  if (!engine.ok()) return engine.status();
  rocksdb::IOStatus s;
  rocksdb::BackupInfo info;
  if (rocksdb::Status i = (*engine)->GetBackupInfo(id, &info); !i.ok()) {
    return absl::NotFoundError(absl::StrCat("no backup ", id, " in ", backup_dir_));
  }
  v1::VerifyBackupResponse response;
  *response.mutable_backup() = ToInfo(info);
  s = (*engine)->VerifyBackup(id, /*verify_with_checksum=*/true);
  response.set_ok(s.ok());
  if (!s.ok()) response.set_problem(s.ToString());
  return response;
}

absl::Status BackupManager::Purge(uint32_t keep) {
  absl::MutexLock lock(&mu_);
  if (keep == 0) return absl::InvalidArgumentError("--keep must be at least 1");
  absl::StatusOr<std::unique_ptr<rocksdb::BackupEngine>> engine = OpenEngine(backup_dir_);
  if (!engine.ok()) return engine.status();
  rocksdb::IOStatus s = (*engine)->PurgeOldBackups(keep);
  if (!s.ok()) return BackupError(s, "purging backups");
  return absl::OkStatus();
}

void BackupManager::StartSchedule(int64_t interval_ms, uint32_t keep) {
  if (interval_ms <= 0) return;
  scheduler_ = std::thread([this, interval_ms, keep] {
    while (!WaitForStop(absl::Milliseconds(interval_ms))) {
      absl::StatusOr<v1::BackupInfo> made = Create();
      if (!made.ok()) LogError(absl::StrCat("scheduled backup failed: ", made.status().message()));
      if (made.ok() && keep > 0) {
        if (absl::Status p = Purge(keep); !p.ok()) LogError(std::string(p.message()));
      }
    }
  });
}

bool BackupManager::WaitForStop(absl::Duration timeout) {
  absl::MutexLock lock(&schedule_mu_);
  return schedule_mu_.AwaitWithTimeout(absl::Condition(&stopping_), timeout);
}

void BackupManager::Stop() {
  {
    absl::MutexLock lock(&schedule_mu_);
    stopping_ = true;
  }
  if (scheduler_.joinable()) scheduler_.join();
}

absl::StatusOr<RestoreResult> RestoreBackup(const std::string& backup_dir, uint32_t backup_id,
                                            const std::string& data_dir, bool force) {
  if (DataDirLocked(data_dir)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a kawal-server is running on ", data_dir, "; stop it before restoring"));
  }
  if (absl::Status d = CheckBackupDir(backup_dir); !d.ok()) return d;
  absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> engine =
      OpenReadOnlyEngine(backup_dir);
  if (!engine.ok()) return engine.status();
  rocksdb::IOStatus s;
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  if (infos.empty()) return absl::NotFoundError(absl::StrCat("no backups in ", backup_dir));
  if (backup_id == 0) backup_id = infos.back().backup_id;
  auto found = std::find_if(infos.begin(), infos.end(),
                            [&](const rocksdb::BackupInfo& i) { return i.backup_id == backup_id; });
  if (found == infos.end()) {
    std::vector<uint32_t> ids;
    for (const auto& i : infos) ids.push_back(i.backup_id);
    return absl::NotFoundError(absl::StrCat("no backup ", backup_id, " in ", backup_dir,
                                            " (there are: ", absl::StrJoin(ids, ", "), ")"));
  }
  s = (*engine)->VerifyBackup(backup_id, /*verify_with_checksum=*/true);
  if (!s.ok()) {
    return absl::DataLossError(absl::StrCat("backup ", backup_id, " is damaged, nothing restored: ",
                                            s.ToString()));
  }
  if (!IsEmptyDir(data_dir) && !force) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data dir ", data_dir, " is not empty; add --force to restore over it (the old one is ",
        "kept aside, not deleted)"));
  }
  storage::v1::BackupMetadata meta;
  meta.ParseFromString(found->app_metadata);

  const std::string staging = absl::StrCat(data_dir, ".restoring-", ::getpid());
  std::error_code ec;
  std::filesystem::remove_all(staging, ec);
  s = (*engine)->RestoreDBFromBackup(backup_id, staging, staging);
  if (!s.ok()) {
    std::filesystem::remove_all(staging, ec);
    return BackupError(s, absl::StrCat("restoring backup ", backup_id));
  }
  absl::StatusOr<std::string> incarnation = Rebirth(staging, meta);
  if (!incarnation.ok()) {
    std::filesystem::remove_all(staging, ec);
    return incarnation.status();
  }
  RestoreResult result;
  result.backup_id = backup_id;
  result.new_incarnation = *incarnation;
  result.parent_incarnation = meta.incarnation();
  result.parent_seq = meta.last_seq();
  if (std::filesystem::exists(data_dir, ec)) {
    // The admin token and the bundle keys are not inside RocksDB: carry them
    // over (devices seal bundles to the server's bundle key).
    for (const std::string name : {std::string("admin.token"), std::string(kBundleKeysFile)}) {
      std::filesystem::copy_file(data_dir + "/" + name, staging + "/" + name,
                                 std::filesystem::copy_options::overwrite_existing, ec);
    }
    if (!IsEmptyDir(data_dir)) {
      result.old_data_kept_at =
          absl::StrCat(data_dir, ".before-restore-", sync::SystemTimeMs() / 1000);
      for (int n = 2; std::filesystem::exists(result.old_data_kept_at, ec); ++n) {
        result.old_data_kept_at = absl::StrCat(data_dir, ".before-restore-",
                                               sync::SystemTimeMs() / 1000, "-", n);
      }
      std::filesystem::rename(data_dir, result.old_data_kept_at, ec);
    } else {
      std::filesystem::remove(data_dir, ec);
    }
    if (ec) {
      return absl::FailedPreconditionError(absl::StrCat("cannot move ", data_dir, " aside: ",
                                                        ec.message(), "; restored copy is in ",
                                                        staging));
    }
  }
  std::filesystem::rename(staging, data_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot move the restored copy ", staging, " to ", data_dir, ": ",
                     ec.message()));
  }
  return result;
}

}  // namespace kawal::server
