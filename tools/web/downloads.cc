#include "web/downloads.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kawal::web {
namespace {

// A plain decimal (what the CSV writes for counts, rupiah and percents);
// codes such as "62.10.01" or "0012" stay text.
bool AsNumber(const std::string& text, double* value) {
  if (text.empty() || text.size() > 20) return false;
  if (text.size() > 1 && text[0] == '0' && text[1] != '.') return false;  // leading zero: code
  int dots = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '-' && i == 0) continue;
    if (c == '.') {
      if (++dots > 1) return false;
      continue;
    }
    if (c < '0' || c > '9') return false;
  }
  return absl::SimpleAtod(text, value);
}

}  // namespace

std::vector<std::vector<std::string>> ParseCsv(absl::string_view csv) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    any = true;
    if (quoted) {
      if (c == '"') {
        if (i + 1 < csv.size() && csv[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field.push_back(c);
    }
  }
  if (any) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string CsvWithBom(absl::string_view csv) { return absl::StrCat(kUtf8Bom, csv); }

absl::StatusOr<std::string> CsvToXlsx(absl::string_view csv, const std::string& sheet) {
  char path[] = "/tmp/kawal-web-XXXXXX.xlsx";
  const int fd = mkstemps(path, 5);  // mode 0600: the data never lies open to others
  if (fd < 0) return absl::InternalError("cannot create a temporary file for the XLSX download");
  close(fd);
  lxw_workbook_options options = {};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = nullptr;
  lxw_workbook* workbook = workbook_new_opt(path, &options);
  if (workbook == nullptr) {
    unlink(path);
    return absl::InternalError("libxlsxwriter could not start a workbook");
  }
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook, sheet.substr(0, 31).c_str());
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& cell = rows[r][c];
      double number = 0;
      if (r > 0 && AsNumber(cell, &number)) {
        worksheet_write_number(worksheet, r, c, number, nullptr);
      } else {
        worksheet_write_string(worksheet, r, c, cell.c_str(), r == 0 ? bold : nullptr);
      }
    }
  }
  if (!rows.empty()) worksheet_freeze_panes(worksheet, 1, 0);
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    unlink(path);
    return absl::InternalError(absl::StrCat("writing the XLSX download: ", lxw_strerror(error)));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  unlink(path);
  return bytes.str();
}

}  // namespace kawal::web
