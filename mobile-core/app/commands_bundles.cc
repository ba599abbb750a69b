// Sync bundles: sync without a network (docs/bundles.md).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
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

int BundleImport(App& app) {
  const std::string path = app.Word(0);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in || in.bad()) return app.Fail(app.T(Msg::kBundleReplyUnreadable, path, std::strerror(errno)));
  absl::StatusOr<mobile::BundleReplyReport> report = app.device->ImportBundleReply(bytes.str());
  if (!report.ok()) return app.CoreError(report.status());
  if (app.json) {
    mobile::JsonWriter w;
    w.BeginObject().Key("acknowledged").Uint(report->acknowledged);
    w.Key("rejected").Uint(report->rejected).Key("pulled").Uint(report->pulled);
    w.Key("photos_stored").Uint(report->photos_stored);
    w.Key("cursor_advanced").Bool(report->cursor_advanced).EndObject();
    Print(w.str() + "\n");
    return kExitOk;
  }
  std::string out = app.T(Msg::kBundleReplyImported, report->acknowledged, report->rejected,
                          report->pulled, report->photos_stored) +
                    "\n";
  if (!report->cursor_advanced) absl::StrAppend(&out, app.T(Msg::kBundleReplyCursorKept), "\n");
  Print(out);
  return kExitOk;
}

}  // namespace kawal::field
