// The device and its sync: init, sync, status, conflicts, rejected.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "kawal/common/secret_file.h"
#include "commands.h"
#include "json.h"
#include "kawal/sync/conflict_record.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/value_json.h"
#include "output.h"
#include "progress.h"
#include "record_json.h"

namespace kawal::field {

bool PositiveOption(const App& app, const std::string& flag, int64_t* out) {
  if (!app.args.Has(flag)) return true;
  return ParseWholeNumber(app.args.Get(flag), out) && *out > 0;
}

namespace {

// A conflict's winner or loser value (JSON text written by the server) as
// people read it, typed by the schema when the field is known.
std::string ConflictValue(Lang lang, const std::string& collection, const std::string& field,
                          const std::string& json_text) {
  const sync::CollectionSpec* spec = sync::Schema::Default().Find(collection);
  const sync::FieldSpec* fspec = spec != nullptr ? spec->Find(field) : nullptr;
  if (fspec != nullptr) {
    if (auto value = sync::ValueFromJson(json_text, fspec->type); value.ok()) {
      return DisplayValue(lang, field, *value);
    }
  }
  return json_text;
}

std::string RecordName(const App& app, const std::string& collection, const std::string& id) {
  std::string out = absl::StrCat(CollectionLabel(app.lang, collection), " ", ShortId(id));
  if (auto r = app.device->Get(collection, id); r.ok()) {
    if (const sync::Value* name = r->Get("name")) {
      if (const auto* s = std::get_if<std::string>(name)) {
        absl::StrAppend(&out, " (", Truncate(*s, 24), ")");
      }
    }
  }
  return out;
}

}  // namespace

int Init(App& app) {
  if (app.args.Has("token") && app.args.Has("token_file")) {
    return app.Usage(UsageError{Msg::kTokenBoth, {}});
  }
  if (app.args.Has("tls_ca") && app.args.Bool("insecure")) {
    return app.Usage(UsageError{Msg::kCaAndInsecure, {}});
  }
  std::string token = app.args.Get("token");
  if (token == "-") {  // a secret never passed in argv
    std::stringstream text;
    text << std::cin.rdbuf();
    token = std::string(absl::StripAsciiWhitespace(text.str()));
    if (token.empty()) return app.Fail(app.T(Msg::kTokenStdinEmpty));
  } else if (!token.empty()) {
    PrintError(app.T(Msg::kTokenInArgv));
  }
  if (app.args.Has("token_file")) {
    const std::string path = app.args.Get("token_file");
    absl::StatusOr<std::string> secret = common::ReadOwnerOnlySecretFile(path, "token file");
    if (secret.status().code() == absl::StatusCode::kInvalidArgument) {
      return app.Fail(app.T(Msg::kTokenFileEmpty, path));
    }
    if (secret.status().code() == absl::StatusCode::kFailedPrecondition) {
      return app.Fail(app.T(Msg::kTokenFileTooOpen, path));
    }
    if (!secret.ok()) return app.Fail(app.T(Msg::kTokenFileUnreadable, path));
    token = *std::move(secret);
  }
  std::string ca_pem;
  if (app.args.Has("tls_ca")) {
    const std::string path = app.args.Get("tls_ca");
    absl::StatusOr<std::string> pem = common::ReadSecretFile(path, "CA file");
    if (!pem.ok()) return app.Fail(app.T(Msg::kTlsCaUnreadable, path, pem.status().message()));
    ca_pem = *std::move(pem);
  }
  std::error_code ec;
  const bool existed = std::filesystem::is_directory(app.home, ec);
  // A first init needs both; checked before anything is created.
  if (!existed && !app.args.Has("server")) return app.Usage(UsageError{Msg::kInitNeedsServer, {}});
  if (!existed && token.empty()) return app.Usage(UsageError{Msg::kInitNeedsToken, {}});
  if (int code = app.OpenDevice(true); code != kExitOk) return code;
  auto before = app.device->Status();
  if (!before.ok()) return app.CoreError(before.status());
  if (before->server.empty() && !app.args.Has("server")) {
    return app.Usage(UsageError{Msg::kInitNeedsServer, {}});
  }
  const std::string server = app.args.Has("server") ? app.args.Get("server") : before->server;
  // --region: the kabupaten a shard proxy routes the first sync by.
  const std::string region = app.args.Has("region") ? app.args.Get("region") : "";
  // --tls_ca or --insecure replace the stored transport; without either, a
  // new server address is reached by the defaults (TLS unless loopback),
  // and a re-init of the same server keeps what was stored.
  const bool transport_given = app.args.Has("tls_ca") || app.args.Bool("insecure");
  absl::Status configured;
  if (transport_given || server != before->server) {
    mobile::ServerConnection connection;
    connection.server = server;
    connection.token = token;
    connection.region = region;
    connection.tls_ca_pem = ca_pem;
    connection.insecure = app.args.Bool("insecure");
    configured = app.device->Configure(connection);
  } else {
    configured = app.device->Configure(server, token, region);
  }
  if (!configured.ok()) return app.CoreError(configured);
  if (app.args.Has("server_key")) {
    if (int code = TrustServerKeyFile(app, app.args.Get("server_key")); code != kExitOk) return code;
  }
  if (app.json) {
    mobile::JsonWriter w;
    w.BeginObject().Key("home").String(app.home).Key("server").String(server);
    w.Key("pending_records").Uint(before->pending_records).EndObject();
    Print(w.str() + "\n");
    return kExitOk;
  }
  std::string out = app.T(Msg::kInitDone, app.home, server) + "\n";
  if (existed) absl::StrAppend(&out, app.T(Msg::kInitKept, before->pending_records), "\n");
  Print(out);
  return kExitOk;
}

int SyncOptionsFromFlags(const App& app, mobile::SyncOptions* out) {
  mobile::SyncOptions& options = *out;
  int64_t timeout_s = 60, batch = options.push_batch, attempts = options.max_attempts;
  for (auto [flag, value] : {std::make_pair("timeout_s", &timeout_s),
                             std::make_pair("batch", &batch),
                             std::make_pair("max_attempts", &attempts)}) {
    if (!PositiveOption(app, flag, value)) {
      return app.Usage(UsageError{Msg::kBadOption, {flag, app.args.Get(flag)}});
    }
  }
  options.rpc_timeout_ms = timeout_s * 1000;
  options.push_batch = static_cast<uint32_t>(std::min<int64_t>(batch, 100000));
  options.max_attempts = static_cast<int>(std::min<int64_t>(attempts, 1000));
  // On by default (the core's default); --no_gzip for a fast LAN, where
  // compressing only costs CPU. --gzip stays accepted.
  if (app.args.Bool("no_gzip")) options.gzip = false;
  return kExitOk;
}

namespace {

// What the user can do about a connection problem the core named.
Msg ConnectionHint(const std::string& problem) {
  if (problem == "expired") return Msg::kHintTlsExpired;
  if (problem == "not_yet_valid") return Msg::kHintTlsNotYetValid;
  if (problem == "name_mismatch") return Msg::kHintTlsName;
  if (problem == "server_is_plaintext") return Msg::kHintServerPlaintext;
  if (problem == "server_is_tls") return Msg::kHintServerTls;
  return Msg::kHintTlsUntrusted;
}

}  // namespace

int Sync(App& app) {
  mobile::SyncOptions options;
  if (int code = SyncOptionsFromFlags(app, &options); code != kExitOk) return code;

  if (absl::StatusOr<mobile::StatusView> status = app.device->Status();
      status.ok() && status->transport == "insecure") {
    PrintError(app.T(Msg::kInsecureWarning, status->server));  // every time, as promised
  }
  ProgressDisplay display(app.lang, stdout, ::isatty(STDOUT_FILENO) == 1);
  mobile::ProgressCallback progress;
  if (!app.json) progress = [&](const mobile::SyncProgress& p) { display.Update(p); };
  absl::StatusOr<mobile::SyncReport> report = app.device->Sync(options, progress);
  display.Finish();
  if (!report.ok()) {
    const absl::Status& s = report.status();
    std::string reason =
        absl::StrCat(absl::StatusCodeToString(s.code()), ": ", s.message());
    app.Fail(app.T(Msg::kSyncFailed, reason));
    switch (s.code()) {
      case absl::StatusCode::kUnauthenticated:
      case absl::StatusCode::kPermissionDenied:
        PrintError(app.T(Msg::kHintAuth));
        break;
      case absl::StatusCode::kUnavailable:
      case absl::StatusCode::kDeadlineExceeded:
        PrintError(app.T(Msg::kHintUnreachable));
        break;
      case absl::StatusCode::kFailedPrecondition:
        if (absl::StrContains(s.message(), "no server")) PrintError(app.T(Msg::kHintNoServer));
        if (absl::optional<absl::Cord> problem = s.GetPayload(mobile::kConnectionProblemPayload)) {
          PrintError(app.T(ConnectionHint(std::string(*problem))));
        }
        break;
      default:
        break;
    }
    return kExitError;
  }
  if (app.json) {
    Print(SyncReportJson(*report) + "\n");
    return kExitOk;
  }
  std::string out = app.T(Msg::kSyncDone, report->pushed, report->rejected, report->pulled) + "\n";
  if (report->restore_detected) {
    absl::StrAppend(&out, app.T(Msg::kSyncRestore, report->repushed_after_restore), "\n");
  }
  if (report->rejected > 0) {
    absl::StrAppend(&out, app.T(Msg::kSyncRejectedHint, report->rejected), "\n");
  }
  if (report->photos_uploaded > 0) {
    absl::StrAppend(&out, app.T(Msg::kSyncPhotos, report->photos_uploaded), "\n");
  }
  if (report->photos_failed > 0) {
    absl::StrAppend(&out, app.T(Msg::kSyncPhotosFailed, report->photos_failed), "\n");
  }
  Print(out);
  return kExitOk;
}

int Status(App& app) {
  auto status = app.device->Status();
  if (!status.ok()) return app.CoreError(status.status());
  if (app.json) {
    Print(StatusJson(*status, app.home) + "\n");
    return kExitOk;
  }
  const mobile::StatusView& s = *status;
  auto or_dash = [](const std::string& v) { return v.empty() ? std::string("-") : v; };
  std::vector<std::pair<std::string, std::string>> lines = {
      {app.T(Msg::kLabelHome), app.home},
      {app.T(Msg::kLabelServer), or_dash(s.server)},
      {app.T(Msg::kLabelTransport), or_dash(s.transport)},
      {app.T(Msg::kLabelUser), s.user.empty() ? "-" : absl::StrCat(s.user, " (", s.role, ")")},
      {app.T(Msg::kLabelScopes), or_dash(absl::StrJoin(s.scopes, ", "))},
      {app.T(Msg::kLabelPending), absl::StrCat(s.pending_records)},
      {app.T(Msg::kLabelRejected), absl::StrCat(s.rejected_records)},
      {app.T(Msg::kLabelLastSync),
       s.last_sync_ms > 0 ? LocalTime(s.last_sync_ms) : app.T(Msg::kNever)},
  };
  if (s.last_attempt_ms > 0 && s.last_attempt_ms > s.last_sync_ms) {
    lines.emplace_back(app.T(Msg::kLabelLastAttempt), LocalTime(s.last_attempt_ms));
  }
  lines.emplace_back(app.T(Msg::kLabelLastError), or_dash(s.last_error));
  lines.emplace_back(app.T(Msg::kLabelIncarnation), or_dash(s.incarnation));
  lines.emplace_back(app.T(Msg::kLabelDevice), absl::StrFormat("%016x", s.device_node));
  Print(LabelledLines(lines));
  return kExitOk;
}

// A conflict's text field ("" when absent).
std::string ConflictText(const sync::RecordState& r, const char* field) {
  const sync::Value* v = r.Get(field);
  const auto* s = v != nullptr ? std::get_if<std::string>(v) : nullptr;
  return s != nullptr ? *s : std::string();
}

// How a conflict stands, in the user's language.
std::string ConflictState(const App& app, const sync::RecordState& c) {
  const std::string resolution = ConflictText(c, "resolution");
  if (resolution.empty()) return app.T(Msg::kOpenConflict);
  Msg what = Msg::kSettledDismissed;
  if (resolution == sync::kKeptWinner) what = Msg::kSettledKeptWinner;
  if (resolution == sync::kRestoredLoser) what = Msg::kSettledRestoredLoser;
  return absl::StrCat(app.T(what), " (", ConflictText(c, "resolved_by"), ")");
}

int Conflicts(App& app) {
  const bool all = app.args.Bool("all");
  auto conflicts = app.device->Conflicts(all);
  if (!conflicts.ok()) return app.CoreError(conflicts.status());
  auto when = [](const sync::RecordState& r) {
    const sync::Value* v = r.Get("detected_at_ms");
    const auto* i = v != nullptr ? std::get_if<int64_t>(v) : nullptr;
    return i != nullptr ? *i : int64_t{0};
  };
  std::sort(conflicts->begin(), conflicts->end(),
            [&](const auto& a, const auto& b) { return when(a) < when(b); });
  if (app.json) {
    Print(RecordsJson(*conflicts) + "\n");
    return kExitOk;
  }
  if (conflicts->empty()) {
    Print(app.T(Msg::kNoConflicts) + "\n");
    return kExitOk;
  }
  std::vector<std::string> headers = {app.T(Msg::kColId),     app.T(Msg::kColRecord),
                                      app.T(Msg::kColField),  app.T(Msg::kColWinner),
                                      app.T(Msg::kColLoser),  app.T(Msg::kColWhen)};
  if (all) headers.push_back(app.T(Msg::kColStatus));
  Table table(headers);
  for (const auto& c : *conflicts) {
    const std::string collection = ConflictText(c, "record_collection");
    // One line per field the losing write lost; the conflict's own columns
    // on its first. A record that does not read shows its first field.
    absl::StatusOr<std::vector<sync::ConflictField>> lost = sync::ConflictFieldsOf(c);
    if (!lost.ok()) lost = std::vector<sync::ConflictField>{{ConflictText(c, "field"), "", ""}};
    bool first = true;
    for (const sync::ConflictField& f : *lost) {
      std::vector<std::string> row = {
          first ? ShortId(c.id) : "",
          first ? RecordName(app, collection, ConflictText(c, "record_id")) : "",
          FieldLabel(app.lang, f.name),
          Truncate(ConflictValue(app.lang, collection, f.name, f.winner_json), 40),
          Truncate(ConflictValue(app.lang, collection, f.name, f.loser_json), 40),
          first ? (when(c) > 0 ? LocalTime(when(c)) : "-") : ""};
      if (all) row.push_back(first ? ConflictState(app, c) : "");
      table.AddRow(row);
      first = false;
    }
  }
  Print(table.Render());
  return kExitOk;
}

// Settles the open conflict whose id starts with the typed word.
int SettleConflict(App& app, mobile::ConflictChoice choice) {
  const std::string typed = app.Word(0);
  auto open = app.device->Conflicts();
  if (!open.ok()) return app.CoreError(open.status());
  std::vector<std::string> matches;
  for (const auto& c : *open) {
    if (c.id == typed) {
      matches = {c.id};
      break;
    }
    if (typed.size() >= 4 && absl::StartsWith(c.id, typed)) matches.push_back(c.id);
  }
  const std::string label = CollectionLabel(app.lang, sync::kConflict);
  if (matches.empty()) return app.Fail(app.T(Msg::kNoSuchRecord, label, typed));
  if (matches.size() > 1) return app.Fail(app.T(Msg::kAmbiguousId, typed, label));
  if (absl::Status s = app.device->ResolveConflict(matches[0], choice, app.args.Get("note"));
      !s.ok()) {
    return app.CoreError(s);
  }
  auto settled = app.device->Get(sync::kConflict, matches[0]);
  if (!settled.ok()) return app.CoreError(settled.status());
  if (app.json) {
    Print(RecordsJson({*settled}) + "\n");
  } else {
    Print(app.T(Msg::kConflictSettled, ShortId(matches[0]), ConflictState(app, *settled)) + "\n");
  }
  return kExitOk;
}

int ConflictResolve(App& app) {
  const std::string keep = app.args.Get("keep");
  if (keep == "winner") return SettleConflict(app, mobile::ConflictChoice::kKeepWinner);
  if (keep == "loser") return SettleConflict(app, mobile::ConflictChoice::kRestoreLoser);
  return app.Usage(UsageError{Msg::kBadKeep, {keep}});
}

int ConflictDismiss(App& app) { return SettleConflict(app, mobile::ConflictChoice::kDismiss); }

int Rejected(App& app) {
  auto rejections = app.device->Rejections();
  if (!rejections.ok()) return app.CoreError(rejections.status());
  if (app.json) {
    Print(RejectionsJson(*rejections) + "\n");
    return kExitOk;
  }
  if (rejections->empty()) {
    Print(app.T(Msg::kNoRejected) + "\n");
    return kExitOk;
  }
  Table table({app.T(Msg::kColCollection), app.T(Msg::kColId), app.T(Msg::kColReason),
               app.T(Msg::kColMessage), app.T(Msg::kColWhen)});
  for (const auto& r : *rejections) {
    table.AddRow({r.collection, ShortId(r.id), r.reason, r.message,
                  r.rejected_at_ms > 0 ? LocalTime(r.rejected_at_ms) : "-"});
  }
  Print(table.Render() + "\n" + app.T(Msg::kRejectedHint) + "\n");
  return kExitOk;
}

int RejectedDiscard(App& app) {
  const std::string collection = app.Word(0);
  const std::string typed = app.Word(1);
  auto rejections = app.device->Rejections();
  if (!rejections.ok()) return app.CoreError(rejections.status());
  std::vector<std::string> matches;
  for (const auto& r : *rejections) {
    if (r.collection != collection) continue;
    if (r.id == typed) {
      matches = {r.id};
      break;
    }
    if (typed.size() >= 4 && absl::StartsWith(r.id, typed)) matches.push_back(r.id);
  }
  const std::string label = CollectionLabel(app.lang, collection);
  if (matches.empty()) return app.Fail(app.T(Msg::kNoRejectionFor, label, typed));
  if (matches.size() > 1) return app.Fail(app.T(Msg::kAmbiguousId, typed, label));
  if (absl::Status s = app.device->DiscardRejected(collection, matches[0]); !s.ok()) {
    return app.CoreError(s);
  }
  if (app.json) {
    mobile::JsonWriter w;
    w.BeginObject().Key("collection").String(collection).Key("id").String(matches[0]);
    w.Key("discarded").Bool(true).EndObject();
    Print(w.str() + "\n");
  } else {
    Print(app.T(Msg::kDiscarded, label, ShortId(matches[0])) + "\n");
  }
  return kExitOk;
}

}  // namespace kawal::field
