// The HTML report: one self-contained file (inline CSS and SVG; no scripts,
// links, fonts or images fetched from anywhere) readable on a phone, with
// labels in Bahasa Indonesia or English. Every text from the server is
// escaped.
#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "report/html_parts.h"
#include "report/report_format.h"
#include "report/svg_chart.h"

namespace kawal::report {
namespace {

// What the report file adds to the shared rules: a sticky first column and
// the totals row; value labels dark (inside a bar svg_chart.h sets their
// fill inline, which wins).
constexpr char kReportCss[] = R"css(.meta{color:#555;font-size:.9rem;margin:0}
svg .value{fill:#222}
th:first-child,td:first-child{position:sticky;left:0;z-index:1}
tfoot td{font-weight:700;border-top:2px solid #999}
)css";

std::string E(absl::string_view text) { return EscapeHtml(text); }

std::string Page(const std::string& title, const std::string& body, Lang lang) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"", lang == Lang::kEn ? "en" : "id",
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      E(title), "</title>\n<style>\n", BaseCss(), kReportCss, "</style>\n</head>\n<body>\n<main>\n", body,
      "<footer>Kawal Desa · kawal-report</footer>\n</main>\n</body>\n</html>\n");
}

int64_t Get(const google::protobuf::Map<std::string, int64_t>& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? 0 : it->second;
}

std::string Section(const std::string& heading, const std::string& content,
                    const std::string& note = "") {
  return absl::StrCat("<section>\n<h2>", E(heading), "</h2>\n", content,
                      note.empty() ? "" : absl::StrCat("<p class=\"note\">", E(note), "</p>\n"),
                      "</section>\n");
}

// The data table: every row, then the total rows in <tfoot>.
std::string DataTable(const v1::ProgressResponse& r, Lang lang) {
  const bool with_key = !r.by().empty();
  std::string head = absl::StrCat(Th(Text(Msg::kCode, lang)), Th(Text(Msg::kName, lang)));
  if (with_key) absl::StrAppend(&head, Th(ByLabel(r.by(), lang)));
  for (Msg m : {Msg::kActivities, Msg::kPlanned, Msg::kInProgress, Msg::kDone, Msg::kCancelled,
                Msg::kStalled, Msg::kBudget, Msg::kSpent, Msg::kAbsorption, Msg::kProgress,
                Msg::kDanaDesaBudget, Msg::kDanaDesaSpent, Msg::kReports, Msg::kWorkers,
                Msg::kPersonDays, Msg::kWages, Msg::kFoodSecurityBudget, Msg::kBltBudget,
                Msg::kStuntingActivities, Msg::kPadatKaryaActivities, Msg::kPhotos0,
                Msg::kPhotos50, Msg::kPhotos100, Msg::kOpenConflicts, Msg::kOpenFollowUps,
                Msg::kOverdueFollowUps, Msg::kDoneFollowUps}) {
    absl::StrAppend(&head, Th(Text(m, lang), true));
  }
  auto row_html = [&](const v1::AreaRow& row, bool total) {
    const v1::AreaFigures& f = row.figures();
    std::string tr = "<tr>";
    absl::StrAppend(&tr, Td(total ? "" : row.code()),
                    Td(total ? Text(Msg::kTotal, lang) : row.name()));
    if (with_key) {
      const std::string label = KeyLabel(r.by(), row.key(), row.key_label(), lang);
      absl::StrAppend(&tr, Td(r.by() == "focus" || label == row.key()
                                  ? label
                                  : absl::StrCat(row.key(), " ", label)));
    }
    absl::StrAppend(&tr, Td(FormatInt(f.activities(), lang), true));
    for (const char* s : {"planned", "in_progress", "done", "cancelled", "stalled"}) {
      absl::StrAppend(&tr, Td(FormatInt(Get(f.activities_by_status(), s), lang), true));
    }
    absl::StrAppend(&tr, Td(FormatRupiah(f.budget(), lang), true),
                    Td(FormatRupiah(f.spent(), lang), true),
                    Td(FormatPercent(f.absorption_pct(), lang), true),
                    Td(FormatPercent(f.progress_pct(), lang), true),
                    Td(FormatRupiah(Get(f.budget_by_source(), "DDS"), lang), true),
                    Td(FormatRupiah(Get(f.spent_by_source(), "DDS"), lang), true),
                    Td(FormatInt(f.reports(), lang), true), Td(FormatInt(f.workers(), lang), true),
                    Td(FormatDecimal(f.person_days_x100() / 100.0, 2, lang), true),
                    Td(FormatRupiah(f.wages(), lang), true));
    absl::StrAppend(&tr, Td(FormatRupiah(Get(f.budget_by_focus(), "food_security"), lang), true),
                    Td(FormatRupiah(Get(f.budget_by_focus(), "blt"), lang), true),
                    Td(FormatInt(Get(f.activities_by_focus(), "stunting"), lang), true),
                    Td(FormatInt(Get(f.activities_by_focus(), "padat_karya"), lang), true),
                    Td(FormatInt(f.activities_with_photo_0(), lang), true),
                    Td(FormatInt(f.activities_with_photo_50(), lang), true),
                    Td(FormatInt(f.activities_with_photo_100(), lang), true),
                    Td(FormatInt(f.conflicts_open(), lang), true),
                    Td(FormatInt(f.followups_open(), lang), true),
                    Td(FormatInt(f.followups_overdue(), lang), true),
                    Td(FormatInt(f.followups_done(), lang), true), "</tr>\n");
    return tr;
  };
  std::string body;
  for (const v1::AreaRow& row : r.rows()) absl::StrAppend(&body, row_html(row, false));
  std::string foot;
  for (const v1::AreaRow& row : r.totals()) absl::StrAppend(&foot, row_html(row, true));
  return absl::StrCat("<div class=\"scroll\"><table>\n<thead><tr>", head,
                      "</tr></thead>\n<tbody>\n", body, "</tbody>\n",
                      foot.empty() ? "" : absl::StrCat("<tfoot>\n", foot, "</tfoot>\n"),
                      "</table></div>\n");
}

// Budget and spending per SDGs Desa goal: the report's per-key totals (or
// its rows summed per key when it has no totals), goals with money only,
// in goal order.
std::vector<ChartItem> SdgItems(const v1::ProgressResponse& by_sdg, Lang lang) {
  std::map<int, std::pair<int64_t, int64_t>> goals;
  const auto& source = by_sdg.totals().empty() ? by_sdg.rows() : by_sdg.totals();
  for (const v1::AreaRow& row : source) {
    int goal = 0;
    if (!absl::SimpleAtoi(row.key(), &goal)) continue;
    goals[goal].first += row.figures().budget();
    goals[goal].second += row.figures().spent();
  }
  std::vector<ChartItem> items;
  for (const auto& [goal, money] : goals) {
    if (money.first == 0 && money.second == 0) continue;
    ChartItem item;
    item.label = Truncate(absl::StrCat(goal, ". ", SdgLabel(goal, lang)), 64);
    item.values = {static_cast<double>(money.first), static_cast<double>(money.second)};
    const double pct = money.first > 0 ? 100.0 * money.second / money.first : 0;
    item.value_labels = {FormatRupiahShort(money.first, lang),
                         absl::StrCat(FormatRupiahShort(money.second, lang), " (",
                                      FormatPercent(pct, lang), ")")};
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

std::string ProgressHtml(const v1::ProgressResponse& response, const v1::ProgressResponse& by_sdg,
                         Lang lang) {
  return ProgressHtml(response, response, by_sdg, lang);
}

std::string ProgressHtml(const v1::ProgressResponse& response, const v1::ProgressResponse& per_area,
                         const v1::ProgressResponse& by_sdg, Lang lang) {
  const std::string level = LevelLabel(response.level(), lang);
  const std::string place =
      response.region_name().empty() ? response.region() : response.region_name();
  const std::string title =
      absl::StrCat(Text(Msg::kProgressTitle, lang), " — ", place, " ", response.year());
  std::string meta = absl::StrCat(place, " (", response.region(), ") · ", Text(Msg::kYear, lang),
                                  " ", response.year(), " · ", Per(level, lang));
  if (!response.by().empty()) absl::StrAppend(&meta, " · ", Per(ByLabel(response.by(), lang), lang));
  if (response.generated_at_ms() > 0) {
    absl::StrAppend(&meta, " · ", Text(Msg::kGenerated, lang), " ",
                    FormatLocalTime(response.generated_at_ms()));
  }
  std::string body = absl::StrCat("<header>\n<h1>", E(Text(Msg::kProgressTitle, lang)),
                                  "</h1>\n<p class=\"meta\">", E(meta), "</p>\n</header>\n");

  const std::vector<v1::AreaRow> areas = RowsPerArea(per_area);
  int64_t budget = 0, spent = 0, progress_rupiah = 0;
  for (const v1::AreaRow& a : areas) {
    budget += a.figures().budget();
    spent += a.figures().spent();
    progress_rupiah += a.figures().progress_rupiah();
  }
  absl::StrAppend(&body, "<div class=\"cards\">\n");
  if (per_area.by().empty() && per_area.totals_size() == 1) {
    absl::StrAppend(&body, Card(Text(Msg::kActivities, lang),
                                FormatInt(per_area.totals(0).figures().activities(), lang)));
  }
  absl::StrAppend(
      &body, Card(Text(Msg::kBudget, lang), FormatRupiah(budget, lang)),
      Card(Text(Msg::kSpent, lang), FormatRupiah(spent, lang)),
      Card(Text(Msg::kAbsorption, lang), FormatPercent(budget > 0 ? 100.0 * spent / budget : 0, lang)),
      Card(Text(Msg::kProgress, lang),
           FormatPercent(budget > 0 ? 100.0 * progress_rupiah / budget : 0, lang)),
      "</div>\n");

  auto rupiah = [lang](double v) { return FormatRupiahShort(v, lang); };
  BarChart money;
  money.title = absl::StrCat(Text(Msg::kChartSpentVsBudget, lang), " ", Per(level, lang));
  money.axis_label = Text(Msg::kAxisRupiah, lang);
  money.series = {{Text(Msg::kBudget, lang), kBudgetColor}, {Text(Msg::kSpent, lang), kSpentColor}};
  money.format = rupiah;
  money.empty_text = Text(Msg::kNoData, lang);
  BarChart progress;
  progress.title = absl::StrCat(Text(Msg::kChartProgress, lang), " ", Per(level, lang));
  progress.axis_label = Text(Msg::kAxisProgress, lang);
  progress.series = {{Text(Msg::kProgress, lang), kProgressColor}};
  progress.max_value = 100;
  progress.format = [](double v) { return absl::StrFormat("%.0f%%", v); };
  progress.empty_text = Text(Msg::kNoData, lang);
  for (const v1::AreaRow& a : areas) {
    const v1::AreaFigures& f = a.figures();
    const std::string label = Truncate(absl::StrCat(a.name(), " (", a.code(), ")"), 64);
    money.items.push_back({label,
                           {static_cast<double>(f.budget()), static_cast<double>(f.spent())},
                           {rupiah(f.budget()), absl::StrCat(rupiah(f.spent()), " (",
                                                             FormatPercent(f.absorption_pct(), lang),
                                                             ")")}});
    progress.items.push_back({label, {f.progress_pct()}, {FormatPercent(f.progress_pct(), lang)}});
  }
  BarChart sdg;
  sdg.title = Text(Msg::kChartSdg, lang);
  sdg.axis_label = Text(Msg::kAxisRupiah, lang);
  sdg.series = money.series;
  sdg.format = rupiah;
  sdg.empty_text = Text(Msg::kNoData, lang);
  sdg.items = SdgItems(by_sdg, lang);

  absl::StrAppend(&body, Section(money.title, RenderBarChart(money)),
                  Section(progress.title, RenderBarChart(progress), Text(Msg::kWeightedNote, lang)),
                  Section(sdg.title, RenderBarChart(sdg), Text(Msg::kSdgNote, lang)),
                  Section(Text(Msg::kDataTable, lang), DataTable(response, lang),
                          Text(Msg::kScrollHint, lang)));
  return Page(title, body, lang);
}

std::string FreshnessHtml(const v1::FreshnessResponse& response, int silent_days, Lang lang) {
  int never = 0;
  for (const v1::VillageFreshness& v : response.villages()) never += v.last_sync_ms() <= 0;
  const std::string scope =
      silent_days > 0 ? absl::StrFormat(Text(Msg::kSilentVillages, lang), silent_days)
                      : std::string(Text(Msg::kAllVillages, lang));
  std::string meta = response.region();
  if (response.now_ms() > 0) {
    absl::StrAppend(&meta, " · ", Text(Msg::kGenerated, lang), " ", FormatLocalTime(response.now_ms()));
  }
  std::string body = absl::StrCat("<header>\n<h1>", E(Text(Msg::kFreshnessTitle, lang)),
                                  "</h1>\n<p class=\"meta\">", E(meta), "</p>\n</header>\n");
  absl::StrAppend(&body, "<div class=\"cards\">\n",
                  Card(scope, FormatInt(response.villages_size(), lang)),
                  Card(Text(Msg::kNeverSynced, lang), FormatInt(never, lang), "", never > 0),
                  "</div>\n");

  std::string villages = absl::StrCat(
      "<div class=\"scroll\"><table>\n<thead><tr>", Th(Text(Msg::kCode, lang)),
      Th(Text(Msg::kVillage, lang)), Th(Text(Msg::kKecamatan, lang)),
      Th(Text(Msg::kLastSync, lang)), Th(Text(Msg::kLastUser, lang)),
      Th(Text(Msg::kDaysSilent, lang), true), "</tr></thead>\n<tbody>\n");
  for (const v1::VillageFreshness& v : response.villages()) {
    const bool none = v.last_sync_ms() <= 0;
    absl::StrAppend(&villages, none ? "<tr class=\"never\">" : "<tr>", Td(v.code()), Td(v.name()),
                    Td(v.kecamatan()),
                    Td(none ? Text(Msg::kNever, lang) : FormatLocalTime(v.last_sync_ms())),
                    Td(v.last_user()), Td(none ? "-" : FormatInt(v.silent_days(), lang), true),
                    "</tr>\n");
  }
  absl::StrAppend(&villages, "</tbody>\n</table></div>\n");
  absl::StrAppend(&body, Section(scope, response.villages().empty()
                                            ? absl::StrCat("<p>", E(Text(Msg::kNoData, lang)), "</p>\n")
                                            : villages));

  if (response.facilitators_size() > 0) {
    std::string people = absl::StrCat(
        "<div class=\"scroll\"><table>\n<thead><tr>", Th(Text(Msg::kFacilitator, lang)),
        Th(Text(Msg::kScopes, lang)), Th(Text(Msg::kLastSync, lang)), Th(Text(Msg::kDevice, lang)),
        Th(Text(Msg::kDaysSilent, lang), true), "</tr></thead>\n<tbody>\n");
    for (const v1::FacilitatorFreshness& f : response.facilitators()) {
      const bool none = f.last_sync_ms() <= 0;
      absl::StrAppend(&people, none ? "<tr class=\"never\">" : "<tr>", Td(f.user()),
                      Td(absl::StrJoin(f.scopes(), ", ")),
                      Td(none ? Text(Msg::kNever, lang) : FormatLocalTime(f.last_sync_ms())),
                      Td(f.last_device()), Td(none ? "-" : FormatInt(f.silent_days(), lang), true),
                      "</tr>\n");
    }
    absl::StrAppend(&people, "</tbody>\n</table></div>\n");
    absl::StrAppend(&body, Section(Text(Msg::kFacilitators, lang), people));
  }
  return Page(absl::StrCat(Text(Msg::kFreshnessTitle, lang), " — ", response.region()), body,
              lang);
}

}  // namespace kawal::report
