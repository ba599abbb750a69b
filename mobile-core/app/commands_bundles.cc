// Sync bundles: sync without a network (docs/bundles.md).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/common/secret_file.h"
#include "json.h"
#include "output.h"

namespace kawal::field {

int TrustServerKeyFile(App& app, const std::string& path) {
  // Public, but read like the other small files the app takes.
  absl::StatusOr<std::string> text = common::ReadSecretFile(path, "server key file");
  if (!text.ok()) return app.Fail(app.T(Msg::kServerKeyUnreadable, path, text.status().message()));
  absl::Status trusted = app.device->TrustServerBundleKey(*text);
  if (absl::IsInvalidArgument(trusted)) {
    return app.Fail(app.T(Msg::kServerKeyBad, path, trusted.message()));
  }
  if (!trusted.ok()) return app.CoreError(trusted);
  return kExitOk;
}

int BundleServerKey(App& app) {
  if (int code = TrustServerKeyFile(app, app.Word(0)); code != kExitOk) return code;
  Print(app.T(Msg::kServerKeyTrusted) + "\n");
  return kExitOk;
}

int BundleExport(App& app) {
  mobile::BundleExportOptions options;
  options.photos = !app.args.Bool("no-photos");
  absl::StatusOr<mobile::BundleExport> exported = app.device->ExportBundle(options);
  if (!exported.ok()) return app.CoreError(exported.status());
  const std::string out = app.args.Get("out");
  if (absl::Status written = common::WriteOwnerOnlyFile(out, exported->file); !written.ok()) {
    return app.Fail(app.T(Msg::kBundleWriteFailed, out, written.message()));
  }
  if (app.json) {
    mobile::JsonWriter w;
    w.BeginObject().Key("file").String(out).Key("bundle_id").String(exported->bundle_id);
    w.Key("deltas").Uint(exported->deltas).Key("photos").Uint(exported->photos);
    w.Key("bytes").Uint(exported->file.size()).EndObject();
    Print(w.str() + "\n");
    return kExitOk;
  }
  Print(app.T(Msg::kBundleExported, out, exported->deltas, exported->photos,
              exported->file.size()) +
        "\n");
  return kExitOk;
}

namespace {

// The bytes of the file at `path`; false (with errno set) when unreadable.
bool ReadFileBytes(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream read;
  read << in.rdbuf();
  if (!in || in.bad()) return false;
  *bytes = read.str();
  return true;
}

// The files of `dir` that export writes (*.bundle; replies are *.reply), sorted.
absl::StatusOr<std::vector<std::string>> BundleFilesIn(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".bundle") {
      files.push_back(entry.path().string());
    }
  }
  if (ec) return absl::NotFoundError(ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

// A failure the link caused: the server never judged the bundle.
bool LinkFailure(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsCancelled(status) ||
         status.GetPayload(mobile::kConnectionProblemPayload).has_value();
}

}  // namespace

int BundleImport(App& app) {
  const std::string path = app.Word(0);
  std::string bytes;
  if (!ReadFileBytes(path, &bytes)) {
    return app.Fail(app.T(Msg::kBundleReplyUnreadable, path, std::strerror(errno)));
  }
  absl::StatusOr<mobile::BundleReplyReport> report = app.device->ImportBundleReply(bytes);
  if (!report.ok()) return app.CoreError(report.status());
  if (app.json) {
    mobile::JsonWriter w;
    w.BeginObject().Key("acknowledged").Uint(report->acknowledged);
    w.Key("rejected").Uint(report->rejected).Key("pulled").Uint(report->pulled);
    w.Key("photos_stored").Uint(report->photos_stored);
    w.Key("cursor_advanced").Bool(report->cursor_advanced);
    w.Key("server_restored").Bool(report->server_restored).Key("requeued").Uint(report->requeued);
    w.Key("kept_pending").Uint(report->kept_pending);
    w.Key("outdated").Bool(report->outdated).EndObject();
    Print(w.str() + "\n");
    return kExitOk;
  }
  if (report->outdated) {
    Print(app.T(Msg::kBundleReplyOutdated) + "\n");
    return kExitOk;
  }
  std::string out = app.T(Msg::kBundleReplyImported, report->acknowledged, report->rejected,
                          report->pulled, report->photos_stored) +
                    "\n";
  if (!report->cursor_advanced) absl::StrAppend(&out, app.T(Msg::kBundleReplyCursorKept), "\n");
  if (report->server_restored) {
    absl::StrAppend(&out, app.T(Msg::kBundleReplyServerRestored, report->requeued,
                                report->kept_pending),
                    "\n");
  }
  Print(out);
  return kExitOk;
}

int BundleRelay(App& app) {
  const std::string dir = app.Word(0);
  absl::StatusOr<std::vector<std::string>> files = BundleFilesIn(dir);
  if (!files.ok()) return app.Fail(app.T(Msg::kBundleRelayDirUnreadable, dir, files.status().message()));
  if (files->empty()) return app.Fail(app.T(Msg::kBundleRelayNone, dir));
  // Said once here, not as a refusal of every bundle.
  if (absl::StatusOr<mobile::StatusView> status = app.device->Status();
      status.ok() && status->server.empty()) {
    return app.Fail(app.T(Msg::kHintNoServer));
  }
  const mobile::SyncOptions options;
  int code = kExitOk;
  // One bundle refused does not stop the others: a folder holds many
  // devices' work.
  for (const std::string& path : *files) {
    std::string bytes;
    if (!ReadFileBytes(path, &bytes)) {
      Print(app.T(Msg::kBundleReplyUnreadable, path, std::strerror(errno)) + "\n");
      code = kExitError;
      continue;
    }
    absl::StatusOr<mobile::BundleRelay> relayed = app.device->RelayBundle(bytes, options);
    if (!relayed.ok()) {
      const Msg msg = LinkFailure(relayed.status()) ? Msg::kBundleRelayNotSent
                                                    : Msg::kBundleRelayRefused;
      Print(app.T(msg, path, relayed.status().message()) + "\n");
      code = kExitError;
      continue;
    }
    const std::string reply_path = path + ".reply";
    if (absl::Status written = common::WriteOwnerOnlyFile(reply_path, relayed->reply);
        !written.ok()) {
      // Applied, but the reply is lost: relaying again is harmless.
      Print(app.T(Msg::kBundleWriteFailed, reply_path, written.message()) + "\n");
      code = kExitError;
      continue;
    }
    Print(app.T(Msg::kBundleRelayApplied, path, relayed->user,
                absl::StrFormat("%016x", relayed->device_node), relayed->applied,
                relayed->rejected, reply_path) +
          "\n");
  }
  return code;
}

}  // namespace kawal::field
