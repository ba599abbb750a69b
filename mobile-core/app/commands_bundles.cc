// Sync bundles: sync without a network (docs/bundles.md).
#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/common/bundle_part_files.h"
#include "kawal/common/bundle_parts.h"
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
  int64_t max_bytes = 0;
  if (!PositiveOption(app, "max_bytes", &max_bytes)) {
    return app.Usage(UsageError{Msg::kBadOption, {"max_bytes", app.args.Get("max_bytes")}});
  }
  options.max_bytes = static_cast<uint64_t>(max_bytes);
  absl::StatusOr<mobile::BundleExport> exported = app.device->ExportBundle(options);
  if (absl::IsInvalidArgument(exported.status()) && max_bytes > 0) {
    return app.Fail(app.T(Msg::kBundleMaxBytesTooSmall, max_bytes, exported.status().message()));
  }
  if (!exported.ok()) return app.CoreError(exported.status());
  const std::string out = app.args.Get("out");
  absl::StatusOr<std::vector<std::string>> written = common::WriteBundleFiles(out, exported->files);
  if (!written.ok()) {
    return app.Fail(app.T(Msg::kBundleWriteFailed, out, written.status().message()));
  }
  if (app.json) {
    mobile::JsonWriter w;
    w.BeginObject().Key("file").String(written->front()).Key("files").BeginArray();
    for (const std::string& path : *written) w.String(path);
    w.EndArray().Key("bundle_id").String(exported->bundle_id);
    w.Key("deltas").Uint(exported->deltas).Key("photos").Uint(exported->photos);
    w.Key("bytes").Uint(exported->bytes).EndObject();
    Print(w.str() + "\n");
    return kExitOk;
  }
  if (written->size() > 1) {
    Print(app.T(Msg::kBundleExportedParts, written->size(), written->front(), written->back(),
                max_bytes, exported->deltas, exported->photos, exported->bytes) +
          "\n");
    return kExitOk;
  }
  Print(app.T(Msg::kBundleExported, out, exported->deltas, exported->photos, exported->bytes) +
        "\n");
  return kExitOk;
}

namespace {

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

// The bytes of a bundle's files. A part missing is refused here, naming
// it (the same check as the server's), so nothing is sent in vain.
absl::StatusOr<std::vector<std::string>> ReadGroup(const common::BundleFileGroup& group) {
  std::vector<std::string> files;
  for (const std::string& path : group.paths) {
    absl::StatusOr<std::string> bytes = common::ReadBundleFile(path);
    if (!bytes.ok()) return bytes.status();
    files.push_back(*std::move(bytes));
  }
  if (absl::Status s = common::CollectBundleParts(files).status(); !s.ok()) return s;
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
  absl::StatusOr<std::string> bytes = common::ReadBundleFile(path);
  if (!bytes.ok()) {
    return app.Fail(app.T(Msg::kBundleReplyUnreadable, path, bytes.status().message()));
  }
  absl::StatusOr<mobile::BundleReplyReport> report = app.device->ImportBundleReply(*bytes);
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
  const common::BundleFileGroups found = common::GroupBundleFiles(*files);
  int code = kExitOk;
  for (const common::UnreadableBundleFile& bad : found.unreadable) {
    Print(app.T(Msg::kBundleNotSent, bad.path, bad.status.message()) + "\n");
    code = kExitError;
  }
  const mobile::SyncOptions options;
  // One bundle refused does not stop the others: a folder holds many
  // devices' work. The parts of one bundle go in one call.
  for (const common::BundleFileGroup& group : found.groups) {
    const std::string label = common::BundleGroupLabel(group);
    absl::StatusOr<std::vector<std::string>> bytes = ReadGroup(group);
    if (!bytes.ok()) {
      Print(app.T(Msg::kBundleNotSent, label, bytes.status().message()) + "\n");
      code = kExitError;
      continue;
    }
    absl::StatusOr<mobile::BundleRelay> relayed = app.device->RelayBundle(*bytes, options);
    if (!relayed.ok()) {
      const Msg msg = LinkFailure(relayed.status()) ? Msg::kBundleRelayNotSent
                                                    : Msg::kBundleRelayRefused;
      Print(app.T(msg, label, relayed.status().message()) + "\n");
      code = kExitError;
      continue;
    }
    const std::string reply_path = group.name + ".reply";
    if (absl::Status written = common::WriteOwnerOnlyFile(reply_path, relayed->reply);
        !written.ok()) {
      // Applied, but the reply is lost: relaying again is harmless.
      Print(app.T(Msg::kBundleWriteFailed, reply_path, written.message()) + "\n");
      code = kExitError;
      continue;
    }
    Print(app.T(Msg::kBundleRelayApplied, label, relayed->user,
                absl::StrFormat("%016x", relayed->device_node), relayed->applied,
                relayed->rejected, reply_path) +
          "\n");
  }
  return code;
}

}  // namespace kawal::field
