// The dashboard's HTML pages: server-rendered, no scripts (the CSP forbids
// them), one stylesheet served by kawal-web (/static/app.css), charts as
// inline SVG from the report library, every text from the server escaped.
// Usable on a 360-px-wide phone: tables scroll sideways, cards wrap.
//
// Thread-safety: pure functions.
#ifndef KAWAL_TOOLS_WEB_PAGES_H_
#define KAWAL_TOOLS_WEB_PAGES_H_

#include <string>
#include <vector>

#include "kawal/v1/report.pb.h"
#include "web/desa_view.h"
#include "web/web_text.h"

namespace kawal::web {

struct PageContext {
  Lang lang = Lang::kId;
  std::string user;   // "" before login
  std::string csrf;   // the form token (double-submit cookie value)
  std::string path;   // this page's path and query, for the language switch
  std::string home;   // the user's own region page
  // The user's scopes; admins see everything. Breadcrumbs link only to
  // regions inside them.
  std::vector<std::string> scopes;
  bool admin = false;
};

// The stylesheet served at /static/app.css.
const std::string& AppCss();

std::string LoginPage(const PageContext& ctx, const std::string& error, const std::string& next);
// A page with a heading and one paragraph (403, 404, 500, facilitator).
std::string MessagePage(const PageContext& ctx, const std::string& title, const std::string& text);

struct OverviewData {
  std::string region;       // "" = the whole country
  int year = 0;
  v1::ProgressResponse per_child;  // rows one level down
  // Breakdowns of the region (their totals are used): sector, sdg, source, focus.
  std::vector<v1::ProgressResponse> breakdowns;
};
std::string OverviewPage(const PageContext& ctx, const OverviewData& data);

struct DesaPageData {
  std::string code;
  std::string name;
  int year = 0;            // filter; 0: every year
  std::string status;      // filter
  int64_t sector = 0;      // filter
  std::string sort;
  int page = 1;
  std::vector<const ActivityView*> activities;  // filtered and sorted, all pages
  v1::FreshnessResponse freshness;              // of this desa
};
inline constexpr int kActivitiesPerPage = 50;
std::string DesaPage(const PageContext& ctx, const DesaPageData& data);

std::string ActivityPage(const PageContext& ctx, const std::string& desa_name,
                         const ActivityView& activity,
                         const std::vector<v1::ConflictEntry>& open_conflicts);

std::string SilentPage(const PageContext& ctx, const std::string& region,
                       const v1::FreshnessResponse& freshness, int days,
                       const std::string& sort);

// The level below `region`'s ("" -> "provinsi", "62" -> "kabupaten", ...,
// a kecamatan -> "desa"); "" for a desa.
std::string ChildLevel(const std::string& region);

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_PAGES_H_
