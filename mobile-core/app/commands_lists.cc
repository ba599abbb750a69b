// Reading records: activity list, report list, village list, and `show`
// of one record with every field labelled.
#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "json.h"
#include "kawal/sync/schema.h"
#include "output.h"
#include "record_json.h"

namespace kawal::field {
namespace {

std::string Shown(Lang lang, const sync::RecordState& r, const std::string& field) {
  const sync::Value* v = r.Get(field);
  return v != nullptr ? DisplayValue(lang, field, *v) : "-";
}

// '*' for unsent changes, '!' for a change the server refused.
struct Markers {
  explicit Markers(const App& app) : app_(app), rejected_(app.RejectedKeys()) {}
  std::string For(const sync::RecordState& r) {
    const std::string key = r.collection + "/" + r.id;
    if (std::find(rejected_.begin(), rejected_.end(), key) != rejected_.end()) {
      used_ = true;
      return "!";
    }
    auto pending = app_.device->IsPending(r.collection, r.id);
    if (pending.ok() && *pending) {
      used_ = true;
      return "*";
    }
    return "";
  }
  bool rejected(const sync::RecordState& r) const {
    return std::find(rejected_.begin(), rejected_.end(), r.collection + "/" + r.id) !=
           rejected_.end();
  }
  bool used() const { return used_; }

 private:
  const App& app_;
  std::vector<std::string> rejected_;
  bool used_ = false;
};

// JSON array of the records with their pending/rejected state, or the table.
int PrintRecords(App& app, const std::vector<sync::RecordState>& records, Table& table,
                 Markers& markers) {
  if (app.json) {
    std::vector<std::string> parts;
    for (const auto& r : records) {
      auto pending = app.device->IsPending(r.collection, r.id);
      parts.push_back(RecordJsonWithState(r, pending.ok() && *pending, markers.rejected(r)));
    }
    Print("[" + absl::StrJoin(parts, ",") + "]\n");
    return kExitOk;
  }
  if (records.empty()) {
    Print(app.T(Msg::kNothingYet) + "\n");
    return kExitOk;
  }
  std::string out = table.Render();
  if (markers.used()) out += "\n" + app.T(Msg::kMarkerLegend) + "\n";
  Print(out);
  return kExitOk;
}

// "850 B", "12,3 KB", "2,4 MB" (a decimal comma in Bahasa Indonesia).
std::string Size(Lang lang, uint64_t bytes) {
  std::string text;
  if (bytes < 1024) {
    text = absl::StrCat(bytes, " B");
  } else if (bytes < 1024 * 1024) {
    text = absl::StrFormat("%.1f KB", double(bytes) / 1024.0);
  } else {
    text = absl::StrFormat("%.1f MB", double(bytes) / (1024.0 * 1024.0));
  }
  if (lang == Lang::kId) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

}  // namespace

int ActivityList(App& app) {
  mobile::ListQuery query;
  query.collection = sync::kActivity;
  query.region = std::string(absl::StripAsciiWhitespace(app.args.Get("village")));
  if (app.args.Has("year") && !ParseWholeNumber(app.args.Get("year"), &query.year)) {
    return app.Usage(UsageError{Msg::kBadFilter, {"year", app.args.Get("year")}});
  }
  if (app.args.Has("status")) {
    const sync::FieldSpec* spec = sync::Schema::Default().Find(sync::kActivity)->Find("status");
    sync::Value status;
    ParseFieldValue(*spec, "status", app.args.Get("status"), &status);
    query.status = std::get<std::string>(status);
  }
  auto records = app.device->List(query);
  if (!records.ok()) return app.CoreError(records.status());
  std::sort(records->begin(), records->end(), [](const auto& a, const auto& b) {
    return std::make_tuple(a.scope, a.GetInt("year"), a.GetString("name"), a.id) <
           std::make_tuple(b.scope, b.GetInt("year"), b.GetString("name"), b.id);
  });
  Markers markers(app);
  Table table({app.T(Msg::kColId), app.T(Msg::kColVillage), app.T(Msg::kColYear),
               app.T(Msg::kColName), app.T(Msg::kColStatus), app.T(Msg::kColProgress),
               app.T(Msg::kColBudget), ""},
              {false, false, false, false, false, true, true, false});
  for (const auto& r : *records) {
    const sync::Value* budget = r.Get("budget");
    table.AddRow({ShortId(r.id), r.scope, absl::StrCat(r.GetInt("year")),
                  Truncate(r.GetString("name"), 36), Shown(app.lang, r, "status"),
                  Shown(app.lang, r, "physical_progress_pct"),
                  budget != nullptr ? Rupiah(app.lang, AmountTotal(budget)) : "-",
                  markers.For(r)});
  }
  return PrintRecords(app, *records, table, markers);
}

// Follow-ups on this device, by due date: those still to do, or --all.
int FollowUpList(App& app) {
  mobile::ListQuery query;
  query.collection = sync::kFollowUp;
  auto records = app.device->List(query);
  if (!records.ok()) return app.CoreError(records.status());
  auto pending = [](const sync::RecordState& r) {
    return sync::FollowUpPending(r.GetString("status"));
  };
  if (!app.args.Bool("all")) {
    records->erase(std::remove_if(records->begin(), records->end(),
                                  [&](const auto& r) { return !pending(r); }),
                   records->end());
  }
  std::sort(records->begin(), records->end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.GetString("due_date"), a.id) <
           std::make_pair(b.GetString("due_date"), b.id);
  });
  if (!app.json && records->empty()) {
    Print(app.T(Msg::kNoFollowUps) + "\n");
    return kExitOk;
  }
  const std::string today = LocalDateToday();
  Markers markers(app);
  Table table({app.T(Msg::kColId), app.T(Msg::kColVillage), app.T(Msg::kColAction),
               app.T(Msg::kColDue), app.T(Msg::kColStatus), app.T(Msg::kColResponsible), ""});
  for (const auto& r : *records) {
    std::string due = r.GetString("due_date");
    if (pending(r) && due < today) absl::StrAppend(&due, " (", app.T(Msg::kOverdue), ")");
    table.AddRow({ShortId(r.id), r.scope, Truncate(r.GetString("action"), 40), due,
                  Shown(app.lang, r, "status"), r.GetString("responsible"), markers.For(r)});
  }
  return PrintRecords(app, *records, table, markers);
}

int ReportList(App& app) {
  const std::string activity = app.ResolveId(sync::kActivity, app.args.Get("activity"), true);
  if (activity.empty()) return kExitError;
  mobile::ListQuery query;
  query.collection = sync::kProgressReport;
  query.activity_id = activity;
  auto records = app.device->List(query);
  if (!records.ok()) return app.CoreError(records.status());
  std::sort(records->begin(), records->end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.GetString("visit_date"), a.id) <
           std::make_pair(b.GetString("visit_date"), b.id);
  });
  Markers markers(app);
  Table table({app.T(Msg::kColId), app.T(Msg::kColDate), app.T(Msg::kColProgress),
               app.T(Msg::kColSpent), app.T(Msg::kColTranche), app.T(Msg::kColWorkers),
               app.T(Msg::kColProblems), ""},
              {false, false, true, true, true, true, false, false});
  for (const auto& r : *records) {
    const sync::Value* spent = r.Get("spent");
    table.AddRow({ShortId(r.id), r.GetString("visit_date"),
                  Shown(app.lang, r, "physical_progress_pct"),
                  spent != nullptr ? Rupiah(app.lang, AmountTotal(spent)) : "-",
                  Shown(app.lang, r, "tranche"), Shown(app.lang, r, "workers"),
                  Truncate(r.GetString("problems"), 30), markers.For(r)});
  }
  return PrintRecords(app, *records, table, markers);
}

int VillageList(App& app) {
  mobile::ListQuery query;
  query.collection = sync::kVillage;
  auto records = app.device->List(query);
  if (!records.ok()) return app.CoreError(records.status());
  std::sort(records->begin(), records->end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  Markers markers(app);
  Table table({app.T(Msg::kColCode), app.T(Msg::kColName), app.T(Msg::kColKecamatan),
               app.T(Msg::kColIdm), ""});
  for (const auto& r : *records) {
    table.AddRow({r.id, r.GetString("name"), r.GetString("kecamatan_name"),
                  Shown(app.lang, r, "idm_status"), markers.For(r)});
  }
  return PrintRecords(app, *records, table, markers);
}

int PhotoList(App& app) {
  std::string activity;
  if (app.args.Has("activity")) {
    activity = app.ResolveId(sync::kActivity, app.args.Get("activity"), true);
    if (activity.empty()) return kExitError;
  }
  auto photos = app.device->Photos(activity);
  if (!photos.ok()) return app.CoreError(photos.status());
  std::sort(photos->begin(), photos->end(), [](const auto& a, const auto& b) {
    return std::tie(a.activity_id, a.report_id, a.stage, a.record_id) <
           std::tie(b.activity_id, b.report_id, b.stage, b.record_id);
  });
  if (app.json) {
    Print(mobile::PhotosToJson(*photos) + "\n");
    return kExitOk;
  }
  if (photos->empty()) {
    Print(app.T(Msg::kNothingYet) + "\n");
    return kExitOk;
  }
  Table table({app.T(Msg::kColId), app.T(Msg::kColStage), app.T(Msg::kColSize),
               app.T(Msg::kColType), app.T(Msg::kColSha), app.T(Msg::kColLocal),
               app.T(Msg::kColSent)},
              {false, false, true, false, false, false, false});
  for (const mobile::PhotoView& p : *photos) {
    std::string sent = app.T(p.uploaded ? Msg::kSent : Msg::kNotSentYet);
    if (!p.last_error.empty()) sent = Truncate(p.last_error, 48);
    table.AddRow({ShortId(p.record_id), p.stage, Size(app.lang, p.size), p.content_type,
                  p.sha256.substr(0, 12), app.T(p.local ? Msg::kOnDevice : Msg::kNotOnDevice),
                  sent});
  }
  Print(table.Render());
  return kExitOk;
}

int PhotoGet(App& app) {
  const std::string typed = absl::AsciiStrToLower(absl::StripAsciiWhitespace(app.Word(0)));
  bool hex = typed.size() >= 8 && typed.size() <= 64;
  for (char c : typed) hex = hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  if (!hex) return app.Usage(UsageError{Msg::kBadPhotoHash, {app.Word(0)}});
  mobile::SyncOptions options;
  if (int code = SyncOptionsFromFlags(app, &options); code != kExitOk) return code;
  auto photos = app.device->Photos();
  if (!photos.ok()) return app.CoreError(photos.status());
  std::set<std::string> matches;
  for (const mobile::PhotoView& p : *photos) {
    if (absl::StartsWith(p.sha256, typed)) matches.insert(p.sha256);
  }
  if (matches.empty()) return app.Fail(app.T(Msg::kNoSuchPhoto, typed));
  if (matches.size() > 1) return app.Fail(app.T(Msg::kAmbiguousPhoto, typed));
  const std::string& sha256 = *matches.begin();
  const std::string out = app.args.Get("out");
  if (absl::Status s = app.device->FetchPhoto(sha256, out, options); !s.ok()) {
    return app.CoreError(s);
  }
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(out, ec);
  if (app.json) {
    mobile::JsonWriter w;
    w.BeginObject().Key("sha256").String(sha256).Key("out").String(out);
    w.Key("size").Uint(ec ? 0 : size).EndObject();
    Print(w.Release() + "\n");
  } else {
    Print(app.T(Msg::kPhotoWritten, out, ec ? 0 : size) + "\n");
  }
  return kExitOk;
}

int ShowRecord(App& app, const std::string& collection) {
  const std::string id = app.ResolveId(collection, app.Word(0));
  if (id.empty()) return kExitError;
  auto record = app.device->Get(collection, id);
  if (!record.ok()) return app.CoreError(record.status());
  auto pending = app.device->IsPending(collection, id);
  const bool is_pending = pending.ok() && *pending;
  auto rejections = app.device->Rejections();
  const mobile::RejectionView* rejection = nullptr;
  if (rejections.ok()) {
    for (const auto& r : *rejections) {
      if (r.collection == collection && r.id == id) rejection = &r;
    }
  }
  if (app.json) {
    Print(RecordJsonWithState(*record, is_pending, rejection != nullptr) + "\n");
    return kExitOk;
  }

  std::vector<std::pair<std::string, std::string>> lines;
  lines.emplace_back(app.T(Msg::kLabelId), id);
  if (collection != sync::kVillage) {
    std::string village = record->scope;
    if (auto v = app.device->Get(sync::kVillage, record->scope); v.ok()) {
      absl::StrAppend(&village, " (", v->GetString("name"), ")");
    }
    lines.emplace_back(app.T(Msg::kLabelVillage), village);
  }
  for (const sync::FieldSpec& field : sync::Schema::Default().Find(collection)->fields) {
    const sync::Value* value = record->Get(field.name);
    if (value == nullptr) continue;
    std::string shown = DisplayValue(app.lang, field.name, *value);
    if (field.name == "activity_id") {
      if (auto a = app.device->Get(sync::kActivity, shown); a.ok()) {
        shown = absl::StrCat(ShortId(shown), " (", a->GetString("name"), ")");
      }
    }
    lines.emplace_back(FieldLabel(app.lang, field.name), shown);
  }
  if (collection == sync::kActivity) {
    mobile::ListQuery reports;
    reports.collection = sync::kProgressReport;
    reports.activity_id = id;
    if (auto found = app.device->List(reports); found.ok()) {
      lines.emplace_back(FieldLabel(app.lang, "progress_report"),
                         app.T(Msg::kReportCount, found->size(), ShortId(id)));
    }
  }
  std::string state = app.T(is_pending ? Msg::kNotSentYet : Msg::kSent);
  if (rejection != nullptr) {
    state = app.T(Msg::kRejectedBy, rejection->message, rejection->reason);
  }
  lines.emplace_back(app.T(Msg::kLabelSyncState), state);

  Print(LabelledLines(lines));
  return kExitOk;
}

}  // namespace kawal::field
