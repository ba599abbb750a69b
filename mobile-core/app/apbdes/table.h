// Reading a spreadsheet as rows of text: CSV (comma, semicolon or tab
// separated, as Excel writes it in any locale) and XLSX (the first sheet).
// Every row keeps the line (CSV) or row number (XLSX) the user sees, so a
// problem can be reported where the user will look for it.
//
// Thread-safety: pure functions.
#ifndef KAWAL_MOBILE_APP_APBDES_TABLE_H_
#define KAWAL_MOBILE_APP_APBDES_TABLE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::field::apbdes {

struct TableRow {
  size_t line = 0;                 // 1-based line (CSV) or row number (XLSX)
  std::vector<std::string> cells;  // UTF-8; missing cells of a row are ""
};

using Table = std::vector<TableRow>;

// Parses CSV text (RFC 4180 quoting; a UTF-8 BOM, CRLF or CR line ends
// tolerated). The separator is the one of ',', ';' and tab that occurs most
// outside quotes in the first lines. A quoted cell may span lines; its row
// gets the line it starts on. Fails only on an unterminated quote.
absl::StatusOr<Table> ParseCsv(absl::string_view text);

// Reads the first worksheet of an .xlsx file (shared and inline strings,
// numbers, booleans; gaps in cell references become "" cells). Numbers are
// written back as the importer reads them: whole numbers as digits
// ("150000000"), others with a decimal comma ("2,5").
absl::StatusOr<Table> ReadXlsx(const std::string& path);

// ReadXlsx for a name ending in ".xlsx" (any case), ParseCsv of the file's
// bytes otherwise. ".xls" is refused with a message saying to save as .xlsx
// or .csv (docs/apbdes-import.md says why).
absl::StatusOr<Table> ReadTableFile(const std::string& path);

}  // namespace kawal::field::apbdes

#endif  // KAWAL_MOBILE_APP_APBDES_TABLE_H_
