#include "web/pages.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kawal/sync/region.h"
#include "report/html_parts.h"
#include "report/labels.h"
#include "report/report_format.h"
#include "report/svg_chart.h"
#include "web/web_security.h"

namespace kawal::web {
namespace {

using report::FormatDecimal;
using report::FormatInt;
using report::FormatPercent;
using report::FormatRupiah;
using report::Msg;
using report::Text;
using report::Card;
using report::Td;
using report::Th;

// A time as the pages show it; "" for none.
std::string LocalTime(int64_t ms) { return ms <= 0 ? "" : report::FormatLocalTime(ms); }

std::string E(absl::string_view text) { return report::EscapeHtml(text); }

std::string Q(absl::string_view text) { return UrlEncode(text); }

std::string Layout(const PageContext& ctx, const std::string& title, const std::string& body) {
  std::string header = absl::StrCat("<header><a class=\"brand\" href=\"/\">",
                                    E(T(WebMsg::kAppName, ctx.lang)), "</a><nav>");
  const std::string other = ctx.lang == Lang::kEn ? "id" : "en";
  absl::StrAppend(&header, "<a href=\"/lang?to=", other, "&amp;next=", E(Q(ctx.path)), "\">",
                  E(T(WebMsg::kLanguage, ctx.lang)), "</a>");
  if (!ctx.user.empty()) {
    absl::StrAppend(&header, "<span class=\"who\">", E(T(WebMsg::kSignedInAs, ctx.lang)), " ",
                    E(ctx.user), "</span>",
                    "<form method=\"post\" action=\"/logout\" class=\"inline\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"",
                    E(ctx.csrf), "\"><button type=\"submit\" id=\"logout\">",
                    E(T(WebMsg::kLogout, ctx.lang)), "</button></form>");
  }
  absl::StrAppend(&header, "</nav></header>\n");
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"", ctx.lang == Lang::kEn ? "en" : "id",
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      E(title), "</title>\n<link rel=\"stylesheet\" href=\"/static/app.css\">\n</head>\n<body>\n",
      header, "<main>\n", body, "</main>\n<footer>Kawal Desa · kawal-web</footer>\n</body>\n</html>\n");
}

std::string Section(const std::string& heading, const std::string& content,
                    const std::string& id = "") {
  return absl::StrCat("<section", id.empty() ? "" : absl::StrCat(" id=\"", id, "\""), ">\n<h2>",
                      E(heading), "</h2>\n", content, "</section>\n");
}

std::string Table(const std::string& head, const std::string& body, const std::string& id = "") {
  return absl::StrCat("<div class=\"scroll\"><table",
                      id.empty() ? "" : absl::StrCat(" id=\"", id, "\""), "><thead><tr>", head,
                      "</tr></thead>\n<tbody>\n", body, "</tbody></table></div>\n");
}

std::string Pct(int64_t part, int64_t whole, Lang lang) {
  return FormatPercent(whole > 0 ? 100.0 * part / whole : 0, lang);
}

std::string RegionLink(const std::string& code) {
  return code.empty() ? "/region" : absl::StrCat("/region/", code);
}

std::string ChildLink(const std::string& level, const std::string& code) {
  return level == "desa" ? absl::StrCat("/desa/", code) : RegionLink(code);
}

// Links to the ancestors of `code` ("62" > "62.10" > ...) the user may read.
std::string Breadcrumbs(const PageContext& ctx, const std::string& code) {
  std::string out = "<p class=\"crumbs\">";
  size_t pos = 0;
  bool first = true;
  while (pos != std::string::npos && !code.empty()) {
    pos = code.find('.', pos + 1);
    const std::string prefix = code.substr(0, pos);
    if (prefix == code) break;
    if (!ctx.admin && std::none_of(ctx.scopes.begin(), ctx.scopes.end(), [&](const std::string& s) {
          return sync::RegionContains(s, prefix);
        })) {
      continue;
    }
    absl::StrAppend(&out, first ? "" : " › ", "<a href=\"", E(RegionLink(prefix)), "\">",
                    E(prefix), "</a>");
    first = false;
  }
  absl::StrAppend(&out, "</p>\n");
  return first ? "" : out;
}

std::string Downloads(const std::string& base, const std::string& query, Lang lang) {
  return absl::StrCat("<p class=\"downloads\"><a class=\"button\" href=\"", E(base), ".csv",
                      E(query), "\">", E(T(WebMsg::kDownloadCsv, lang)),
                      "</a> <a class=\"button\" href=\"", E(base), ".xlsx", E(query), "\">",
                      E(T(WebMsg::kDownloadXlsx, lang)), "</a></p>\n");
}

std::string StatusLabel(const std::string& status, Lang lang) {
  if (status == "planned") return Text(Msg::kPlanned, lang);
  if (status == "in_progress") return Text(Msg::kInProgress, lang);
  if (status == "done") return Text(Msg::kDone, lang);
  if (status == "cancelled") return Text(Msg::kCancelled, lang);
  if (status == "stalled") return Text(Msg::kStalled, lang);
  return status;
}

std::string BreakdownTable(const v1::ProgressResponse& r, Lang lang) {
  std::string head = absl::StrCat(Th(report::ByLabel(r.by(), lang)), Th(Text(Msg::kActivities, lang), true),
                                  Th(Text(Msg::kBudget, lang), true), Th(Text(Msg::kSpent, lang), true),
                                  Th(Text(Msg::kAbsorption, lang), true),
                                  Th(Text(Msg::kProgress, lang), true));
  std::string body;
  const auto& rows = r.totals().empty() ? r.rows() : r.totals();
  for (const v1::AreaRow& row : rows) {
    const v1::AreaFigures& f = row.figures();
    if (f.activities() == 0 && f.budget() == 0) continue;
    const std::string label = report::KeyLabel(r.by(), row.key(), row.key_label(), lang);
    absl::StrAppend(&body, "<tr>",
                    Td(r.by() == "focus" || label == row.key() ? label
                                                               : absl::StrCat(row.key(), " ", label)),
                    Td(FormatInt(f.activities(), lang), true), Td(FormatRupiah(f.budget(), lang), true),
                    Td(FormatRupiah(f.spent(), lang), true),
                    Td(FormatPercent(f.absorption_pct(), lang), true),
                    Td(FormatPercent(f.progress_pct(), lang), true), "</tr>\n");
  }
  if (body.empty()) return absl::StrCat("<p class=\"note\">", E(Text(Msg::kNoData, lang)), "</p>\n");
  return Table(head, body);
}

WebMsg BreakdownTitle(const std::string& by) {
  if (by == "sector") return WebMsg::kBySector;
  if (by == "sdg") return WebMsg::kBySdg;
  if (by == "source") return WebMsg::kBySource;
  return WebMsg::kByFocus;
}


std::string SyncTime(int64_t ms, Lang lang) {
  return ms <= 0 ? Text(Msg::kNever, lang) : LocalTime(ms);
}

// Every device that has synced the village (most recent first), then the
// facilitators serving it whose devices never did.
std::string DevicesTable(const v1::FreshnessResponse& freshness, Lang lang) {
  std::string rows;
  std::set<std::string> users_with_device;
  for (const v1::VillageFreshness& v : freshness.villages()) {
    for (const v1::DeviceFreshness& dev : v.devices()) {
      users_with_device.insert(dev.user());
      const bool behind = dev.last_push_ms() > dev.last_pull_ms();
      absl::StrAppend(&rows, "<tr class=\"device", behind ? " behind" : "", "\">",
                      Td(dev.device_name().empty() ? dev.device()
                                                   : absl::StrCat(dev.device_name(), " (", dev.device(), ")")),
                      Td(dev.user()), Td(SyncTime(dev.last_sync_ms(), lang)),
                      Td(SyncTime(dev.last_push_ms(), lang)), Td(SyncTime(dev.last_pull_ms(), lang)),
                      Td(absl::StrCat(dev.silent_days()), true), "</tr>\n");
    }
  }
  for (const v1::FacilitatorFreshness& f : freshness.facilitators()) {
    if (users_with_device.contains(f.user())) continue;
    // Before device entries were kept (or never synced): the facilitator's
    // own last sync and device.
    absl::StrAppend(&rows, f.last_sync_ms() == 0 ? "<tr class=\"never\">" : "<tr>",
                    Td(f.last_device().empty() ? "—" : f.last_device()), Td(f.user()),
                    Td(SyncTime(f.last_sync_ms(), lang)), Td(""), Td(""),
                    Td(f.silent_days() < 0 ? "—" : absl::StrCat(f.silent_days()), true), "</tr>\n");
  }
  if (rows.empty()) return absl::StrCat("<p class=\"note\">", E(T(WebMsg::kNoDevices, lang)), "</p>\n");
  return absl::StrCat(Table(absl::StrCat(Th(Text(Msg::kDevice, lang)), Th(Text(Msg::kFacilitator, lang)),
                                         Th(Text(Msg::kLastSync, lang)), Th(T(WebMsg::kLastPush, lang)),
                                         Th(T(WebMsg::kLastPull, lang)), Th(Text(Msg::kDaysSilent, lang), true)),
                            rows, "devices"),
                      "<p class=\"note\">", E(T(WebMsg::kDevicesNote, lang)), "</p>\n");
}

}  // namespace

std::string ChildLevel(const std::string& region) {
  if (region.empty()) return "provinsi";
  const auto dots = std::count(region.begin(), region.end(), '.');
  switch (dots) {
    case 0: return "kabupaten";
    case 1: return "kecamatan";
    case 2: return "desa";
    default: return "";
  }
}

const std::string& AppCss() {
  // The report library's shared rules, then the dashboard's own.
  static const std::string kCss = report::BaseCss() + R"css(header{display:flex;flex-wrap:wrap;gap:6px;align-items:center;justify-content:space-between;background:#0d47a1;color:#fff;padding:8px 12px}
header a{color:#fff}
.brand{font-weight:700;text-decoration:none}
nav{display:flex;flex-wrap:wrap;gap:10px;align-items:center;font-size:.9rem}
.who{opacity:.85}
form.inline{display:inline;margin:0}
button,.button{display:inline-block;background:#1565c0;color:#fff;border:0;border-radius:6px;padding:6px 12px;font-size:.9rem;text-decoration:none;cursor:pointer}
header button{background:#fff;color:#0d47a1}
.meta,.crumbs{color:#555;font-size:.9rem;margin:0 0 .4em}
td.wrap{white-space:normal;min-width:14em}
tr.behind td{background:#fff4d6}
.error{background:#fde2e2;color:#b00020;padding:8px;border-radius:6px}
.login{max-width:360px;margin:24px auto}
.login label{display:block;margin:8px 0 2px}
.login input{width:100%;padding:8px;font-size:1rem;border:1px solid #bbb;border-radius:6px}
.login button{margin-top:12px;width:100%;padding:10px}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end}
.filters label{font-size:.8rem;display:flex;flex-direction:column;max-width:100%}
select,input{max-width:100%}
.photos{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:10px}
.photos figure{margin:0;background:#fafafa;border-radius:6px;padding:6px;font-size:.8rem}
.photos img{width:100%;height:120px;object-fit:cover;border-radius:4px;display:block}
.pager{display:flex;gap:10px;align-items:center;margin-top:8px}
dl.fields{display:grid;grid-template-columns:minmax(8em,max-content) 1fr;gap:4px 12px;margin:0;font-size:.9rem}
dl.fields dt{color:#555}
dl.fields dd{margin:0;overflow-wrap:anywhere}
)css";
  return kCss;
}

std::string LoginPage(const PageContext& ctx, const std::string& error, const std::string& next) {
  std::string body = absl::StrCat("<section class=\"login\">\n<h1>",
                                  E(T(WebMsg::kAppName, ctx.lang)), "</h1>\n");
  if (!error.empty()) absl::StrAppend(&body, "<p class=\"error\" id=\"login-error\">", E(error), "</p>\n");
  absl::StrAppend(&body, "<form method=\"post\" action=\"/login\">\n",
                  "<input type=\"hidden\" name=\"csrf\" value=\"", E(ctx.csrf), "\">\n",
                  "<input type=\"hidden\" name=\"next\" value=\"", E(next), "\">\n",
                  "<label for=\"name\">", E(T(WebMsg::kUserName, ctx.lang)), "</label>",
                  "<input id=\"name\" name=\"name\" autocomplete=\"username\" autocapitalize=\"none\" required>\n",
                  "<label for=\"password\">", E(T(WebMsg::kPassword, ctx.lang)), "</label>",
                  "<input id=\"password\" name=\"password\" type=\"password\" "
                  "autocomplete=\"current-password\" required>\n",
                  "<button type=\"submit\" id=\"login\">", E(T(WebMsg::kLogin, ctx.lang)),
                  "</button>\n</form>\n</section>\n");
  return Layout(ctx, T(WebMsg::kLogin, ctx.lang), body);
}

std::string MessagePage(const PageContext& ctx, const std::string& title, const std::string& text) {
  std::string body = absl::StrCat("<section id=\"message\"><h1>", E(title), "</h1><p>", E(text), "</p>");
  if (!ctx.home.empty()) {
    absl::StrAppend(&body, "<p><a href=\"", E(ctx.home), "\">", E(T(WebMsg::kOverview, ctx.lang)),
                    "</a></p>");
  }
  absl::StrAppend(&body, "</section>\n");
  return Layout(ctx, title, body);
}

std::string OverviewPage(const PageContext& ctx, const OverviewData& data) {
  const Lang lang = ctx.lang;
  const v1::ProgressResponse& r = data.per_child;
  const std::string place = r.region_name().empty()
                                ? (data.region.empty() ? std::string("Indonesia") : data.region)
                                : r.region_name();
  v1::AreaFigures f;
  if (!r.totals().empty()) f = r.totals(0).figures();
  std::string body = Breadcrumbs(ctx, data.region);
  absl::StrAppend(&body, "<h1 id=\"region-title\">", E(place), "</h1>\n<p class=\"meta\">",
                  E(data.region), data.region.empty() ? "" : " · ", E(Text(Msg::kYear, lang)), " ",
                  data.year, " · <a href=\"", E(RegionLink(data.region)), "?year=", data.year - 1,
                  "\">", data.year - 1, "</a> · <a href=\"", E(RegionLink(data.region)),
                  "?year=", data.year + 1, "\">", data.year + 1, "</a> · <a href=\"/silent/",
                  E(data.region), "\">", E(T(WebMsg::kSilentVillages, lang)), "</a></p>\n");
  absl::StrAppend(
      &body, "<div class=\"cards\">\n", Card(Text(Msg::kActivities, lang), FormatInt(f.activities(), lang), "card-activities"),
      Card(Text(Msg::kBudget, lang), FormatRupiah(f.budget(), lang), "card-budget"),
      Card(Text(Msg::kSpent, lang), FormatRupiah(f.spent(), lang), "card-spent"),
      Card(Text(Msg::kAbsorption, lang), FormatPercent(f.absorption_pct(), lang), "card-absorption"),
      Card(Text(Msg::kProgress, lang), FormatPercent(f.progress_pct(), lang), "card-progress"),
      Card(Text(Msg::kReports, lang), FormatInt(f.reports(), lang), "card-reports"),
      Card(Text(Msg::kPhotos0, lang), Pct(f.activities_with_photo_0(), f.activities(), lang), "card-photo0"),
      Card(Text(Msg::kPhotos50, lang), Pct(f.activities_with_photo_50(), f.activities(), lang), "card-photo50"),
      Card(Text(Msg::kPhotos100, lang), Pct(f.activities_with_photo_100(), f.activities(), lang), "card-photo100"),
      Card(Text(Msg::kOpenConflicts, lang), FormatInt(f.conflicts_open(), lang), "card-conflicts"),
      "</div>\n");

  const std::string level = report::LevelLabel(r.level(), lang);
  report::BarChart money;
  money.title = absl::StrCat(Text(Msg::kChartSpentVsBudget, lang), " ", report::Per(level, lang));
  money.axis_label = Text(Msg::kAxisRupiah, lang);
  money.series = {{Text(Msg::kBudget, lang), report::kBudgetColor},
                  {Text(Msg::kSpent, lang), report::kSpentColor}};
  money.format = [lang](double v) { return report::FormatRupiahShort(v, lang); };
  money.empty_text = Text(Msg::kNoData, lang);
  money.no_inline_style = true;  // the CSP allows no inline styles
  report::BarChart progress;
  progress.title = absl::StrCat(Text(Msg::kChartProgress, lang), " ", report::Per(level, lang));
  progress.axis_label = Text(Msg::kAxisProgress, lang);
  progress.series = {{Text(Msg::kProgress, lang), report::kProgressColor}};
  progress.max_value = 100;
  progress.format = [lang](double v) { return FormatPercent(v, lang); };
  progress.empty_text = Text(Msg::kNoData, lang);
  progress.no_inline_style = true;
  std::string rows;
  for (const v1::AreaRow& row : r.rows()) {
    const v1::AreaFigures& a = row.figures();
    if (a.activities() > 0 || a.budget() > 0) {
      money.items.push_back({row.name(), {double(a.budget()), double(a.spent())}, {}});
      progress.items.push_back({row.name(), {a.progress_pct()}, {}});
    }
    absl::StrAppend(&rows, "<tr><td><a href=\"", E(ChildLink(r.level(), row.code())), "\">",
                    E(row.name().empty() ? row.code() : row.name()), "</a></td>", Td(row.code()),
                    Td(FormatInt(a.activities(), lang), true), Td(FormatRupiah(a.budget(), lang), true),
                    Td(FormatRupiah(a.spent(), lang), true), Td(FormatPercent(a.absorption_pct(), lang), true),
                    Td(FormatPercent(a.progress_pct(), lang), true), Td(FormatInt(a.reports(), lang), true),
                    Td(Pct(a.activities_with_photo_100(), a.activities(), lang), true),
                    Td(FormatInt(a.conflicts_open(), lang), true), "</tr>\n");
  }
  absl::StrAppend(&body, Section(money.title, report::RenderBarChart(money)),
                  Section(progress.title, report::RenderBarChart(progress)));
  const std::string head =
      absl::StrCat(Th(level), Th(Text(Msg::kCode, lang)), Th(Text(Msg::kActivities, lang), true),
                   Th(Text(Msg::kBudget, lang), true), Th(Text(Msg::kSpent, lang), true),
                   Th(Text(Msg::kAbsorption, lang), true), Th(Text(Msg::kProgress, lang), true),
                   Th(Text(Msg::kReports, lang), true), Th(Text(Msg::kPhotos100, lang), true),
                   Th(Text(Msg::kOpenConflicts, lang), true));
  absl::StrAppend(&body, Section(report::Per(level, lang).empty() ? level : absl::StrCat(Text(Msg::kDataTable, lang), " ", report::Per(level, lang)),
                                 Table(head, rows, "children") +
                                     Downloads(absl::StrCat("/download/progress/", data.region.empty() ? "all" : data.region),
                                               absl::StrCat("?year=", data.year), lang),
                                 "children-section"));
  for (const v1::ProgressResponse& b : data.breakdowns) {
    absl::StrAppend(&body, Section(T(BreakdownTitle(b.by()), lang), BreakdownTable(b, lang)));
  }
  return Layout(ctx, absl::StrCat(place, " — ", T(WebMsg::kAppName, lang)), body);
}

std::string DesaPage(const PageContext& ctx, const DesaPageData& d) {
  const Lang lang = ctx.lang;
  std::string body = Breadcrumbs(ctx, d.code);
  absl::StrAppend(&body, "<h1 id=\"desa-title\">", E(d.name.empty() ? d.code : d.name), "</h1>\n<p class=\"meta\">",
                  E(d.code), "</p>\n");
  // Filters: a GET form (reading only, no CSRF needed).
  std::string form = absl::StrCat("<form method=\"get\" class=\"filters\" action=\"/desa/", E(d.code), "\">");
  absl::StrAppend(&form, "<label>", E(T(WebMsg::kStatus, lang)), "<select name=\"status\"><option value=\"\">",
                  E(T(WebMsg::kAll, lang)), "</option>");
  for (const char* s : {"planned", "in_progress", "done", "cancelled", "stalled"}) {
    absl::StrAppend(&form, "<option value=\"", s, "\"", d.status == s ? " selected" : "", ">",
                    E(StatusLabel(s, lang)), "</option>");
  }
  absl::StrAppend(&form, "</select></label><label>", E(T(WebMsg::kSector, lang)),
                  "<select name=\"sector\"><option value=\"0\">", E(T(WebMsg::kAll, lang)), "</option>");
  for (int s = 1; s <= 5; ++s) {
    absl::StrAppend(&form, "<option value=\"", s, "\"", d.sector == s ? " selected" : "", ">", s, ". ",
                    E(report::SectorLabel(s, lang)), "</option>");
  }
  absl::StrAppend(&form, "</select></label><label>", E(Text(Msg::kYear, lang)),
                  "<input name=\"year\" inputmode=\"numeric\" size=\"5\" value=\"",
                  d.year == 0 ? "" : absl::StrCat(d.year), "\"></label><label>",
                  E(T(WebMsg::kSortBy, lang)), "<select name=\"sort\">");
  for (const auto& [key, label] : std::vector<std::pair<std::string, std::string>>{
           {"name", Text(Msg::kName, lang)}, {"-budget", Text(Msg::kBudget, lang)},
           {"-progress", Text(Msg::kProgress, lang)}, {"status", T(WebMsg::kStatus, lang)},
           {"-year", Text(Msg::kYear, lang)}}) {
    absl::StrAppend(&form, "<option value=\"", key, "\"", d.sort == key ? " selected" : "", ">", E(label), "</option>");
  }
  absl::StrAppend(&form, "</select></label><button type=\"submit\">", E(T(WebMsg::kFilter, lang)),
                  "</button></form>\n");
  const int total = static_cast<int>(d.activities.size());
  const int pages = std::max(1, (total + kActivitiesPerPage - 1) / kActivitiesPerPage);
  const int page = std::clamp(d.page, 1, pages);
  std::string rows;
  for (int i = (page - 1) * kActivitiesPerPage; i < std::min(total, page * kActivitiesPerPage); ++i) {
    const ActivityView& a = *d.activities[i];
    absl::StrAppend(&rows, "<tr><td class=\"wrap\"><a href=\"/activity/", E(d.code), "/", E(a.id), "\">",
                    E(a.name), "</a></td>", Td(absl::StrCat(a.year), true),
                    Td(absl::StrCat(a.sector, ". ", report::SectorLabel(a.sector, lang))),
                    Td(StatusLabel(a.status, lang)), Td(FormatRupiah(a.budget, lang), true),
                    Td(FormatRupiah(a.spent, lang), true), Td(FormatPercent(a.progress_pct, lang), true),
                    Td(FormatInt(a.reports.size(), lang), true), Td(FormatInt(a.photos.size(), lang), true),
                    "</tr>\n");
  }
  const std::string head = absl::StrCat(
      Th(T(WebMsg::kActivity, lang)), Th(Text(Msg::kYear, lang), true), Th(T(WebMsg::kSector, lang)),
      Th(T(WebMsg::kStatus, lang)), Th(Text(Msg::kBudget, lang), true), Th(Text(Msg::kSpent, lang), true),
      Th(Text(Msg::kProgress, lang), true), Th(Text(Msg::kReports, lang), true),
      Th(T(WebMsg::kPhotos, lang), true));
  std::string list = form;
  if (total == 0) {
    absl::StrAppend(&list, "<p class=\"note\">", E(T(WebMsg::kNoActivities, lang)), "</p>\n");
  } else {
    absl::StrAppend(&list, Table(head, rows, "activities"));
  }
  const std::string query = absl::StrCat("&amp;status=", E(Q(d.status)), "&amp;sector=", d.sector,
                                         "&amp;year=", d.year, "&amp;sort=", E(Q(d.sort)));
  absl::StrAppend(&list, "<p class=\"pager\">");
  if (page > 1) {
    absl::StrAppend(&list, "<a href=\"/desa/", E(d.code), "?page=", page - 1, query, "\">",
                    E(T(WebMsg::kPrevious, lang)), "</a>");
  }
  absl::StrAppend(&list, "<span>", E(T(WebMsg::kPage, lang)), " ", page, " / ", pages, "</span>");
  if (page < pages) {
    absl::StrAppend(&list, "<a href=\"/desa/", E(d.code), "?page=", page + 1, query, "\">",
                    E(T(WebMsg::kNext, lang)), "</a>");
  }
  absl::StrAppend(&list, "</p>\n");
  absl::StrAppend(&body, Section(Text(Msg::kActivities, lang), list, "activities-section"));
  absl::StrAppend(&body, Section(T(WebMsg::kDevicesServing, lang), DevicesTable(d.freshness, lang),
                                 "devices-section"));
  return Layout(ctx, absl::StrCat(d.name.empty() ? d.code : d.name, " — ", T(WebMsg::kAppName, lang)), body);
}

std::string ActivityPage(const PageContext& ctx, const std::string& desa_name,
                         const ActivityView& a, const std::vector<v1::ConflictEntry>& conflicts) {
  const Lang lang = ctx.lang;
  std::string body = Breadcrumbs(ctx, a.scope);
  absl::StrAppend(&body, "<p class=\"crumbs\"><a href=\"/desa/", E(a.scope), "\">",
                  E(desa_name.empty() ? a.scope : desa_name), "</a></p>\n<h1 id=\"activity-title\">",
                  E(a.name), "</h1>\n");
  absl::StrAppend(&body, "<div class=\"cards\">", Card(T(WebMsg::kStatus, lang), StatusLabel(a.status, lang)),
                  Card(Text(Msg::kBudget, lang), FormatRupiah(a.budget, lang)),
                  Card(Text(Msg::kSpent, lang), FormatRupiah(a.spent, lang)),
                  Card(Text(Msg::kProgress, lang), FormatPercent(a.progress_pct, lang)), "</div>\n");
  std::string fields = "<dl class=\"fields\" id=\"fields\">";
  for (const auto& [name, text] : a.fields) {
    absl::StrAppend(&fields, "<dt>", E(name), "</dt><dd>", E(text), "</dd>");
  }
  absl::StrAppend(&fields, "</dl>\n");
  absl::StrAppend(&body, Section(T(WebMsg::kFields, lang), fields));
  // Photos: real thumbnails (/thumb) linking to the full image (/photo),
  // both through PhotoService.
  std::string photos;
  if (a.photos.empty()) {
    photos = absl::StrCat("<p class=\"note\">", E(T(WebMsg::kNoPhotos, lang)), "</p>");
  } else {
    photos = "<div class=\"photos\">";
    for (const PhotoView& p : a.photos) {
      absl::StrAppend(&photos, "<figure><a href=\"", E(PhotoUrl(a.scope, p)),
                      "\"><img class=\"photo\" src=\"", E(ThumbnailUrl(a.scope, p)),
                      "\" alt=\"", E(p.caption.empty() ? absl::StrCat(T(WebMsg::kStage, lang), " ", p.stage) : p.caption),
                      "\" loading=\"lazy\"></a><figcaption>", E(T(WebMsg::kStage, lang)), " ", E(p.stage),
                      p.stage == "other" ? "" : "%");
      if (p.taken_at_ms > 0) absl::StrAppend(&photos, "<br>", E(T(WebMsg::kTaken, lang)), " ", E(LocalTime(p.taken_at_ms)));
      if (p.has_position) {
        absl::StrAppend(&photos, "<br>", E(T(WebMsg::kPosition, lang)), " ", E(FormatDecimal(p.lat, 5, Lang::kEn)), ", ",
                        E(FormatDecimal(p.lon, 5, Lang::kEn)));
      }
      if (!p.caption.empty()) absl::StrAppend(&photos, "<br>", E(p.caption));
      absl::StrAppend(&photos, "</figcaption></figure>\n");
    }
    absl::StrAppend(&photos, "</div>\n");
  }
  absl::StrAppend(&body, Section(T(WebMsg::kEvidence, lang), photos, "photos"));
  std::string reports;
  for (const ReportView& r : a.reports) {
    absl::StrAppend(&reports, "<tr>", Td(r.visit_date), Td(FormatPercent(r.progress_pct, lang), true),
                    Td(FormatRupiah(r.spent, lang), true), "<td class=\"wrap\">", E(r.problems), "</td>",
                    Td(r.reporter), "<td class=\"wrap\">", E(r.notes), "</td></tr>\n");
  }
  absl::StrAppend(&body, Section(T(WebMsg::kProgressReports, lang),
                                 a.reports.empty()
                                     ? absl::StrCat("<p class=\"note\">", E(T(WebMsg::kNoReports, lang)), "</p>")
                                     : Table(absl::StrCat(Th(T(WebMsg::kVisitDate, lang)), Th(Text(Msg::kProgress, lang), true),
                                                          Th(Text(Msg::kSpent, lang), true), Th(T(WebMsg::kProblems, lang)),
                                                          Th(T(WebMsg::kReporter, lang)), Th("")),
                                             reports, "reports"),
                                 "reports-section"));
  std::string conflict_rows;
  for (const v1::ConflictEntry& c : conflicts) {
    // One row per field the losing write lost; its time spans them.
    const std::vector<v1::ConflictField> lost = report::ConflictFieldsOf(c);
    for (size_t i = 0; i < lost.size(); ++i) {
      absl::StrAppend(&conflict_rows, "<tr>", Td(lost[i].field()), "<td class=\"wrap\">",
                      E(lost[i].winner_value()), "</td><td class=\"wrap\">",
                      E(lost[i].loser_value()), "</td>");
      if (i == 0) {
        absl::StrAppend(&conflict_rows, "<td rowspan=\"", lost.size(), "\">",
                        E(LocalTime(c.detected_at_ms())), "</td>");
      }
      absl::StrAppend(&conflict_rows, "</tr>\n");
    }
  }
  absl::StrAppend(&body, Section(T(WebMsg::kOpenConflicts, lang),
                                 conflicts.empty()
                                     ? absl::StrCat("<p class=\"note\">", E(Text(Msg::kNoConflicts, lang)), "</p>")
                                     : Table(absl::StrCat(Th(Text(Msg::kField, lang)), Th(Text(Msg::kWinnerValue, lang)),
                                                          Th(Text(Msg::kLoserValue, lang)), Th(Text(Msg::kDetected, lang))),
                                             conflict_rows, "conflicts")));
  return Layout(ctx, absl::StrCat(a.name, " — ", T(WebMsg::kAppName, lang)), body);
}

std::string SilentPage(const PageContext& ctx, const std::string& region,
                       const v1::FreshnessResponse& r, int days, const std::string& sort) {
  const Lang lang = ctx.lang;
  std::string body = Breadcrumbs(ctx, region);
  absl::StrAppend(&body, "<h1 id=\"silent-title\">", E(T(WebMsg::kSilentVillages, lang)), " — ",
                  E(region.empty() ? "Indonesia" : region), "</h1>\n");
  absl::StrAppend(&body, "<form method=\"get\" class=\"filters\" action=\"/silent/", E(region), "\"><label>",
                  E(Text(Msg::kDaysSilent, lang)), "<input name=\"days\" inputmode=\"numeric\" size=\"4\" value=\"",
                  days, "\"></label><button type=\"submit\">", E(T(WebMsg::kShow, lang)), "</button></form>\n");
  std::vector<const v1::VillageFreshness*> villages;
  for (const v1::VillageFreshness& v : r.villages()) villages.push_back(&v);
  std::stable_sort(villages.begin(), villages.end(), [&](const auto* x, const auto* y) {
    if (sort == "name") return x->name() < y->name();
    if (sort == "kecamatan") return x->kecamatan() < y->kecamatan();
    const int dx = x->silent_days() < 0 ? INT32_MAX : x->silent_days();
    const int dy = y->silent_days() < 0 ? INT32_MAX : y->silent_days();
    return dx > dy;
  });
  const std::string base = absl::StrCat("/silent/", region, "?days=", days, "&sort=");
  auto sort_th = [&](const std::string& label, const std::string& key, bool number = false) {
    return absl::StrCat(number ? "<th class=\"n\">" : "<th>", "<a href=\"", E(base + key), "\">", E(label), "</a></th>");
  };
  std::string rows;
  for (const v1::VillageFreshness* v : villages) {
    absl::StrAppend(&rows, "<tr", v->last_sync_ms() == 0 ? " class=\"never\"" : "", "><td><a href=\"/desa/",
                    E(v->code()), "\">", E(v->name().empty() ? v->code() : v->name()), "</a></td>", Td(v->code()),
                    Td(v->kecamatan()),
                    Td(v->last_sync_ms() == 0 ? Text(Msg::kNever, lang) : LocalTime(v->last_sync_ms())),
                    Td(v->last_user()), Td(v->silent_days() < 0 ? "—" : absl::StrCat(v->silent_days()), true),
                    "</tr>\n");
  }
  absl::StrAppend(&body, Section(Text(Msg::kVillage, lang),
                                 Table(absl::StrCat(sort_th(Text(Msg::kName, lang), "name"), Th(Text(Msg::kCode, lang)),
                                                    sort_th(Text(Msg::kKecamatan, lang), "kecamatan"),
                                                    Th(Text(Msg::kLastSync, lang)), Th(Text(Msg::kFacilitator, lang)),
                                                    sort_th(Text(Msg::kDaysSilent, lang), "days", true)),
                                       rows, "silent") +
                                     Downloads(absl::StrCat("/download/silent/", region.empty() ? "all" : region),
                                               absl::StrCat("?days=", days), lang)));
  std::string frows;
  for (const v1::FacilitatorFreshness& f : r.facilitators()) {
    absl::StrAppend(&frows, "<tr>", Td(f.user()), Td(absl::StrJoin(f.scopes(), ", ")), Td(f.last_device()),
                    Td(f.last_sync_ms() == 0 ? Text(Msg::kNever, lang) : LocalTime(f.last_sync_ms())),
                    Td(f.silent_days() < 0 ? "—" : absl::StrCat(f.silent_days()), true), "</tr>\n");
  }
  absl::StrAppend(&body, Section(Text(Msg::kFacilitators, lang),
                                 Table(absl::StrCat(Th(Text(Msg::kFacilitator, lang)), Th(Text(Msg::kScopes, lang)),
                                                    Th(Text(Msg::kDevice, lang)), Th(Text(Msg::kLastSync, lang)),
                                                    Th(Text(Msg::kDaysSilent, lang), true)),
                                       frows)));
  return Layout(ctx, absl::StrCat(T(WebMsg::kSilentVillages, lang), " — ", T(WebMsg::kAppName, lang)), body);
}

}  // namespace kawal::web
