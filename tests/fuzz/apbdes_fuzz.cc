// Fuzz target: the bytes as an APBDes CSV for `kawal-field import apbdes`
// (mobile-core/app/apbdes: ParseCsv, ReadSheet) and, whole, as one cell for
// the number and kode parsers. Properties: nothing crashes or hangs
// (ASan/UBSan); a CSV refused is INVALID_ARGUMENT naming a line inside the
// input; rows come in increasing line order inside the input; every
// activity read has a well-formed kode (BB.SS.KK, parsing to itself) whose
// bidang is its sector (1-5), a name, positive amounts of known sources, a
// finite volume >= 0, a line of the table, and a kode no other activity has;
// every problem names a line of the table; an amount read back from its
// digits is the same amount.
//
// With KAWAL_FUZZ_ENTRY defined this file also defines LLVMFuzzerTestOneInput.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <variant>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fuzz_checks.h"
#include "kawal/sync/domain_labels.h"
#include "sheet.h"
#include "table.h"

namespace kawal::fuzz {
namespace {

[[noreturn]] void Fail(const char* what, absl::string_view detail) {
  std::fprintf(stderr, "apbdes_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

bool KnownSource(const std::string& code) {
  return sync::FindDomainLabel("source", code) != nullptr;
}

void CheckCell(absl::string_view cell) {
  std::optional<int64_t> amount;
  bool fractional = false;
  if (field::apbdes::ParseRupiah(cell, &amount, &fractional) && amount.has_value()) {
    if (*amount < 0) Fail("negative amount", cell);
    std::optional<int64_t> again;
    if (!field::apbdes::ParseRupiah(absl::StrCat(*amount), &again, &fractional) ||
        again != amount) {
      Fail("amount does not read back", cell);
    }
  }
  std::optional<double> volume;
  if (field::apbdes::ParseVolume(cell, &volume) && volume.has_value() &&
      (!std::isfinite(*volume) || *volume < 0)) {
    Fail("bad volume accepted", cell);
  }
  std::string code;
  int parts = 0;
  if (field::apbdes::ParseCode(cell, &code, &parts) && (parts < 1 || parts > 3)) {
    Fail("code with odd parts", cell);
  }
}

}  // namespace

int CheckApbdesInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  CheckCell(text);
  size_t line_ends = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++line_ends;
    }
  }
  const size_t max_line = line_ends + 1;
  absl::StatusOr<field::apbdes::Table> table = field::apbdes::ParseCsv(text);
  if (!table.ok()) {
    if (table.status().code() != absl::StatusCode::kInvalidArgument ||
        !absl::StartsWith(table.status().message(), "line ")) {
      Fail("bad CSV error", table.status().ToString());
    }
    return 0;
  }
  std::set<size_t> lines;
  size_t previous = 0;
  for (const field::apbdes::TableRow& row : *table) {
    if (row.line <= previous || row.line > max_line) Fail("row line out of order", text);
    previous = row.line;
    lines.insert(row.line);
  }
  auto read = field::apbdes::ReadSheet(*table);
  if (!std::holds_alternative<field::apbdes::Sheet>(read)) return 0;
  const field::apbdes::Sheet& sheet = std::get<field::apbdes::Sheet>(read);
  std::set<std::string> codes;
  for (const field::apbdes::SheetActivity& a : sheet.activities) {
    std::string again;
    int parts = 0;
    if (!field::apbdes::ParseCode(a.code, &again, &parts) || parts != 3 || again != a.code ||
        a.code.size() != 8) {
      Fail("malformed kode", a.code);
    }
    if (a.sector < 1 || a.sector > 5 || a.sector != std::stoi(a.code.substr(0, 2))) {
      Fail("sector is not the bidang", a.code);
    }
    if (a.name.empty()) Fail("activity without a name", a.code);
    if (!codes.insert(a.code).second) Fail("kode twice", a.code);
    if (lines.count(a.line) == 0) Fail("activity line not in the table", a.code);
    if (a.volume.has_value() && (!std::isfinite(*a.volume) || *a.volume < 0)) {
      Fail("bad volume", a.code);
    }
    for (const auto& [source, amount] : a.budget) {
      if (!KnownSource(source) || amount <= 0) Fail("bad budget entry", source);
    }
  }
  for (const field::apbdes::RowProblem& p : sheet.problems) {
    if (lines.count(p.line) == 0) Fail("problem line not in the table", text);
  }
  return 0;
}

}  // namespace kawal::fuzz

#ifdef KAWAL_FUZZ_ENTRY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kawal::fuzz::CheckApbdesInput(data, size);
}
#endif
