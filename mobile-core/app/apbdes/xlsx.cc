// .xlsx = a zip of XML parts (ECMA-376): xl/workbook.xml lists the sheets,
// xl/_rels/workbook.xml.rels maps each to its part, xl/sharedStrings.xml
// holds the text cells refer to by index. Read with Debian's libzip and
// expat (Debian 12 packages no C/C++ XLSX reader).
#include <zip.h>
#include <expat.h>

#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "table.h"

namespace kawal::field::apbdes {
namespace {

// A part larger than this is refused (a village's APBDes sheet is a few
// hundred kilobytes; this bounds memory for a hostile or broken file).
constexpr zip_uint64_t kMaxPartBytes = 64u << 20;
// Columns beyond this are refused (XFD, Excel's last column, is 16384).
constexpr size_t kMaxColumns = 16384;

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;

// The part `name`, or NotFound.
absl::StatusOr<std::string> ReadPart(zip_t* zip, const std::string& name) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(zip, name.c_str(), 0, &stat) != 0) {
    return absl::NotFoundError(absl::StrCat("the part ", name, " is missing"));
  }
  if ((stat.valid & ZIP_STAT_SIZE) == 0 || stat.size > kMaxPartBytes) {
    return absl::InvalidArgumentError(absl::StrCat("the part ", name, " is too large"));
  }
  zip_file_t* file = zip_fopen(zip, name.c_str(), 0);
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot open the part ", name, ": ",
                                                   zip_strerror(zip)));
  }
  std::string bytes(stat.size, '\0');
  const zip_int64_t n = zip_fread(file, bytes.data(), stat.size);
  zip_fclose(file);
  if (n < 0 || static_cast<zip_uint64_t>(n) != stat.size) {
    return absl::InvalidArgumentError(absl::StrCat("the part ", name, " is damaged"));
  }
  return bytes;
}

// The local name of an element ("x:row" -> "row").
absl::string_view Local(const XML_Char* name) {
  absl::string_view n(name);
  const size_t colon = n.rfind(':');
  return colon == absl::string_view::npos ? n : n.substr(colon + 1);
}

const XML_Char* Attr(const XML_Char** attrs, absl::string_view local) {
  for (size_t i = 0; attrs[i] != nullptr; i += 2) {
    if (Local(attrs[i]) == local) return attrs[i + 1];
  }
  return nullptr;
}

// A SAX pass over one XML part with three callbacks.
struct SaxHandlers {
  std::function<void(absl::string_view, const XML_Char**)> start = [](auto, auto) {};
  std::function<void(absl::string_view)> end = [](auto) {};
  std::function<void(absl::string_view)> text = [](auto) {};
};

absl::Status Parse(const std::string& xml, const std::string& part, SaxHandlers& handlers) {
  XML_Parser parser = XML_ParserCreate("UTF-8");
  if (parser == nullptr) return absl::ResourceExhaustedError("cannot create an XML parser");
  XML_SetUserData(parser, &handlers);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        static_cast<SaxHandlers*>(data)->start(Local(name), attrs);
      },
      [](void* data, const XML_Char* name) { static_cast<SaxHandlers*>(data)->end(Local(name)); });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* s, int len) {
    static_cast<SaxHandlers*>(data)->text(absl::string_view(s, static_cast<size_t>(len)));
  });
  const bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) != XML_STATUS_ERROR;
  absl::Status status = absl::OkStatus();
  if (!ok) {
    status = absl::InvalidArgumentError(
        absl::StrCat("the part ", part, " is not valid XML (line ",
                     XML_GetCurrentLineNumber(parser), ": ",
                     XML_ErrorString(XML_GetErrorCode(parser)), ")"));
  }
  XML_ParserFree(parser);
  return status;
}

// The part holding the first sheet of the workbook.
absl::StatusOr<std::string> FirstSheetPart(zip_t* zip) {
  absl::StatusOr<std::string> workbook = ReadPart(zip, "xl/workbook.xml");
  if (!workbook.ok()) return workbook.status();
  std::string rel_id;
  SaxHandlers wb;
  wb.start = [&](absl::string_view name, const XML_Char** attrs) {
    if (name != "sheet" || !rel_id.empty()) return;
    if (const XML_Char* id = Attr(attrs, "id")) rel_id = id;
  };
  if (absl::Status s = Parse(*workbook, "xl/workbook.xml", wb); !s.ok()) return s;
  if (rel_id.empty()) return absl::InvalidArgumentError("the workbook has no sheet");
  std::string target;
  absl::StatusOr<std::string> rels = ReadPart(zip, "xl/_rels/workbook.xml.rels");
  if (rels.ok()) {
    SaxHandlers r;
    r.start = [&](absl::string_view name, const XML_Char** attrs) {
      const XML_Char* id = Attr(attrs, "Id");
      const XML_Char* to = Attr(attrs, "Target");
      if (name == "Relationship" && id != nullptr && to != nullptr && rel_id == id) target = to;
    };
    if (absl::Status s = Parse(*rels, "xl/_rels/workbook.xml.rels", r); !s.ok()) return s;
  }
  if (target.empty()) return std::string("xl/worksheets/sheet1.xml");  // the usual place
  if (absl::StartsWith(target, "/")) return target.substr(1);  // absolute within the package
  return absl::StrCat("xl/", target);
}

// Shared strings by index; a missing part means there are none.
absl::StatusOr<std::vector<std::string>> SharedStrings(zip_t* zip) {
  std::vector<std::string> strings;
  absl::StatusOr<std::string> xml = ReadPart(zip, "xl/sharedStrings.xml");
  if (absl::IsNotFound(xml.status())) return strings;
  if (!xml.ok()) return xml.status();
  bool in_t = false;
  int phonetic = 0;  // <rPh> runs are reading aids, not the cell's text
  SaxHandlers h;
  h.start = [&](absl::string_view name, const XML_Char**) {
    if (name == "si") strings.emplace_back();
    if (name == "rPh") ++phonetic;
    if (name == "t") in_t = true;
  };
  h.end = [&](absl::string_view name) {
    if (name == "rPh") --phonetic;
    if (name == "t") in_t = false;
  };
  h.text = [&](absl::string_view s) {
    if (in_t && phonetic == 0 && !strings.empty()) strings.back().append(s.data(), s.size());
  };
  if (absl::Status s = Parse(*xml, "xl/sharedStrings.xml", h); !s.ok()) return s;
  return strings;
}

// "BC12" -> column 54 (0-based 54 = BC) ; false when there are no letters.
bool ColumnOf(absl::string_view ref, size_t* column) {
  size_t n = 0, i = 0;
  for (; i < ref.size() && absl::ascii_isalpha(static_cast<unsigned char>(ref[i])); ++i) {
    n = n * 26 + static_cast<size_t>(absl::ascii_toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    if (n > kMaxColumns) return false;
  }
  if (i == 0) return false;
  *column = n - 1;
  return true;
}

// A number cell as the importer reads numbers (see table.h).
std::string NumberText(const std::string& raw) {
  double d = 0;
  if (!absl::SimpleAtod(raw, &d) || !std::isfinite(d)) return raw;
  const double rounded = std::round(d);
  if (std::fabs(d - rounded) < 1e-6 && std::fabs(rounded) < 1e15) {
    return absl::StrFormat("%.0f", rounded);
  }
  std::string text = absl::StrFormat("%.6f", d);
  while (absl::EndsWith(text, "0")) text.pop_back();
  return absl::StrReplaceAll(text, {{".", ","}});
}

}  // namespace

absl::StatusOr<Table> ReadXlsx(const std::string& path) {
  int error = 0;
  Zip zip(zip_open(path.c_str(), ZIP_RDONLY, &error));
  if (zip == nullptr) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, error);
    std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    if (error == ZIP_ER_NOENT || error == ZIP_ER_OPEN || error == ZIP_ER_READ) {
      return absl::NotFoundError(absl::StrCat("cannot open ", path, ": ", why));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not an .xlsx workbook (", why, ")"));
  }
  absl::StatusOr<std::string> sheet_part = FirstSheetPart(zip.get());
  if (!sheet_part.ok()) return sheet_part.status();
  absl::StatusOr<std::vector<std::string>> shared = SharedStrings(zip.get());
  if (!shared.ok()) return shared.status();
  absl::StatusOr<std::string> sheet = ReadPart(zip.get(), *sheet_part);
  if (!sheet.ok()) return sheet.status();

  Table table;
  absl::Status problem = absl::OkStatus();
  size_t column = 0;
  std::string type, value;
  bool in_value = false, in_cell = false;
  SaxHandlers h;
  h.start = [&](absl::string_view name, const XML_Char** attrs) {
    if (name == "row") {
      size_t number = table.empty() ? 1 : table.back().line + 1;
      if (const XML_Char* r = Attr(attrs, "r")) {
        if (!absl::SimpleAtoi(r, &number)) number = table.empty() ? 1 : table.back().line + 1;
      }
      table.push_back(TableRow{number, {}});
      column = 0;
    } else if (name == "c" && !table.empty()) {
      in_cell = true;
      const XML_Char* t = Attr(attrs, "t");
      type = t != nullptr ? t : "n";
      value.clear();
      if (const XML_Char* r = Attr(attrs, "r"); r != nullptr && !ColumnOf(r, &column)) {
        problem = absl::InvalidArgumentError(absl::StrCat("bad cell reference \"", r, "\""));
      }
    } else if (in_cell && (name == "v" || name == "t")) {
      in_value = true;  // <t> of an inline string (<is>), possibly in runs
    }
  };
  h.text = [&](absl::string_view s) {
    if (in_value) value.append(s.data(), s.size());
  };
  h.end = [&](absl::string_view name) {
    if (name == "v" || name == "t") {
      in_value = false;
    } else if (name == "c" && in_cell) {
      in_cell = false;
      std::string text;
      if (type == "s") {
        size_t index = 0;
        if (!absl::SimpleAtoi(value, &index) || index >= shared->size()) {
          problem = absl::InvalidArgumentError(
              absl::StrCat("row ", table.back().line, ": a cell refers to shared string \"",
                           value, "\", which does not exist"));
        } else {
          text = (*shared)[index];
        }
      } else if (type == "n") {
        text = value.empty() ? "" : NumberText(value);
      } else if (type == "b") {
        text = value == "1" ? "TRUE" : "FALSE";
      } else {  // str (a formula's text), inlineStr, e (an error such as #VALUE!)
        text = value;
      }
      std::vector<std::string>& cells = table.back().cells;
      if (column >= kMaxColumns) return;
      if (cells.size() <= column) cells.resize(column + 1);
      cells[column] = std::move(text);
      ++column;
    }
  };
  if (absl::Status s = Parse(*sheet, *sheet_part, h); !s.ok()) return s;
  if (!problem.ok()) return problem;
  return table;
}

}  // namespace kawal::field::apbdes
