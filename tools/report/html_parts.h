// The HTML pieces kawal-report's HTML file (format_html.cc) and kawal-web's
// pages (tools/web/pages.cc) share, so both look and read the same: the
// chart colors, the rules both stylesheets start with, figure cards and
// table cells. Every text is escaped here.
//
// Thread-safety: pure functions.
#ifndef KAWAL_TOOLS_REPORT_HTML_PARTS_H_
#define KAWAL_TOOLS_REPORT_HTML_PARTS_H_

#include <string>

namespace kawal::report {

inline constexpr char kBudgetColor[] = "#9fc3e7";
inline constexpr char kSpentColor[] = "#1565c0";
inline constexpr char kProgressColor[] = "#2e7d32";

// The shared stylesheet rules: page, headings, sections, cards, the SVG
// charts (svg_chart.h's classes), tables, notes, the footer and the
// phone-width media query. Each user appends its own rules.
const std::string& BaseCss();

// A figure card: `value` large, `key` under it; `id` (optional) names the
// element, `alert` shows the value in red.
std::string Card(const std::string& key, const std::string& value, const std::string& id = "",
                 bool alert = false);

// Table header and data cells; `number` right-aligns (class "n").
std::string Th(const std::string& text, bool number = false);
std::string Td(const std::string& text, bool number = false);

}  // namespace kawal::report

#endif  // KAWAL_TOOLS_REPORT_HTML_PARTS_H_
