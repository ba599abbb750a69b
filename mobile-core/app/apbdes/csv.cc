// CSV as Excel and LibreOffice write it: the separator follows the locale
// (Indonesian Excel writes ';' because ',' is the decimal mark).
#include <array>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "table.h"

namespace kawal::field::apbdes {
namespace {

constexpr size_t kSniffLines = 30;

char GuessSeparator(absl::string_view text) {
  constexpr std::array<char, 3> kCandidates = {',', ';', '\t'};
  std::array<size_t, 3> counts = {0, 0, 0};
  bool quoted = false;
  size_t lines = 0;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' && ++lines >= kSniffLines) break;
    for (size_t i = 0; i < kCandidates.size(); ++i) counts[i] += c == kCandidates[i];
  }
  size_t best = 0;
  for (size_t i = 1; i < counts.size(); ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return kCandidates[best];
}

}  // namespace

absl::StatusOr<Table> ParseCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  const char separator = GuessSeparator(text);
  Table table;
  TableRow row;
  std::string cell;
  size_t line = 1;
  row.line = 1;
  bool quoted = false;
  bool row_has_content = false;  // anything since the last line end
  auto end_cell = [&] {
    row.cells.push_back(std::move(cell));
    cell.clear();
  };
  auto end_row = [&] {
    end_cell();
    table.push_back(std::move(row));
    row = TableRow();
    row_has_content = false;
  };
  size_t quote_line = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = true;
      quote_line = line;
      row_has_content = true;
    } else if (c == separator) {
      end_cell();
      row_has_content = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      row.line = ++line;
    } else {
      cell.push_back(c);
      row_has_content = true;
    }
  }
  if (quoted) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", quote_line, ": a quote (\") is opened and never closed"));
  }
  if (row_has_content || !cell.empty()) end_row();
  return table;
}

absl::StatusOr<Table> ReadTableFile(const std::string& path) {
  const std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".xlsx")) return ReadXlsx(path);
  if (absl::EndsWith(lower, ".xls")) {
    return absl::InvalidArgumentError(
        "the old Excel .xls format is not read; save the sheet as .xlsx or .csv");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  return ParseCsv(bytes.str());
}

}  // namespace kawal::field::apbdes
