// An APBDes sheet read as activities: finds the header (tolerating title
// rows above it, a second header row under merged cells, a row of column
// numbers, any case and spacing), then reads each row's kode kegiatan,
// uraian, volume, satuan, anggaran per sumber dana and lokasi. Every row
// that cannot become an activity is reported with its line and the reason,
// as a problem kind plus arguments so that kawal-field can say it in
// Bahasa Indonesia or English. The tolerated variants are listed in
// docs/apbdes-import.md.
//
// Thread-safety: pure functions.
#ifndef KAWAL_MOBILE_APP_APBDES_SHEET_H_
#define KAWAL_MOBILE_APP_APBDES_SHEET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "kawal/sync/value.h"
#include "table.h"

namespace kawal::field::apbdes {

// One activity of the sheet.
struct SheetActivity {
  size_t line = 0;
  std::string code;  // normalized "BB.SS.KK"
  int64_t sector = 0;  // the bidang, 1..5
  std::string name;
  std::optional<double> volume;
  std::string unit;
  sync::AmountMap budget;  // per source code (DDS, ADD, ...), no zero entries
  std::string location;
};

enum class RowProblemKind {
  kBadCode,           // args: code
  kBadSector,         // args: code, bidang
  kNoCode,            // args: name
  kNoName,            // args: code
  kBadAmount,         // args: column, text
  kFractionalAmount,  // args: column, text
  kBadVolume,         // args: text
  kDuplicateCode,     // args: code, first line
  kTotalMismatch,     // args: total, sum of the sources
  kRefused,           // args: the core's message (English)
};

struct RowProblem {
  size_t line = 0;
  RowProblemKind kind;
  std::vector<std::string> args;
};

enum class HeaderProblemKind {
  kNoHeader,         // no row names both a kode and an uraian column
  kNoSourceColumn,   // no column for any sumber dana
  kDuplicateColumn,  // args: the column's meaning (e.g. "DDS"), header line
};

struct HeaderProblem {
  HeaderProblemKind kind;
  std::vector<std::string> args;
};

struct Sheet {
  std::vector<SheetActivity> activities;  // in file order
  std::vector<RowProblem> problems;       // in file order
  size_t header_line = 0;
  size_t headings = 0;  // bidang / sub-bidang rows and total rows, skipped
};

// Reads `table`. A header problem means no row could be read at all.
std::variant<Sheet, HeaderProblem> ReadSheet(const Table& table);

// "Rp 1.250.000", "1250000", "1.250.000,00", "-" (nothing). Sets *out to
// the whole rupiah, or nullopt for an empty cell. False when the text is
// not an amount; *fractional tells a non-zero fraction of a rupiah apart.
bool ParseRupiah(absl::string_view text, std::optional<int64_t>* out, bool* fractional);
// "750", "2,5", "1.500" (thousands), "1.500,25", "2.5" (a lone dot is a
// decimal point). Sets *out, or nullopt for an empty cell.
bool ParseVolume(absl::string_view text, std::optional<double>* out);
// "2.1.3", "02.01.03", "2.01.03." -> "02.01.03" (*parts = 3). One or two
// parts are a bidang or sub-bidang heading (*parts = 1 or 2, *out empty).
// False when not a code.
bool ParseCode(absl::string_view text, std::string* out, int* parts);

}  // namespace kawal::field::apbdes

#endif  // KAWAL_MOBILE_APP_APBDES_SHEET_H_
