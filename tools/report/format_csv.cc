// CSV (RFC 4180) of the progress and freshness reports: a header row in
// English snake_case, then one row per area keyed by its Kemendagri code, so
// the file joins with Siskeudes, OpenSID and Prodeskel exports. Numbers are
// unformatted. The columns are fixed (docs/reports.md); new columns are only
// ever appended.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "kawal/sync/domain_labels.h"
#include "report/report_format.h"

namespace kawal::report {
namespace {

constexpr const char* kStatuses[] = {"planned", "in_progress", "done", "cancelled", "stalled"};
// The funding sources and focus tags, in the domain's order (one column
// each).
absl::Span<const sync::DomainLabel> Sources() { return sync::DomainLabels("source"); }
absl::Span<const sync::DomainLabel> Focus() { return sync::DomainLabels("focus"); }

int64_t Get(const google::protobuf::Map<std::string, int64_t>& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? 0 : it->second;
}

// Person-days from their ×100 fixed point: 1250 -> "12.5".
std::string PersonDays(int64_t x100) {
  const char* sign = x100 < 0 ? "-" : "";
  const uint64_t a = x100 < 0 ? static_cast<uint64_t>(-(x100 + 1)) + 1 : x100;
  const uint64_t cents = a % 100;
  if (cents == 0) return absl::StrCat(sign, a / 100);
  std::string frac = absl::StrFormat("%02d", cents);
  if (frac.back() == '0') frac.pop_back();
  return absl::StrCat(sign, a / 100, ".", frac);
}

void AppendRow(const std::vector<std::string>& fields, std::string* out) {
  bool first = true;
  for (const std::string& f : fields) {
    if (!first) out->push_back(',');
    first = false;
    out->append(CsvField(f));
  }
  out->append("\r\n");
}

// UTC time as ISO 8601 ("2026-03-01T07:05:00Z"); "" for 0 (never).
std::string IsoTime(int64_t ms) {
  if (ms <= 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMillis(ms), absl::UTCTimeZone());
}

}  // namespace

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvPercent(double value) {
  if (!std::isfinite(value)) return "";
  std::string s = absl::StrFormat("%.2f", value);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::vector<std::string> ProgressCsvColumns(bool with_key) {
  std::vector<std::string> c = {"code", "name"};
  if (with_key) {
    c.push_back("key");
    c.push_back("key_label");
  }
  c.push_back("activities");
  for (const char* s : kStatuses) c.push_back(s);
  for (const char* s : {"budget", "spent", "absorption_pct", "progress_pct", "progress_rupiah"}) {
    c.push_back(s);
  }
  for (const auto& s : Sources()) c.push_back(absl::StrCat("budget_", s.key));
  for (const auto& s : Sources()) c.push_back(absl::StrCat("spent_", s.key));
  for (const char* s : {"reports", "workers", "person_days", "wages"}) c.push_back(s);
  for (const auto& f : Focus()) c.push_back(absl::StrCat(f.key, "_activities"));
  for (const auto& f : Focus()) c.push_back(absl::StrCat(f.key, "_budget"));
  for (const char* s : {"activities_with_photo_0", "activities_with_photo_50",
                        "activities_with_photo_100", "conflicts_open", "conflicts_settled",
                        "followups_open", "followups_overdue", "followups_done",
                        "followups_cancelled"}) {
    c.push_back(s);
  }
  return c;
}

std::string ProgressCsv(const v1::ProgressResponse& response) {
  const bool with_key = !response.by().empty();
  std::string out;
  AppendRow(ProgressCsvColumns(with_key), &out);
  for (const v1::AreaRow& row : response.rows()) {
    const v1::AreaFigures& f = row.figures();
    std::vector<std::string> r = {row.code(), row.name()};
    if (with_key) {
      r.push_back(row.key());
      r.push_back(row.key_label());
    }
    r.push_back(absl::StrCat(f.activities()));
    for (const char* s : kStatuses) r.push_back(absl::StrCat(Get(f.activities_by_status(), s)));
    r.push_back(absl::StrCat(f.budget()));
    r.push_back(absl::StrCat(f.spent()));
    r.push_back(CsvPercent(f.absorption_pct()));
    r.push_back(CsvPercent(f.progress_pct()));
    r.push_back(absl::StrCat(f.progress_rupiah()));
    for (const auto& s : Sources()) r.push_back(absl::StrCat(Get(f.budget_by_source(), s.key)));
    for (const auto& s : Sources()) r.push_back(absl::StrCat(Get(f.spent_by_source(), s.key)));
    r.push_back(absl::StrCat(f.reports()));
    r.push_back(absl::StrCat(f.workers()));
    r.push_back(PersonDays(f.person_days_x100()));
    r.push_back(absl::StrCat(f.wages()));
    for (const auto& t : Focus()) r.push_back(absl::StrCat(Get(f.activities_by_focus(), t.key)));
    for (const auto& t : Focus()) r.push_back(absl::StrCat(Get(f.budget_by_focus(), t.key)));
    r.push_back(absl::StrCat(f.activities_with_photo_0()));
    r.push_back(absl::StrCat(f.activities_with_photo_50()));
    r.push_back(absl::StrCat(f.activities_with_photo_100()));
    r.push_back(absl::StrCat(f.conflicts_open()));
    r.push_back(absl::StrCat(f.conflicts_settled()));
    r.push_back(absl::StrCat(f.followups_open()));
    r.push_back(absl::StrCat(f.followups_overdue()));
    r.push_back(absl::StrCat(f.followups_done()));
    r.push_back(absl::StrCat(f.followups_cancelled()));
    AppendRow(r, &out);
  }
  return out;
}

std::vector<std::string> FreshnessCsvColumns() {
  return {"code", "name", "kecamatan", "last_sync_utc", "last_sync_ms", "last_user",
          "silent_days", "never_synced"};
}

std::string FreshnessCsv(const v1::FreshnessResponse& response) {
  std::string out;
  AppendRow(FreshnessCsvColumns(), &out);
  for (const v1::VillageFreshness& v : response.villages()) {
    const bool never = v.last_sync_ms() <= 0;
    AppendRow({v.code(), v.name(), v.kecamatan(), IsoTime(v.last_sync_ms()),
               absl::StrCat(v.last_sync_ms()), v.last_user(), absl::StrCat(v.silent_days()),
               never ? "1" : "0"},
              &out);
  }
  return out;
}

std::vector<std::string> ConflictsCsvColumns() {
  return {"id",           "scope",          "record_collection", "record_id",
          "record_name",  "field",          "winner_value",      "loser_value",
          "detected_at",  "resolution",     "resolved_by",       "resolved_at",
          "resolution_note"};
}

std::string ConflictsCsv(const v1::ListConflictsResponse& response) {
  std::string out;
  AppendRow(ConflictsCsvColumns(), &out);
  for (const v1::ConflictEntry& c : response.conflicts()) {
    for (const v1::ConflictField& f : ConflictFieldsOf(c)) {
      AppendRow({c.id(), c.scope(), c.record_collection(), c.record_id(), c.record_name(),
                 f.field(), f.winner_value(), f.loser_value(), IsoTime(c.detected_at_ms()),
                 c.resolution(), c.resolved_by(),
                 c.resolved_at_ms() > 0 ? IsoTime(c.resolved_at_ms()) : "", c.resolution_note()},
                &out);
    }
  }
  return out;
}

std::vector<std::string> ProblemsCsvColumns() {
  return {"kecamatan",   "kecamatan_name", "desa",          "desa_name", "visit_date",
          "activity_id", "activity_name",  "report_id",     "reporter",  "problems"};
}

std::string ProblemsCsv(const v1::ListProblemsResponse& response) {
  std::string out;
  AppendRow(ProblemsCsvColumns(), &out);
  for (const v1::ProblemEntry& p : response.problems()) {
    AppendRow({p.kecamatan(), p.kecamatan_name(), p.desa(), p.desa_name(), p.visit_date(),
               p.activity_id(), p.activity_name(), p.report_id(), p.reporter(), p.problems()},
              &out);
  }
  return out;
}

std::vector<std::string> FollowUpsCsvColumns() {
  return {"id",          "desa",          "desa_name",    "activity_id", "activity_name",
          "source_report_id", "problem",  "action",       "responsible", "due_date",
          "status",      "overdue",       "closing_note", "created_by",  "photo_ids"};
}

std::string FollowUpsCsv(const v1::ListFollowUpsResponse& response) {
  std::string out;
  AppendRow(FollowUpsCsvColumns(), &out);
  for (const v1::FollowUpEntry& f : response.follow_ups()) {
    AppendRow({f.id(), f.desa(), f.desa_name(), f.activity_id(), f.activity_name(),
               f.source_report_id(), f.problem(), f.action(), f.responsible(), f.due_date(),
               f.status(), f.overdue() ? "1" : "0", f.closing_note(), f.created_by(),
               absl::StrJoin(f.photo_ids(), " ")},
              &out);
  }
  return out;
}

}  // namespace kawal::report
