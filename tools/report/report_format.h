// Formatting of ReportService answers for kawal-report: aligned text tables,
// CSV for spreadsheets and joins (Siskeudes, OpenSID, Prodeskel), JSON, and
// one self-contained HTML file with inline SVG charts. Pure functions over
// the response messages: no I/O, no gRPC calls (kawal_report_format).
//
// Thread-safety: all functions are pure.
#ifndef KAWAL_TOOLS_REPORT_REPORT_FORMAT_H_
#define KAWAL_TOOLS_REPORT_REPORT_FORMAT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kawal/v1/report.pb.h"
#include "report/labels.h"

namespace kawal::report {

// --- conflicts (conflict_fields.cc) ----------------------------------------

// The fields a conflict's losing write lost, with both values as JSON: its
// `fields` list, or the one field an older server sends.
std::vector<v1::ConflictField> ConflictFieldsOf(const v1::ConflictEntry& conflict);

// --- table (format_table.cc) -------------------------------------------------

// Aligned columns with a header in `lang`, rupiah with thousands separators,
// percentages with one decimal, and a total row (one per key with --by).
std::string ProgressTable(const v1::ProgressResponse& response, Lang lang);
// Villages silent for more than `silent_days` days (as the server listed them),
// then facilitators; `never` rows say so.
std::string FreshnessTable(const v1::FreshnessResponse& response, int silent_days, Lang lang);

// The conflicts of a region, oldest first, with full ids (to settle one).
std::string ConflictsTable(const v1::ListConflictsResponse& response, const std::string& region,
                           Lang lang);

// The problems of a region as a walk-through for a rakor: per kecamatan,
// per desa, each report's date, activity, reporter and text in full.
std::string ProblemsTable(const v1::ListProblemsResponse& response, const std::string& region,
                          Lang lang);

// Follow-ups by due date: id, desa, activity, action, responsible, due
// date (marked when overdue), status; problem and closing note below each.
std::string FollowUpsTable(const v1::ListFollowUpsResponse& response, const std::string& region,
                           Lang lang);

// --- csv (format_csv.cc) -----------------------------------------------------

// The fixed column list (English snake_case, documented in docs/reports.md);
// `with_key` adds key and key_label after code and name.
std::vector<std::string> ProgressCsvColumns(bool with_key);
// Header row, then one row per area (and key): RFC 4180, CRLF line ends.
std::string ProgressCsv(const v1::ProgressResponse& response);
std::vector<std::string> FreshnessCsvColumns();
std::string FreshnessCsv(const v1::FreshnessResponse& response);
// One row per field a conflict lost (its id repeats); the columns are
// ConflictEntry's field names.
std::vector<std::string> ConflictsCsvColumns();
std::string ConflictsCsv(const v1::ListConflictsResponse& response);
// One row per problem; the columns are ProblemEntry's field names.
std::vector<std::string> ProblemsCsvColumns();
std::string ProblemsCsv(const v1::ListProblemsResponse& response);
// One row per follow-up; the columns are FollowUpEntry's field names.
std::vector<std::string> FollowUpsCsvColumns();
std::string FollowUpsCsv(const v1::ListFollowUpsResponse& response);
// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
std::string CsvField(const std::string& value);
// A percentage with up to 2 decimals and '.', no trailing zeros: 45.5, 100.
std::string CsvPercent(double value);

// --- json (format_json.cc) ---------------------------------------------------

// The response as JSON with the proto field names, zeros included, numbers
// unformatted (int64 as JSON strings, per the proto3 JSON mapping).
std::string ProgressJson(const v1::ProgressResponse& response);
std::string FreshnessJson(const v1::FreshnessResponse& response);
std::string ConflictsJson(const v1::ListConflictsResponse& response);
std::string ProblemsJson(const v1::ListProblemsResponse& response);
std::string FollowUpsJson(const v1::ListFollowUpsResponse& response);

// --- html (format_html.cc) ---------------------------------------------------

// One self-contained page: summary cards, three inline SVG bar charts
// (spending vs budget per area and physical progress per area, both from
// `per_area`, the same report without a breakdown; spending per SDGs Desa
// goal from `by_sdg`, the same report with by=sdg) and the data table of
// `response`, the report as asked.
std::string ProgressHtml(const v1::ProgressResponse& response,
                         const v1::ProgressResponse& per_area,
                         const v1::ProgressResponse& by_sdg, Lang lang);
// The same for a report without a breakdown (`response` is also per_area).
std::string ProgressHtml(const v1::ProgressResponse& response,
                         const v1::ProgressResponse& by_sdg, Lang lang);
// Villages silent for more than `silent_days` days (never-synced rows in red),
// then facilitators.
std::string FreshnessHtml(const v1::FreshnessResponse& response, int silent_days, Lang lang);

// Money summed per area code, in row order: the rows of a report with a
// breakdown folded back to one per area (budget, spent, progress_rupiah and
// the percentages; counts are left 0). Exact for by=sector and by=source,
// whose keys partition the money; SDG goals and focus tags overlap, so
// their sums overcount. Without a breakdown: the rows unchanged.
std::vector<v1::AreaRow> RowsPerArea(const v1::ProgressResponse& response);

}  // namespace kawal::report

#endif  // KAWAL_TOOLS_REPORT_REPORT_FORMAT_H_
