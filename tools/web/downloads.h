// The dashboard's downloads: the same tables kawal-report writes as CSV
// (its columns, its code), here with a UTF-8 byte order mark so Excel reads
// Indonesian names right, and as XLSX through Debian's libxlsxwriter (the
// CSV parsed back into cells, so both files always have the same columns;
// numbers become numeric cells).
//
// Thread-safety: pure functions (XLSX goes through a private temporary
// file, libxlsxwriter 1.1.4 writes only to files).
#ifndef KAWAL_TOOLS_WEB_DOWNLOADS_H_
#define KAWAL_TOOLS_WEB_DOWNLOADS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::web {

inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

// The rows of RFC 4180 text (quoted fields, "" escapes, CRLF or LF).
std::vector<std::vector<std::string>> ParseCsv(absl::string_view csv);

// `csv` with the UTF-8 byte order mark in front.
std::string CsvWithBom(absl::string_view csv);

// One worksheet named `sheet` (at most 31 characters kept) holding the CSV's
// rows: the first as a bold header, decimal numbers as numbers.
absl::StatusOr<std::string> CsvToXlsx(absl::string_view csv, const std::string& sheet);

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_DOWNLOADS_H_
