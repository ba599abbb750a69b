// The APBDes reader and row parser of `kawal-field import apbdes`
// (mobile-core/app/apbdes): CSV as real files come (BOM, CRLF, ';', quotes,
// merged header rows, "Rp 1.250.000", empty rows), the .xlsx reader against
// the same sheet, and every kind of bad row named with its line.
#include <fstream>
#include <string>
#include <variant>

#include <gtest/gtest.h>
#include <zip.h>

#include <map>

#include "plan.h"
#include "server_process.h"
#include "sheet.h"
#include "table.h"

namespace kawal::field::apbdes {
namespace {

std::string DataFile(const std::string& name) {
  return std::string(KAWAL_APBDES_DATA_DIR) + "/" + name;
}

Sheet ReadOk(absl::string_view csv) {
  absl::StatusOr<Table> table = ParseCsv(csv);
  EXPECT_TRUE(table.ok()) << table.status();
  if (!table.ok()) return Sheet();
  auto read = ReadSheet(*table);
  EXPECT_TRUE(std::holds_alternative<Sheet>(read)) << "header problem";
  return std::holds_alternative<Sheet>(read) ? std::get<Sheet>(read) : Sheet();
}

TEST(ApbdesCsvTest, BomCrlfAndQuotes) {
  absl::StatusOr<Table> t = ParseCsv("\xEF\xBB\xBF" "a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,2,3\r\n");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].cells, (std::vector<std::string>{"a", "b, c", "say \"hi\""}));
  EXPECT_EQ((*t)[1].line, 2u);
  EXPECT_EQ((*t)[1].cells, (std::vector<std::string>{"1", "2", "3"}));
}

TEST(ApbdesCsvTest, SemicolonSeparatorAndMultilineCellKeepsLines) {
  absl::StatusOr<Table> t = ParseCsv("kode;uraian\n1.1.01;\"two\nlines\"\n\n1.1.02;x\n");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 4u);
  EXPECT_EQ((*t)[1].cells[1], "two\nlines");
  EXPECT_EQ((*t)[1].line, 2u);
  EXPECT_EQ((*t)[2].line, 4u);  // the empty line
  EXPECT_EQ((*t)[3].line, 5u);
  EXPECT_EQ((*t)[3].cells[0], "1.1.02");
}

TEST(ApbdesCsvTest, UnclosedQuoteNamesItsLine) {
  absl::StatusOr<Table> t = ParseCsv("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("line 2"), std::string::npos) << t.status();
}

TEST(ApbdesNumbersTest, Rupiah) {
  std::optional<int64_t> n;
  bool fractional = false;
  for (auto [text, want] : std::vector<std::pair<std::string, int64_t>>{
           {"Rp 1.250.000", 1250000}, {"Rp1.250.000", 1250000}, {"Rp. 1.250.000,00", 1250000},
           {"1250000", 1250000}, {" 1.250.000 ", 1250000}, {"IDR 5.000", 5000},
           {"rp\xC2\xA0" "2.000", 2000}, {"0", 0}}) {
    ASSERT_TRUE(ParseRupiah(text, &n, &fractional)) << text;
    EXPECT_EQ(n, want) << text;
  }
  for (const char* empty : {"", "-", "  ", "Rp -"}) {
    ASSERT_TRUE(ParseRupiah(empty, &n, &fractional)) << empty;
    EXPECT_FALSE(n.has_value()) << empty;
  }
  for (const char* bad : {"12,5 juta", "1.25.000", "1,250,000", "-5.000", "abc", "1.250.000,50",
                          "9999999999999999"}) {
    EXPECT_FALSE(ParseRupiah(bad, &n, &fractional)) << bad;
  }
  EXPECT_FALSE(ParseRupiah("1.250.000,50", &n, &fractional));
  EXPECT_TRUE(fractional);
}

TEST(ApbdesNumbersTest, Volume) {
  std::optional<double> v;
  for (auto [text, want] : std::vector<std::pair<std::string, double>>{
           {"750", 750}, {"2,5", 2.5}, {"1.500", 1500}, {"1.500,25", 1500.25}, {"2.5", 2.5},
           {"0,75", 0.75}}) {
    ASSERT_TRUE(ParseVolume(text, &v)) << text;
    EXPECT_EQ(v, want) << text;
  }
  ASSERT_TRUE(ParseVolume("", &v));
  EXPECT_FALSE(v.has_value());
  for (const char* bad : {"2 unit", "1.2.3", "x", "-4", "1,2,3"}) {
    EXPECT_FALSE(ParseVolume(bad, &v)) << bad;
  }
}

TEST(ApbdesNumbersTest, Code) {
  std::string code;
  int parts = 0;
  for (auto [text, want] : std::vector<std::pair<std::string, std::string>>{
           {"2.1.3", "02.01.03"}, {"02.01.03", "02.01.03"}, {"2.01.03.", "02.01.03"},
           {" 5.3.01 ", "05.03.01"}}) {
    ASSERT_TRUE(ParseCode(text, &code, &parts)) << text;
    EXPECT_EQ(code, want);
    EXPECT_EQ(parts, 3);
  }
  ASSERT_TRUE(ParseCode("2.1", &code, &parts));
  EXPECT_EQ(parts, 2);
  ASSERT_TRUE(ParseCode("2", &code, &parts));
  EXPECT_EQ(parts, 1);
  for (const char* bad : {"2.x.01", "2.1.0", "2.1.01.01", "A", "2..1", "123.1.1"}) {
    EXPECT_FALSE(ParseCode(bad, &code, &parts)) << bad;
  }
}

TEST(ApbdesSheetTest, MergedHeaderTitleRowsNumberingAndHeadings) {
  Sheet sheet = ReadOk(
      "APBDES DESA CONTOH 2026\n"
      "\n"
      "  KODE   kegiatan ; URAIAN;Vol.;Sat;Anggaran (Rp);;Lokasi\n"
      ";;;;dds;Add;\n"
      "1;2;3;4;5;6;7\n"
      "2;PELAKSANAAN PEMBANGUNAN DESA;;;Rp 300.000.000;;\n"
      "2.3;Pekerjaan Umum;;;;;\n"
      "2.3.01;  Pengerasan   Jalan Desa ;750;m;Rp 150.000.000;\"25.000.000\";RT 02\n"
      ";;;;;;\n"
      "02.03.02;Drainase;1,5;km;-;Rp 5.000.000,00;\n"
      ";JUMLAH;;;155.000.000;30.000.000;\n");
  EXPECT_TRUE(sheet.problems.empty());
  EXPECT_EQ(sheet.header_line, 3u);
  EXPECT_EQ(sheet.headings, 3u);  // bidang, sub-bidang, JUMLAH
  ASSERT_EQ(sheet.activities.size(), 2u);
  const SheetActivity& a = sheet.activities[0];
  EXPECT_EQ(a.line, 8u);
  EXPECT_EQ(a.code, "02.03.01");
  EXPECT_EQ(a.sector, 2);
  EXPECT_EQ(a.name, "Pengerasan Jalan Desa");
  EXPECT_EQ(a.volume, 750.0);
  EXPECT_EQ(a.unit, "m");
  EXPECT_EQ(a.budget, (sync::AmountMap{{"DDS", 150000000}, {"ADD", 25000000}}));
  EXPECT_EQ(a.location, "RT 02");
  const SheetActivity& b = sheet.activities[1];
  EXPECT_EQ(b.line, 10u);
  EXPECT_EQ(b.volume, 1.5);
  EXPECT_EQ(b.budget, (sync::AmountMap{{"ADD", 5000000}}));
  EXPECT_TRUE(b.location.empty());
}

TEST(ApbdesSheetTest, EveryBadRowIsReportedWithItsLine) {
  Sheet sheet = ReadOk(
      "Kode;Uraian;Volume;DDS;ADD;Jumlah\n"        // 1
      "2.1.01;Baik;1;1.000;;1.000\n"               // 2 good
      "2.x.02;Kode salah;1;1.000;;\n"              // 3 bad kode
      "7.1.01;Bidang tujuh;1;1.000;;\n"            // 4 no bidang 7
      "2.1.03;;1;1.000;;\n"                        // 5 no name
      "2.1.04;Jumlah salah;1;Rp 12,5 juta;;\n"     // 6 bad amount
      "2.1.05;Pecahan;1;1.000,50;;\n"              // 7 fraction of a rupiah
      "2.1.06;Volume salah;dua;1.000;;\n"          // 8 bad volume
      "2.1.01;Kode ganda;1;1.000;;\n"              // 9 duplicate of line 2
      "2.1.07;Total beda;1;1.000;500;2.000\n"      // 10 total differs
      ";Tanpa kode;1;1.000;;\n"                    // 11 no code
      "2.1.08;Baik juga;;;;\n");                   // 12 good, no budget
  ASSERT_EQ(sheet.activities.size(), 2u);
  EXPECT_EQ(sheet.activities[0].line, 2u);
  EXPECT_EQ(sheet.activities[1].line, 12u);
  EXPECT_TRUE(sheet.activities[1].budget.empty());
  std::vector<std::pair<size_t, RowProblemKind>> got;
  for (const RowProblem& p : sheet.problems) got.emplace_back(p.line, p.kind);
  EXPECT_EQ(got, (std::vector<std::pair<size_t, RowProblemKind>>{
                     {3, RowProblemKind::kBadCode},
                     {4, RowProblemKind::kBadSector},
                     {5, RowProblemKind::kNoName},
                     {6, RowProblemKind::kBadAmount},
                     {7, RowProblemKind::kFractionalAmount},
                     {8, RowProblemKind::kBadVolume},
                     {9, RowProblemKind::kDuplicateCode},
                     {10, RowProblemKind::kTotalMismatch},
                     {11, RowProblemKind::kNoCode},
                 }));
  EXPECT_EQ(sheet.problems[3].args, (std::vector<std::string>{"DDS", "Rp 12,5 juta"}));
  EXPECT_EQ(sheet.problems[6].args, (std::vector<std::string>{"02.01.01", "2"}));
}

// A budget column is named by the source's code or its whole name as the
// schema labels it (sync/domain_labels.h), in any case and punctuation.
TEST(ApbdesSheetTest, SourceColumnsByCodeOrName) {
  const Sheet sheet = ReadOk(
      "Kode;Uraian;Anggaran DDS;Alokasi Dana Desa;PENDAPATAN ASLI DESA;Lain-lain;Bantuan "
      "Keuangan Kabupaten/Kota\n"
      "2.1.01;Jalan;1.000;2.000;3.000;4.000;5.000\n");
  ASSERT_EQ(sheet.activities.size(), 1u);
  EXPECT_EQ(sheet.activities[0].budget,
            (sync::AmountMap{{"DDS", 1000}, {"ADD", 2000}, {"PAD", 3000}, {"DLL", 4000},
                             {"PBK", 5000}}));
}

TEST(ApbdesSheetTest, HeaderProblems) {
  auto problem = [](absl::string_view csv) {
    auto read = ReadSheet(*ParseCsv(csv));
    EXPECT_TRUE(std::holds_alternative<HeaderProblem>(read)) << csv;
    return std::holds_alternative<HeaderProblem>(read) ? std::get<HeaderProblem>(read).kind
                                                       : HeaderProblemKind::kNoHeader;
  };
  EXPECT_EQ(problem("a;b;c\n1;2;3\n"), HeaderProblemKind::kNoHeader);
  EXPECT_EQ(problem("Kode;Uraian;Volume\n2.1.01;x;1\n"), HeaderProblemKind::kNoSourceColumn);
  EXPECT_EQ(problem("Kode;Uraian;DDS;Dana Desa\n"), HeaderProblemKind::kDuplicateColumn);
}

TEST(ApbdesSampleTest, CsvSampleHasSixtyActivities) {
  absl::StatusOr<Table> table = ReadTableFile(DataFile("apbdes-2026-sample.csv"));
  ASSERT_TRUE(table.ok()) << table.status();
  auto read = ReadSheet(*table);
  ASSERT_TRUE(std::holds_alternative<Sheet>(read));
  const Sheet& sheet = std::get<Sheet>(read);
  EXPECT_TRUE(sheet.problems.empty()) << sheet.problems.front().line;
  EXPECT_EQ(sheet.activities.size(), 60u);
}

TEST(ApbdesSampleTest, XlsxReadsAsTheCsv) {
  absl::StatusOr<Table> csv = ReadTableFile(DataFile("apbdes-2026-sample.csv"));
  absl::StatusOr<Table> xlsx = ReadTableFile(DataFile("apbdes-2026-sample.xlsx"));
  ASSERT_TRUE(csv.ok()) << csv.status();
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  const Sheet a = std::get<Sheet>(ReadSheet(*csv));
  const Sheet b = std::get<Sheet>(ReadSheet(*xlsx));
  ASSERT_EQ(a.activities.size(), b.activities.size());
  EXPECT_TRUE(b.problems.empty());
  for (size_t i = 0; i < a.activities.size(); ++i) {
    const SheetActivity& x = a.activities[i];
    const SheetActivity& y = b.activities[i];
    EXPECT_EQ(x.line, y.line);
    EXPECT_EQ(x.code, y.code);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.volume, y.volume) << x.code;
    EXPECT_EQ(x.unit, y.unit);
    EXPECT_EQ(x.budget, y.budget) << x.code;
    EXPECT_EQ(x.location, y.location);
  }
}

TEST(ApbdesSampleTest, BadRowsFileNamesThreeLines) {
  absl::StatusOr<Table> table = ReadTableFile(DataFile("apbdes-2026-3-bad-rows.csv"));
  ASSERT_TRUE(table.ok()) << table.status();
  const Sheet sheet = std::get<Sheet>(ReadSheet(*table));
  EXPECT_EQ(sheet.activities.size(), 57u);
  ASSERT_EQ(sheet.problems.size(), 3u);
  EXPECT_EQ(sheet.problems[0].line, 40u);
  EXPECT_EQ(sheet.problems[1].line, 64u);
  EXPECT_EQ(sheet.problems[2].line, 80u);
}

TEST(ApbdesXlsxTest, NotAWorkbookIsAClearError) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/broken.xlsx";
  std::ofstream(path) << "Kode;Uraian\n";
  absl::StatusOr<Table> t = ReadTableFile(path);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("not an .xlsx workbook"), std::string::npos) << t.status();
  EXPECT_FALSE(ReadTableFile(dir.path() + "/missing.csv").ok());
  absl::StatusOr<Table> xls = ReadTableFile(dir.path() + "/old.xls");
  ASSERT_FALSE(xls.ok());
  EXPECT_NE(xls.status().message().find(".xlsx or .csv"), std::string::npos);
}

// Writes a workbook of `parts` (name -> XML) with libzip.
void WriteZip(const std::string& path, const std::map<std::string, std::string>& parts) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(zip, nullptr) << error;
  for (const auto& [name, text] : parts) {
    zip_source_t* source = zip_source_buffer(zip, text.data(), text.size(), 0);
    ASSERT_NE(source, nullptr);
    ASSERT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE), 0);
  }
  ASSERT_EQ(zip_close(zip), 0);
}

// What real generators write beyond the sample: the first sheet listed is
// not sheet1 and its target is absolute; rich-text runs and phonetic runs in
// shared strings; formula text (t="str"), booleans, floating-point residue,
// cells without references, a prefixed namespace.
TEST(ApbdesXlsxTest, FirstSheetRichTextFormulasAndGaps) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/apbdes.xlsx";
  const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  WriteZip(path, {
      {"xl/workbook.xml",
       "<workbook xmlns=\"" + ns + "\" xmlns:r=\"rel\"><sheets>"
       "<sheet name=\"APBDes\" sheetId=\"2\" r:id=\"rId7\"/>"
       "<sheet name=\"Lain\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId7\" Target=\"/xl/worksheets/apbdes.xml\"/></Relationships>"},
      {"xl/sharedStrings.xml",
       "<sst><si><t>Kode</t></si>"
       "<si><r><t>Uraian </t></r><r><rPr><b/></rPr><t>Kegiatan</t></r>"
       "<rPh><t>furigana</t></rPh></si>"
       "<si><t>Jalan &amp; Jembatan</t></si></sst>"},
      {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" "
                                   "t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row>"
                                   "</sheetData></worksheet>"},
      {"xl/worksheets/apbdes.xml",
       "<x:worksheet xmlns:x=\"" + ns + "\"><x:sheetData>"
       "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c>"
       "<x:c r=\"D2\" t=\"inlineStr\"><x:is><x:t>DDS</x:t></x:is></x:c></x:row>"
       "<x:row r=\"5\"><x:c r=\"A5\" t=\"str\"><x:f>\"2.3.\"&amp;\"01\"</x:f>"
       "<x:v>2.3.01</x:v></x:c><x:c r=\"B5\" t=\"s\"><x:v>2</x:v></x:c>"
       "<x:c r=\"C5\"><x:v>2.5</x:v></x:c><x:c r=\"D5\"><x:v>150000000.00000001</x:v></x:c>"
       "<x:c r=\"E5\" t=\"b\"><x:v>1</x:v></x:c></x:row>"
       "</x:sheetData></x:worksheet>"},
  });
  absl::StatusOr<Table> t = ReadXlsx(path);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].line, 2u);
  EXPECT_EQ((*t)[0].cells, (std::vector<std::string>{"Kode", "Uraian Kegiatan", "", "DDS"}));
  EXPECT_EQ((*t)[1].line, 5u);
  EXPECT_EQ((*t)[1].cells, (std::vector<std::string>{"2.3.01", "Jalan & Jembatan", "2,5",
                                                     "150000000", "TRUE"}));
  const Sheet sheet = std::get<Sheet>(ReadSheet(*t));
  ASSERT_EQ(sheet.activities.size(), 1u);
  EXPECT_EQ(sheet.activities[0].budget, (sync::AmountMap{{"DDS", 150000000}}));
}

TEST(ApbdesXlsxTest, BrokenPartsAreNamed) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/broken.xlsx";
  WriteZip(path, {{"xl/workbook.xml", "<workbook><sheets><sheet r:id=\"rId1\"/>"}});
  absl::StatusOr<Table> t = ReadXlsx(path);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("xl/workbook.xml is not valid XML"), std::string::npos)
      << t.status();
  WriteZip(path, {{"xl/workbook.xml", "<workbook><sheets><sheet id=\"rId1\"/></sheets></workbook>"},
                  {"xl/worksheets/sheet1.xml",
                   "<worksheet><sheetData><row><c t=\"s\"><v>4</v></c></row></sheetData>"
                   "</worksheet>"}});
  t = ReadXlsx(path);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("shared string \"4\""), std::string::npos) << t.status();
}

TEST(ApbdesPlanTest, IdsDependOnVillageYearAndCode) {
  const std::string id = ActivityIdFor("62.10.01.2002", 2026, "02.03.01");
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(id, ActivityIdFor("62.10.01.2002", 2026, "02.03.01"));
  EXPECT_NE(id, ActivityIdFor("62.10.01.2003", 2026, "02.03.01"));
  EXPECT_NE(id, ActivityIdFor("62.10.01.2002", 2027, "02.03.01"));
  EXPECT_NE(id, ActivityIdFor("62.10.01.2002", 2026, "02.03.02"));
}

}  // namespace
}  // namespace kawal::field::apbdes
