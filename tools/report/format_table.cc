// Aligned text tables of the progress and freshness reports for a terminal
// or a plain-text e-mail: header in the chosen language, rupiah with the
// language's thousands separators, percentages with one decimal, total rows.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "report/report_format.h"

namespace kawal::report {
namespace {

struct Column {
  std::string header;
  bool right;  // numbers are right-aligned
};

// Rows of cells, rendered with two spaces between columns; a rule under the
// header and before the first row marked `rule_before`.
class TextTable {
 public:
  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void Add(std::vector<std::string> cells, bool rule_before = false) {
    cells.resize(columns_.size());
    rows_.push_back({std::move(cells), rule_before});
  }
  std::string Render() const {
    std::vector<size_t> width(columns_.size());
    for (size_t c = 0; c < columns_.size(); ++c) {
      width[c] = DisplayWidth(columns_[c].header);
      for (const Row& r : rows_) width[c] = std::max(width[c], DisplayWidth(r.cells[c]));
    }
    size_t total = 0;
    for (size_t w : width) total += w + 2;
    const std::string rule(total > 2 ? total - 2 : 0, '-');
    std::vector<std::string> header;
    for (const Column& c : columns_) header.push_back(c.header);
    std::string out = Line(header, width);
    absl::StrAppend(&out, rule, "\n");
    for (const Row& r : rows_) {
      if (r.rule_before) absl::StrAppend(&out, rule, "\n");
      absl::StrAppend(&out, Line(r.cells, width));
    }
    return out;
  }

 private:
  struct Row {
    std::vector<std::string> cells;
    bool rule_before;
  };
  std::string Line(const std::vector<std::string>& cells, const std::vector<size_t>& width) const {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(width[c] - DisplayWidth(cells[c]), ' ');
      if (c > 0) line.append("  ");
      line.append(columns_[c].right ? pad + cells[c] : cells[c] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
  }
  std::vector<Column> columns_;
  std::vector<Row> rows_;
};

int64_t Get(const google::protobuf::Map<std::string, int64_t>& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? 0 : it->second;
}

// "9 Infrastruktur ..." for numbered keys and sources; the label alone for
// focus tags.
std::string KeyCell(const v1::ProgressResponse& response, const v1::AreaRow& row, Lang lang) {
  std::string label = KeyLabel(response.by(), row.key(), row.key_label(), lang);
  if (response.by() == "focus" || label == row.key()) return Truncate(label, 44);
  return Truncate(absl::StrCat(row.key(), " ", label), 44);
}

std::string Heading(const std::string& title, const std::string& subtitle) {
  return absl::StrCat(title, "\n", subtitle, "\n\n");
}

}  // namespace

std::vector<v1::AreaRow> RowsPerArea(const v1::ProgressResponse& response) {
  std::vector<v1::AreaRow> out;
  if (response.by().empty()) {
    out.assign(response.rows().begin(), response.rows().end());
    return out;
  }
  std::map<std::string, size_t> index;
  for (const v1::AreaRow& row : response.rows()) {
    auto [it, added] = index.emplace(row.code(), out.size());
    if (added) {
      v1::AreaRow area;
      area.set_code(row.code());
      area.set_name(row.name());
      out.push_back(area);
    }
    v1::AreaFigures* sum = out[it->second].mutable_figures();
    const v1::AreaFigures& f = row.figures();
    // Only the money is summed: activity counts would double-count
    // activities listed under several keys (SDG goals, focus tags).
    sum->set_budget(sum->budget() + f.budget());
    sum->set_spent(sum->spent() + f.spent());
    sum->set_progress_rupiah(sum->progress_rupiah() + f.progress_rupiah());
  }
  for (v1::AreaRow& row : out) {
    v1::AreaFigures* f = row.mutable_figures();
    const double budget = static_cast<double>(f->budget());
    f->set_progress_pct(budget > 0 ? f->progress_rupiah() / budget * 100 : 0);
    f->set_absorption_pct(budget > 0 ? f->spent() / budget * 100 : 0);
  }
  return out;
}

std::string ProgressTable(const v1::ProgressResponse& response, Lang lang) {
  const bool with_key = !response.by().empty();
  std::vector<Column> columns = {{Text(Msg::kCode, lang), false}, {Text(Msg::kName, lang), false}};
  if (with_key) columns.push_back({ByLabel(response.by(), lang), false});
  for (Msg m : {Msg::kActivities, Msg::kPlanned, Msg::kInProgress, Msg::kDone, Msg::kCancelled,
                Msg::kStalled, Msg::kBudget, Msg::kSpent, Msg::kAbsorption, Msg::kProgress,
                Msg::kOpenConflicts, Msg::kOpenFollowUps, Msg::kOverdueFollowUps}) {
    columns.push_back({Text(m, lang), true});
  }
  TextTable table(std::move(columns));
  auto add = [&](const v1::AreaRow& row, bool total, bool rule) {
    const v1::AreaFigures& f = row.figures();
    std::vector<std::string> cells;
    if (total) {
      cells = {Text(Msg::kTotal, lang), ""};
    } else {
      cells = {row.code(), row.name()};
    }
    if (with_key) cells.push_back(KeyCell(response, row, lang));
    cells.push_back(FormatInt(f.activities(), lang));
    for (const char* s : {"planned", "in_progress", "done", "cancelled", "stalled"}) {
      cells.push_back(FormatInt(Get(f.activities_by_status(), s), lang));
    }
    cells.push_back(FormatRupiah(f.budget(), lang));
    cells.push_back(FormatRupiah(f.spent(), lang));
    cells.push_back(FormatPercent(f.absorption_pct(), lang));
    cells.push_back(FormatPercent(f.progress_pct(), lang));
    cells.push_back(FormatInt(f.conflicts_open(), lang));
    cells.push_back(FormatInt(f.followups_open(), lang));
    cells.push_back(FormatInt(f.followups_overdue(), lang));
    table.Add(std::move(cells), rule);
  };
  for (const v1::AreaRow& row : response.rows()) add(row, false, false);
  bool first_total = true;
  for (const v1::AreaRow& row : response.totals()) {
    add(row, true, first_total);
    first_total = false;
  }
  std::string subtitle = absl::StrCat(
      response.region_name().empty() ? response.region() : response.region_name(), " (",
      response.region(), ") · ", Text(Msg::kYear, lang), " ", response.year(), " · ",
      Per(LevelLabel(response.level(), lang), lang));
  if (with_key) absl::StrAppend(&subtitle, " · ", Per(ByLabel(response.by(), lang), lang));
  if (response.generated_at_ms() > 0) {
    absl::StrAppend(&subtitle, " · ", Text(Msg::kGenerated, lang), " ",
                    FormatLocalTime(response.generated_at_ms()));
  }
  std::string out = Heading(Text(Msg::kProgressTitle, lang), subtitle);
  if (response.rows().empty()) {
    absl::StrAppend(&out, Text(Msg::kNoData, lang), "\n");
    return out;
  }
  absl::StrAppend(&out, table.Render());
  return out;
}

std::string FreshnessTable(const v1::FreshnessResponse& response, int silent_days, Lang lang) {
  int never = 0;
  for (const v1::VillageFreshness& v : response.villages()) never += v.last_sync_ms() <= 0;
  const std::string scope =
      silent_days > 0 ? absl::StrFormat(Text(Msg::kSilentVillages, lang), silent_days)
                      : std::string(Text(Msg::kAllVillages, lang));
  std::string subtitle =
      absl::StrCat(response.region(), " · ", scope, ": ", response.villages_size(), " (",
                   Text(Msg::kNeverSynced, lang), ": ", never, ")");
  if (response.now_ms() > 0) {
    absl::StrAppend(&subtitle, " · ", Text(Msg::kGenerated, lang), " ",
                    FormatLocalTime(response.now_ms()));
  }
  std::string out = Heading(Text(Msg::kFreshnessTitle, lang), subtitle);

  TextTable villages({{Text(Msg::kCode, lang), false},
                      {Text(Msg::kVillage, lang), false},
                      {Text(Msg::kKecamatan, lang), false},
                      {Text(Msg::kLastSync, lang), false},
                      {Text(Msg::kLastUser, lang), false},
                      {Text(Msg::kDaysSilent, lang), true}});
  for (const v1::VillageFreshness& v : response.villages()) {
    const bool none = v.last_sync_ms() <= 0;
    villages.Add({v.code(), v.name(), v.kecamatan(),
                  none ? Text(Msg::kNever, lang) : FormatLocalTime(v.last_sync_ms()), v.last_user(),
                  none ? "-" : FormatInt(v.silent_days(), lang)});
  }
  absl::StrAppend(&out, villages.Render());

  if (response.facilitators_size() > 0) {
    TextTable people({{Text(Msg::kFacilitator, lang), false},
                      {Text(Msg::kScopes, lang), false},
                      {Text(Msg::kLastSync, lang), false},
                      {Text(Msg::kDevice, lang), false},
                      {Text(Msg::kDaysSilent, lang), true}});
    for (const v1::FacilitatorFreshness& f : response.facilitators()) {
      const bool none = f.last_sync_ms() <= 0;
      people.Add({f.user(), Truncate(absl::StrJoin(f.scopes(), ","), 60),
                  none ? Text(Msg::kNever, lang) : FormatLocalTime(f.last_sync_ms()), f.last_device(),
                  none ? "-" : FormatInt(f.silent_days(), lang)});
    }
    absl::StrAppend(&out, "\n", Text(Msg::kFacilitators, lang), "\n\n", people.Render());
  }
  return out;
}

std::string ConflictsTable(const v1::ListConflictsResponse& response, const std::string& region,
                           Lang lang) {
  std::string out = Heading(Text(Msg::kConflictsTitle, lang), region);
  if (response.conflicts().empty()) return absl::StrCat(out, Text(Msg::kNoConflicts, lang), "\n");
  TextTable table({{"ID", false},
                   {Text(Msg::kVillage, lang), false},
                   {Text(Msg::kRecord, lang), false},
                   {Text(Msg::kField, lang), false},
                   {Text(Msg::kWinnerValue, lang), false},
                   {Text(Msg::kLoserValue, lang), false},
                   {Text(Msg::kDetected, lang), false},
                   {Text(Msg::kState, lang), false}});
  for (const v1::ConflictEntry& c : response.conflicts()) {
    std::string state = Text(Msg::kOpenState, lang);
    if (!c.resolution().empty()) {
      Msg how = Msg::kDismissedState;
      if (c.resolution() == "kept_winner") how = Msg::kKeptWinnerState;
      if (c.resolution() == "restored_loser") how = Msg::kRestoredLoserState;
      state = absl::StrCat(Text(how, lang), " (", c.resolved_by(), ")");
    }
    // One line per lost field; the conflict's own columns on its first.
    bool first = true;
    for (const v1::ConflictField& f : ConflictFieldsOf(c)) {
      if (first) {
        table.Add({c.id(), c.scope(), c.record_name().empty() ? c.record_id() : c.record_name(),
                   f.field(), f.winner_value(), f.loser_value(),
                   c.detected_at_ms() > 0 ? FormatLocalTime(c.detected_at_ms()) : "-", state},
                  false);
      } else {
        table.Add({"", "", "", f.field(), f.winner_value(), f.loser_value(), "", ""}, false);
      }
      first = false;
    }
  }
  absl::StrAppend(&out, table.Render());
  if (response.truncated()) absl::StrAppend(&out, Text(Msg::kConflictsTruncated, lang), "\n");
  return out;
}

std::string ProblemsTable(const v1::ListProblemsResponse& response, const std::string& region,
                          Lang lang) {
  std::string out = Heading(Text(Msg::kProblemsTitle, lang), region);
  if (response.problems().empty()) return absl::StrCat(out, Text(Msg::kNoProblems, lang), "\n");
  // Walked through aloud at a rakor: a heading per kecamatan and desa, then
  // each report's line and its text in full (a table would cut it).
  std::string kecamatan, desa;
  for (const v1::ProblemEntry& p : response.problems()) {
    if (p.kecamatan() != kecamatan) {
      kecamatan = p.kecamatan();
      desa.clear();
      absl::StrAppend(&out, "\n", Text(Msg::kKecamatan, lang), " ", p.kecamatan_name(), " (",
                      p.kecamatan(), ")\n");
    }
    if (p.desa() != desa) {
      desa = p.desa();
      absl::StrAppend(&out, "  ", Text(Msg::kVillage, lang), " ", p.desa_name(), " (", p.desa(),
                      ")\n");
    }
    const std::string& activity = p.activity_name().empty() ? p.activity_id() : p.activity_name();
    absl::StrAppend(&out, "    ", p.visit_date(), "  ", activity,
                    p.reporter().empty() ? "" : absl::StrCat("  (", p.reporter(), ")"), "\n");
    for (absl::string_view line : absl::StrSplit(p.problems(), '\n')) {
      absl::StrAppend(&out, "      ", line, "\n");
    }
  }
  if (response.truncated()) {
    absl::StrAppend(&out, "\n", Text(Msg::kProblemsTruncated, lang), "\n");
  }
  return out;
}

std::string FollowUpsTable(const v1::ListFollowUpsResponse& response, const std::string& region,
                           Lang lang) {
  std::string out = Heading(Text(Msg::kFollowUpsTitle, lang), region);
  if (response.follow_ups().empty()) {
    return absl::StrCat(out, Text(Msg::kNoFollowUps, lang), "\n");
  }
  TextTable table({{"ID", false},
                   {Text(Msg::kVillage, lang), false},
                   {Text(Msg::kActivities, lang), false},
                   {Text(Msg::kAction, lang), false},
                   {Text(Msg::kResponsible, lang), false},
                   {Text(Msg::kDueDate, lang), false},
                   {Text(Msg::kState, lang), false}});
  for (const v1::FollowUpEntry& f : response.follow_ups()) {
    table.Add({f.id(), absl::StrCat(f.desa_name(), " (", f.desa(), ")"),
               f.activity_name().empty() ? f.activity_id() : f.activity_name(),
               Truncate(f.action(), 60), f.responsible(),
               f.overdue() ? absl::StrCat(f.due_date(), " (", Text(Msg::kOverdueMark, lang), ")")
                           : f.due_date(),
               f.status()},
              false);
  }
  absl::StrAppend(&out, table.Render());
  // What a table would cut, in full below it.
  for (const v1::FollowUpEntry& f : response.follow_ups()) {
    if (f.problem().empty() && f.closing_note().empty() && f.action().size() <= 60) continue;
    absl::StrAppend(&out, "\n", f.id(), "\n  ", Text(Msg::kAction, lang), ": ", f.action(), "\n");
    if (!f.problem().empty()) {
      absl::StrAppend(&out, "  ", Text(Msg::kProblem, lang), ": ", f.problem(), "\n");
    }
    if (!f.closing_note().empty()) {
      absl::StrAppend(&out, "  ", Text(Msg::kClosingNote, lang), ": ", f.closing_note(), "\n");
    }
  }
  if (response.truncated()) {
    absl::StrAppend(&out, "\n", Text(Msg::kFollowUpsTruncated, lang), "\n");
  }
  return out;
}

}  // namespace kawal::report
