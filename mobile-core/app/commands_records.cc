// Writing records: activity add/edit/delete, report add, village edit.
// Every write is one atomic local commit in the core: it is stored whole or
// not at all, and a refused write prints the typed values back.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "commands.h"
#include "json.h"
#include "kawal/sync/region.h"
#include "kawal/sync/report_spending.h"
#include "kawal/sync/schema.h"
#include "output.h"

namespace kawal::field {
namespace {

std::string Capitalized(std::string s) {
  if (!s.empty()) s[0] = absl::ascii_toupper(static_cast<unsigned char>(s[0]));
  return s;
}

std::string IdJson(const std::string& id, const char* flag = nullptr) {
  mobile::JsonWriter w;
  w.BeginObject().Key("id").String(id);
  if (flag != nullptr) w.Key(flag).Bool(true);
  w.EndObject();
  return w.Release();
}

// Prints the record after a successful edit: JSON, or one sentence.
int PrintEdited(App& app, const std::string& collection, const std::string& id) {
  if (app.json) {
    auto record = app.device->Get(collection, id);
    if (!record.ok()) return app.CoreError(record.status());
    auto pending = app.device->IsPending(collection, id);
    Print(RecordJsonWithState(*record, pending.ok() && *pending, false) + "\n");
  } else {
    const std::string shown = collection == sync::kVillage ? id : ShortId(id);
    Print(app.T(Msg::kUpdated, Capitalized(CollectionLabel(app.lang, collection)), shown) + "\n");
  }
  return kExitOk;
}

// The core names the record in its messages ("activity 0640...: field
// 'sector' ..."); for a record that was never stored that id means nothing
// to the user, so it is dropped.
absl::Status WithoutNewId(const absl::Status& status, absl::string_view collection) {
  absl::string_view message = status.message();
  if (!absl::ConsumePrefix(&message, absl::StrCat(collection, " ")) || message.size() < 34 ||
      message.substr(32, 2) != ": ") {
    return status;
  }
  for (char c : message.substr(0, 32)) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return status;
  }
  return absl::Status(status.code(), message.substr(34));
}

// The pictures of --photo=F1,F2 with --caption, at `stage`.
std::vector<mobile::PhotoAttachment> PhotosFromFlags(const App& app, const std::string& stage) {
  std::vector<mobile::PhotoAttachment> photos;
  for (absl::string_view file : absl::StrSplit(app.args.Get("photo"), ',', absl::SkipEmpty())) {
    mobile::PhotoAttachment p;
    p.file = std::string(absl::StripAsciiWhitespace(file));
    p.stage = stage;
    p.caption = app.args.Get("caption");
    photos.push_back(std::move(p));
  }
  return photos;
}

}  // namespace

// The scopes the server assigned (after a first sync); `scope` must be in
// one of them, else the server would refuse the record. Empty: not known.
std::string ScopeProblem(const App& app, const std::string& scope) {
  // A malformed code is left to the core, whose message names the rule.
  if (!sync::ValidateDesaScope(scope).ok()) return "";
  auto status = app.device->Status();
  if (!status.ok() || status->scopes.empty()) return "";
  for (const std::string& s : status->scopes) {
    if (scope == s || sync::RegionContains(s, scope)) return "";
  }
  return app.T(Msg::kNotYourVillage, scope, absl::StrJoin(status->scopes, ", "));
}

int ActivityAdd(App& app) {
  const sync::CollectionSpec& spec = *sync::Schema::Default().Find(sync::kActivity);
  mobile::FieldValues fields;
  if (auto error = FieldsFromFlags(spec, kActivityFlags, app.args, true, &fields)) {
    return app.InvalidInput(*error);
  }
  if (!app.args.Has("status")) fields.emplace_back("status", std::string("planned"));
  const std::string scope(absl::StripAsciiWhitespace(app.args.Get("village")));
  if (std::string problem = ScopeProblem(app, scope); !problem.empty()) {
    app.Fail(problem);
    PrintError(app.T(Msg::kTypedValues, TypedValues(app.args)));
    PrintError(app.T(Msg::kNothingSaved));
    return kExitError;
  }
  absl::StatusOr<std::string> id = app.device->Create(sync::kActivity, scope, fields);
  if (!id.ok()) {
    absl::Status status = WithoutNewId(id.status(), sync::kActivity);
    if (absl::StrContains(status.message(), "scope") ||
        (!scope.empty() && absl::StrContains(status.message(), scope))) {
      status = absl::Status(status.code(), absl::StrCat(status.message(), " (--village)"));
    }
    return app.WriteRefused(status, &kActivityFlags);
  }
  Print((app.json ? IdJson(*id) : *id) + "\n");
  return kExitOk;
}

int ActivityEdit(App& app) {
  const std::string id = app.ResolveId(sync::kActivity, app.Word(0));
  if (id.empty()) return kExitError;
  const sync::CollectionSpec& spec = *sync::Schema::Default().Find(sync::kActivity);
  mobile::FieldValues fields;
  if (auto error = FieldsFromFlags(spec, kActivityFlags, app.args, false, &fields)) {
    return app.InvalidInput(*error);
  }
  if (fields.empty()) return app.Usage(UsageError{Msg::kNoChanges, {app.command, "progress"}});
  if (absl::Status s = app.device->Update(sync::kActivity, id, fields); !s.ok()) {
    return app.WriteRefused(s, &kActivityFlags);
  }
  return PrintEdited(app, sync::kActivity, id);
}

int ActivityDelete(App& app) {
  const std::string id = app.ResolveId(sync::kActivity, app.Word(0));
  if (id.empty()) return kExitError;
  if (absl::Status s = app.device->Delete(sync::kActivity, id); !s.ok()) {
    return app.WriteRefused(s, nullptr);
  }
  if (app.json) {
    Print(IdJson(id, "deleted") + "\n");
  } else {
    Print(app.T(Msg::kDeleted, Capitalized(CollectionLabel(app.lang, sync::kActivity)),
                ShortId(id)) +
          "\n");
  }
  return kExitOk;
}

// Copies the report's progress and spending to its activity when it is the
// newest report of the activity (docs/reports.md "Spending"): reports are
// ordered by visit date, a tie going to the later write, so the report just
// filed wins a tie. Progress follows the newest report as a whole; spending
// per source, each source following the newest report that names it
// (sync::SpentAfterReport). The report itself is already stored; a refusal
// here (e.g. the activity was deleted) leaves the report as it is.
void FollowLatestReport(App& app, const std::string& activity, const std::string& report_id) {
  auto filed = app.device->Get(sync::kProgressReport, report_id);
  if (!filed.ok()) return;
  const sync::ReportSpending report = sync::ReportSpendingOf(*filed);
  if (report.visit_date.empty()) return;
  mobile::ListQuery query;
  query.collection = sync::kProgressReport;
  query.activity_id = activity;
  auto reports = app.device->List(query);
  if (!reports.ok()) return;
  std::vector<sync::ReportSpending> others;
  bool newest = true;
  for (const auto& r : *reports) {
    if (r.id == report_id) continue;
    others.push_back(sync::ReportSpendingOf(r));
    if (sync::ReportedBefore(report, others.back())) newest = false;
  }
  auto current = app.device->Get(sync::kActivity, activity);
  if (!current.ok()) return;
  mobile::FieldValues changes;
  const sync::Value* progress = filed->Get("physical_progress_pct");
  if (newest && progress != nullptr) changes.emplace_back("physical_progress_pct", *progress);
  if (!report.spent.empty()) {
    sync::AmountMap spent;
    if (const sync::Value* v = current->Get("spent"); v != nullptr) {
      if (const auto* amounts = std::get_if<sync::AmountMap>(v)) spent = *amounts;
    }
    sync::AmountMap after = sync::SpentAfterReport(spent, report, others);
    if (after != spent) changes.emplace_back("spent", std::move(after));
  }
  if (changes.empty()) return;
  app.device->Update(sync::kActivity, activity, changes).IgnoreError();
}

int ReportAdd(App& app) {
  // Reports of a deleted activity are still accepted: a visit may be
  // recorded before the deletion arrives from another device.
  const std::string activity = app.ResolveId(sync::kActivity, app.args.Get("activity"), true);
  if (activity.empty()) return kExitError;
  auto record = app.device->Get(sync::kActivity, activity);
  if (!record.ok()) return app.CoreError(record.status());

  const sync::CollectionSpec& spec = *sync::Schema::Default().Find(sync::kProgressReport);
  mobile::FieldValues fields = {{"activity_id", activity}};
  if (auto error = FieldsFromFlags(spec, kReportFlags, app.args, true, &fields)) {
    return app.InvalidInput(*error);
  }
  if (!app.args.Has("date")) fields.emplace_back("visit_date", LocalDateToday());
  if (auto status = app.device->Status(); status.ok() && !status->user.empty()) {
    fields.emplace_back("reporter", status->user);
  }
  // Photos: each file becomes a photo record of the report, with the
  // report's position when one is given.
  std::vector<mobile::PhotoAttachment> photos;
  if (app.args.Has("photo")) {
    if (!app.args.Has("stage")) return app.Usage(UsageError{Msg::kPhotoNeedsStage, {}});
    const std::string stage(absl::StripAsciiWhitespace(app.args.Get("stage")));
    if (stage != "0" && stage != "50" && stage != "100" && stage != "other") {
      return app.Usage(UsageError{Msg::kBadStage, {stage}});
    }
    photos = PhotosFromFlags(app, stage);
    for (mobile::PhotoAttachment& p : photos) {
      for (const auto& [name, value] : fields) {
        const double* d = std::get_if<double>(&value);
        const int64_t* i = std::get_if<int64_t>(&value);
        if (d == nullptr && i == nullptr) continue;
        const double v = d != nullptr ? *d : static_cast<double>(*i);
        if (name == "lat") p.lat = v;
        if (name == "lon") p.lon = v;
        if (name == "accuracy_m") p.accuracy_m = v;
      }
    }
  } else if (app.args.Has("stage") || app.args.Has("caption")) {
    return app.Usage(UsageError{Msg::kMissingFlag, {app.command, "photo"}});
  }
  absl::StatusOr<std::string> id =
      photos.empty() ? app.device->Create(sync::kProgressReport, record->scope, fields)
                     : app.device->CreateReport(record->scope, fields, photos);
  if (!id.ok()) {
    return app.WriteRefused(WithoutNewId(id.status(), sync::kProgressReport), &kReportFlags);
  }
  // An activity's current progress and realisasi follow its latest report
  // (docs/domain.md, docs/reports.md "Spending").
  FollowLatestReport(app, activity, *id);
  Print((app.json ? IdJson(*id) : *id) + "\n");
  return kExitOk;
}

// Moves a follow-up from the district: status, closing note, photos.
int FollowUpUpdate(App& app) {
  const std::string id = app.ResolveId(sync::kFollowUp, app.Word(0));
  if (id.empty()) return kExitError;
  if (!app.args.Has("status") && !app.args.Has("note") && !app.args.Has("photo")) {
    return app.Usage(UsageError{Msg::kFollowUpNeedsChange, {}});
  }
  mobile::FieldValues fields;
  if (app.args.Has("status")) {
    fields.emplace_back("status", std::string(absl::StripAsciiWhitespace(app.args.Get("status"))));
  }
  if (app.args.Has("note")) fields.emplace_back("closing_note", app.args.Get("note"));
  const std::vector<mobile::PhotoAttachment> photos = PhotosFromFlags(app, "other");
  if (app.args.Has("caption") && photos.empty()) {
    return app.Usage(UsageError{Msg::kMissingFlag, {app.command, "photo"}});
  }
  if (absl::Status s = app.device->UpdateFollowUp(id, fields, photos); !s.ok()) {
    return app.CoreError(s);
  }
  auto updated = app.device->Get(sync::kFollowUp, id);
  if (!updated.ok()) return app.CoreError(updated.status());
  const sync::Value* status = updated->Get("status");
  Print(app.T(Msg::kFollowUpUpdated, ShortId(id),
              status != nullptr ? DisplayValue(app.lang, "status", *status) : "-") +
        "\n");
  return kExitOk;
}

int VillageEdit(App& app) {
  const std::string code = app.Word(0);
  if (auto village = app.device->Get(sync::kVillage, code); !village.ok()) {
    if (village.status().code() == absl::StatusCode::kNotFound) {
      return app.Fail(app.T(Msg::kVillageNotHere, code));
    }
    return app.CoreError(village.status());
  }
  const sync::CollectionSpec& spec = *sync::Schema::Default().Find(sync::kVillage);
  mobile::FieldValues fields;
  if (auto error = FieldsFromFlags(spec, kVillageFlags, app.args, false, &fields)) {
    return app.InvalidInput(*error);
  }
  if (fields.empty()) return app.Usage(UsageError{Msg::kNoChanges, {app.command, "population"}});
  if (absl::Status s = app.device->Update(sync::kVillage, code, fields); !s.ok()) {
    return app.WriteRefused(s, &kVillageFlags);
  }
  return PrintEdited(app, sync::kVillage, code);
}

}  // namespace kawal::field
