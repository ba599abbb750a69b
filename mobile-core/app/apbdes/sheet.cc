// Reading APBDes rows (sheet.h). Header cells are compared after folding
// case, punctuation and spacing ("Kode  Kegiatan", "KODE.KEG" and
// "kode kegiatan" are one column).
#include "sheet.h"

#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "kawal/sync/domain_labels.h"

namespace kawal::field::apbdes {
namespace {

// Rows searched for the header (title rows come first in real files).
constexpr size_t kHeaderSearchRows = 30;
// Amounts above this are typing errors (the schema caps them too).
constexpr size_t kMaxAmountDigits = 15;

// What a column holds. Sources are kSource + index into Sources().
enum Role : int {
  kIgnored = -1, kCode = 0, kName, kVolume, kUnit, kLocation, kTotal, kSource,
};

// Whitespace (including the no-break space Excel likes) trimmed and
// collapsed to single spaces.
std::string Clean(absl::string_view s) {
  std::string spaced = absl::StrReplaceAll(s, {{"\xC2\xA0", " "}});
  std::vector<absl::string_view> words =
      absl::StrSplit(spaced, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
  return absl::StrJoin(words, " ");
}

// Lowercase words of a header cell: punctuation is a space.
std::vector<std::string> HeaderWords(absl::string_view cell) {
  std::string folded;
  for (char c : Clean(cell)) {
    const unsigned char u = static_cast<unsigned char>(c);
    folded.push_back(absl::ascii_isalnum(u) ? absl::ascii_tolower(u) : ' ');
  }
  return absl::StrSplit(folded, ' ', absl::SkipEmpty());
}

bool Has(const std::vector<std::string>& words, absl::string_view w) {
  for (const std::string& x : words) {
    if (x == w) return true;
  }
  return false;
}

// The schema's funding sources (sync/domain_labels.h), in its order: a
// column is named by its code ("DDS", "Anggaran DDS") or by its whole
// Indonesian name ("Dana Desa", "Alokasi Dana Desa", "Pendapatan Asli Desa").
absl::Span<const sync::DomainLabel> Sources() { return sync::DomainLabels("source"); }

int SourceRole(const std::vector<std::string>& words) {
  struct Names {
    std::string code, name;  // as HeaderWords folds them
  };
  static const std::vector<Names>* const kNames = [] {
    auto* names = new std::vector<Names>;
    for (const sync::DomainLabel& label : Sources()) {
      names->push_back({absl::AsciiStrToLower(label.key), absl::StrJoin(HeaderWords(label.id), " ")});
    }
    return names;
  }();
  if (Has(words, "dd")) return kSource + 0;  // the usual short form of Dana Desa
  const std::string joined = absl::StrJoin(words, " ");
  for (size_t i = 0; i < kNames->size(); ++i) {
    if (Has(words, (*kNames)[i].code) || joined == (*kNames)[i].name) {
      return kSource + static_cast<int>(i);
    }
  }
  return kIgnored;
}

Role RoleOf(absl::string_view cell) {
  const std::vector<std::string> w = HeaderWords(cell);
  if (w.empty()) return kIgnored;
  if (Has(w, "kode") || Has(w, "kd")) return kCode;
  if (Has(w, "volume") || Has(w, "vol")) return kVolume;
  if (Has(w, "satuan") || Has(w, "sat")) return kUnit;
  if (Has(w, "lokasi")) return kLocation;
  if (int source = SourceRole(w); source != kIgnored) return static_cast<Role>(source);
  if (Has(w, "uraian") || Has(w, "nama") || (w.size() == 1 && w[0] == "kegiatan")) return kName;
  if (Has(w, "jumlah") || Has(w, "total")) return kTotal;
  return kIgnored;
}

std::string RoleName(int role) {
  if (role >= kSource) return Sources()[static_cast<size_t>(role - kSource)].key;
  switch (role) {
    case kCode: return "kode";
    case kName: return "uraian";
    case kVolume: return "volume";
    case kUnit: return "satuan";
    case kLocation: return "lokasi";
    case kTotal: return "jumlah";
  }
  return "";
}

const std::string& CellAt(const TableRow& row, size_t i) {
  static const std::string kEmpty;
  return i < row.cells.size() ? row.cells[i] : kEmpty;
}

bool Blank(const TableRow& row) {
  for (const std::string& c : row.cells) {
    if (!Clean(c).empty()) return false;
  }
  return true;
}

// "1 | 2 | 3 | ..." under a header: the column numbering of printed forms.
bool ColumnNumbers(const TableRow& row) {
  int64_t expected = 0;
  for (const std::string& c : row.cells) {
    const std::string t = Clean(c);
    if (t.empty()) continue;
    int64_t n = 0;
    if (!absl::SimpleAtoi(t, &n) || (expected != 0 && n != expected + 1)) return false;
    expected = n;
  }
  return expected > 0;
}

// Digits grouped by '.' in threes after the first group ("1.250.000"), or
// plain digits. Appends the digits to *out.
bool GroupedDigits(absl::string_view s, std::string* out) {
  const std::vector<absl::string_view> groups = absl::StrSplit(s, '.');
  for (size_t g = 0; g < groups.size(); ++g) {
    const absl::string_view group = groups[g];
    if (group.empty() || (g > 0 && group.size() != 3) ||
        (g == 0 && groups.size() > 1 && group.size() > 3)) {
      return false;
    }
    for (char c : group) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
    out->append(group.data(), group.size());
  }
  return true;
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

struct Columns {
  std::map<int, size_t> of_role;  // role -> column index
};

}  // namespace

bool ParseRupiah(absl::string_view raw, std::optional<int64_t>* out, bool* fractional) {
  *fractional = false;
  std::string text = Clean(raw);
  absl::string_view s = text;
  if (s.size() >= 2 && absl::EqualsIgnoreCase(s.substr(0, 2), "rp")) {
    s.remove_prefix(2);
    absl::ConsumePrefix(&s, ".");
  } else if (s.size() >= 3 && absl::EqualsIgnoreCase(s.substr(0, 3), "idr")) {
    s.remove_prefix(3);
  }
  std::string compact = absl::StrReplaceAll(s, {{" ", ""}});
  s = compact;
  if (s.empty() || s == "-") {
    *out = std::nullopt;
    return true;
  }
  absl::string_view whole = s, fraction;
  if (size_t comma = s.rfind(','); comma != absl::string_view::npos) {
    whole = s.substr(0, comma);
    fraction = s.substr(comma + 1);
    if (!AllDigits(fraction)) return false;
  }
  std::string digits;
  if (!GroupedDigits(whole, &digits) || digits.size() > kMaxAmountDigits) return false;
  if (fraction.find_first_not_of('0') != absl::string_view::npos) {
    *fractional = true;
    return false;
  }
  int64_t n = 0;
  if (!absl::SimpleAtoi(digits, &n)) return false;
  *out = n;
  return true;
}

bool ParseVolume(absl::string_view raw, std::optional<double>* out) {
  std::string text = absl::StrReplaceAll(Clean(raw), {{" ", ""}});
  if (text.empty() || text == "-") {
    *out = std::nullopt;
    return true;
  }
  std::string number;
  if (size_t comma = text.rfind(','); comma != std::string::npos) {
    absl::string_view fraction = absl::string_view(text).substr(comma + 1);
    if (!GroupedDigits(absl::string_view(text).substr(0, comma), &number) || !AllDigits(fraction)) {
      return false;
    }
    absl::StrAppend(&number, ".", fraction);
  } else if (!GroupedDigits(text, &number)) {
    // A lone decimal point ("2.5"): not a thousands grouping.
    if (std::count(text.begin(), text.end(), '.') != 1) return false;
    const size_t dot = text.find('.');
    if (!AllDigits(text.substr(0, dot)) || !AllDigits(text.substr(dot + 1))) return false;
    number = text;
  }
  double d = 0;
  if (!absl::SimpleAtod(number, &d) || !std::isfinite(d) || d < 0) return false;
  *out = d;
  return true;
}

bool ParseCode(absl::string_view raw, std::string* out, int* parts) {
  std::string text = absl::StrReplaceAll(Clean(raw), {{" ", ""}});
  absl::string_view s = text;
  absl::ConsumeSuffix(&s, ".");
  const std::vector<absl::string_view> pieces = absl::StrSplit(s, '.');
  if (pieces.empty() || pieces.size() > 3) return false;
  std::vector<int> numbers;
  for (absl::string_view p : pieces) {
    int n = 0;
    if (!AllDigits(p) || p.size() > 2 || !absl::SimpleAtoi(p, &n)) return false;
    numbers.push_back(n);
  }
  *parts = static_cast<int>(numbers.size());
  out->clear();
  if (numbers.size() == 3) {
    if (numbers[1] == 0 || numbers[2] == 0) return false;
    *out = absl::StrFormat("%02d.%02d.%02d", numbers[0], numbers[1], numbers[2]);
  }
  return true;
}

std::variant<Sheet, HeaderProblem> ReadSheet(const Table& table) {
  // The header: the first row naming a kode and an uraian column.
  size_t header = table.size();
  for (size_t i = 0; i < table.size() && i < kHeaderSearchRows; ++i) {
    bool code = false, name = false;
    for (const std::string& c : table[i].cells) {
      code = code || RoleOf(c) == kCode;
      name = name || RoleOf(c) == kName;
    }
    if (code && name) {
      header = i;
      break;
    }
  }
  if (header == table.size()) return HeaderProblem{HeaderProblemKind::kNoHeader, {}};

  // Roles per column; a second header row under merged cells ("Anggaran"
  // over DDS | ADD | ...) names the columns it has text for.
  std::vector<int> roles;
  for (const std::string& c : table[header].cells) roles.push_back(RoleOf(c));
  size_t first_data = header + 1;
  if (first_data < table.size()) {
    const TableRow& sub = table[first_data];
    bool names_columns = false, has_code = false;
    for (size_t i = 0; i < sub.cells.size(); ++i) {
      const int role = RoleOf(sub.cells[i]);
      names_columns = names_columns || role != kIgnored;
      std::string code;
      int parts = 0;
      has_code = has_code || (!Clean(sub.cells[i]).empty() && ParseCode(sub.cells[i], &code, &parts));
    }
    if (names_columns && !has_code) {
      if (roles.size() < sub.cells.size()) roles.resize(sub.cells.size(), kIgnored);
      for (size_t i = 0; i < sub.cells.size(); ++i) {
        if (!Clean(sub.cells[i]).empty()) roles[i] = RoleOf(sub.cells[i]);
      }
      ++first_data;
    }
  }
  if (first_data < table.size() && ColumnNumbers(table[first_data])) ++first_data;

  std::map<int, size_t> column;
  bool any_source = false;
  for (size_t i = 0; i < roles.size(); ++i) {
    if (roles[i] == kIgnored) continue;
    if (!column.emplace(roles[i], i).second) {
      return HeaderProblem{HeaderProblemKind::kDuplicateColumn,
                           {RoleName(roles[i]), absl::StrCat(table[header].line)}};
    }
    any_source = any_source || roles[i] >= kSource;
  }
  if (!any_source) return HeaderProblem{HeaderProblemKind::kNoSourceColumn, {}};
  auto cell = [&](const TableRow& row, int role) -> std::string {
    auto it = column.find(role);
    return it == column.end() ? std::string() : Clean(CellAt(row, it->second));
  };

  Sheet sheet;
  sheet.header_line = table[header].line;
  std::map<std::string, size_t> line_of_code;
  for (size_t r = first_data; r < table.size(); ++r) {
    const TableRow& row = table[r];
    if (Blank(row)) continue;
    auto problem = [&](RowProblemKind kind, std::vector<std::string> args) {
      sheet.problems.push_back(RowProblem{row.line, kind, std::move(args)});
    };
    SheetActivity a;
    a.line = row.line;
    const std::string code_text = cell(row, kCode);
    a.name = cell(row, kName);
    if (code_text.empty()) {
      // "JUMLAH", "TOTAL BELANJA": a sum row; anything else lacks its kode.
      const std::vector<std::string> w = HeaderWords(a.name);
      if (!w.empty() && (w[0] == "jumlah" || w[0] == "total" || w[0] == "subtotal" ||
                         (w[0] == "sub" && w.size() > 1 && w[1] == "total"))) {
        ++sheet.headings;
      } else {
        problem(RowProblemKind::kNoCode, {a.name});
      }
      continue;
    }
    int parts = 0;
    if (!ParseCode(code_text, &a.code, &parts)) {
      problem(RowProblemKind::kBadCode, {code_text});
      continue;
    }
    if (parts < 3) {  // a bidang or sub-bidang heading with its subtotal
      ++sheet.headings;
      continue;
    }
    a.sector = std::stoi(a.code.substr(0, 2));
    if (a.sector < 1 || a.sector > 5) {
      problem(RowProblemKind::kBadSector, {code_text, absl::StrCat(a.sector)});
      continue;
    }
    if (a.name.empty()) {
      problem(RowProblemKind::kNoName, {code_text});
      continue;
    }
    if (auto [it, fresh] = line_of_code.emplace(a.code, row.line); !fresh) {
      problem(RowProblemKind::kDuplicateCode, {a.code, absl::StrCat(it->second)});
      continue;
    }
    const std::string volume = cell(row, kVolume);
    if (!ParseVolume(volume, &a.volume)) {
      problem(RowProblemKind::kBadVolume, {volume});
      continue;
    }
    a.unit = cell(row, kUnit);
    a.location = cell(row, kLocation);
    bool bad = false;
    int64_t sum = 0;
    auto amount = [&](int role, std::optional<int64_t>* out) {
      const std::string text = cell(row, role);
      bool fractional = false;
      if (ParseRupiah(text, out, &fractional)) return true;
      problem(fractional ? RowProblemKind::kFractionalAmount : RowProblemKind::kBadAmount,
              {RoleName(role), text});
      bad = true;
      return false;
    };
    for (int i = 0; i < static_cast<int>(Sources().size()) && !bad; ++i) {
      std::optional<int64_t> n;
      if (column.count(kSource + i) == 0 || !amount(kSource + i, &n)) continue;
      if (n.has_value() && *n > 0) {
        a.budget[Sources()[static_cast<size_t>(i)].key] = *n;
        sum += *n;
      }
    }
    if (bad) continue;
    std::optional<int64_t> total;
    if (column.count(kTotal) > 0 && !amount(kTotal, &total)) continue;
    if (total.has_value() && *total != sum) {
      problem(RowProblemKind::kTotalMismatch, {absl::StrCat(*total), absl::StrCat(sum)});
      continue;
    }
    sheet.activities.push_back(std::move(a));
  }
  return sheet;
}

}  // namespace kawal::field::apbdes
