// Unit tests of kawal-report's formatting (kawal_report_format) on synthetic
// ReportService answers: CSV columns and exact numbers, table separators per
// language, a self-contained escaped HTML page, JSON that parses back.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "report/labels.h"
#include "report/report_format.h"
#include "report/svg_chart.h"

namespace kawal::report {
namespace {

void SetFigures(v1::AreaFigures* f, int64_t budget, int64_t spent, int64_t progress_rupiah,
                int planned, int in_progress, int done) {
  (*f->mutable_activities_by_status())["planned"] = planned;
  (*f->mutable_activities_by_status())["in_progress"] = in_progress;
  (*f->mutable_activities_by_status())["done"] = done;
  f->set_activities(planned + in_progress + done);
  f->set_budget(budget);
  f->set_spent(spent);
  f->set_progress_rupiah(progress_rupiah);
  f->set_progress_pct(budget > 0 ? 100.0 * progress_rupiah / budget : 0);
  f->set_absorption_pct(budget > 0 ? 100.0 * spent / budget : 0);
}

// Gunung Mas per kecamatan: Kurun with known figures, a second kecamatan
// whose name needs escaping and quoting, and the total.
v1::ProgressResponse Synthetic() {
  v1::ProgressResponse r;
  r.set_region("62.10");
  r.set_region_name("Gunung Mas");
  r.set_year(2026);
  r.set_level("kecamatan");
  r.set_generated_at_ms(1'780'000'000'000);

  v1::AreaRow* kurun = r.add_rows();
  kurun->set_code("62.10.01");
  kurun->set_name("Kurun");
  v1::AreaFigures* f = kurun->mutable_figures();
  SetFigures(f, 1'234'567'000, 561'728'000, 617'283'500, 2, 1, 1);  // 45.5%, 50%
  (*f->mutable_budget_by_source())["DDS"] = 1'000'000'000;
  (*f->mutable_budget_by_source())["ADD"] = 234'567'000;
  (*f->mutable_spent_by_source())["DDS"] = 561'728'000;
  (*f->mutable_activities_by_focus())["food_security"] = 2;
  (*f->mutable_budget_by_focus())["food_security"] = 250'000'000;
  (*f->mutable_activities_by_focus())["padat_karya"] = 1;
  f->set_reports(7);
  f->set_workers(25);
  f->set_person_days_x100(12'550);  // 125.5 HOK
  f->set_wages(15'060'000);
  f->set_activities_with_photo_0(3);
  f->set_activities_with_photo_50(2);
  f->set_activities_with_photo_100(1);

  v1::AreaRow* other = r.add_rows();
  other->set_code("62.10.02");
  other->set_name("Tewah <script>alert(\"x\")</script>, Hulu");
  SetFigures(other->mutable_figures(), 300'000'000, 100'000'000, 90'000'000, 0, 1, 0);

  v1::AreaRow* total = r.add_totals();
  total->set_code("62.10");
  total->set_name("Gunung Mas");
  SetFigures(total->mutable_figures(), 1'534'567'000, 661'728'000, 707'283'500, 2, 2, 1);
  return r;
}

v1::ProgressResponse SyntheticBySdg() {
  v1::ProgressResponse r = Synthetic();
  r.set_by("sdg");
  r.clear_rows();
  r.clear_totals();
  for (int goal : {1, 9}) {
    v1::AreaRow* row = r.add_totals();
    row->set_code("62.10");
    row->set_key(std::to_string(goal));
    row->set_key_label(goal == 1 ? "Desa Tanpa Kemiskinan" : "Infrastruktur");
    SetFigures(row->mutable_figures(), goal * 100'000'000, goal * 40'000'000, 0, 1, 0, 0);
  }
  return r;
}

// RFC 4180 records (CRLF-separated, quoted fields may hold anything).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    std::string& field = records.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      records.emplace_back(1);
    } else {
      field.push_back(c);
    }
  }
  if (records.back().size() == 1 && records.back()[0].empty()) records.pop_back();
  return records;
}

std::string Cell(const std::vector<std::string>& header, const std::vector<std::string>& row,
                 const std::string& column) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) return i < row.size() ? row[i] : "<short row>";
  }
  return "<no column " + column + ">";
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(ReportCsvTest, HeaderIsStableSnakeCaseWithCodeAndNameFirst) {
  const std::vector<std::string> columns = ProgressCsvColumns(false);
  ASSERT_GE(columns.size(), 40u);
  EXPECT_EQ(columns[0], "code");
  EXPECT_EQ(columns[1], "name");
  EXPECT_EQ(columns[2], "activities");
  for (const char* expected :
       {"planned", "in_progress", "done", "cancelled", "stalled", "budget", "spent",
        "absorption_pct", "progress_pct", "budget_DDS", "budget_ADD", "budget_PBH", "budget_PBP",
        "budget_PBK", "budget_PAD", "budget_DLL", "spent_DDS", "spent_DLL", "reports", "workers",
        "person_days", "wages", "food_security_activities", "blt_activities",
        "stunting_activities", "padat_karya_activities", "food_security_budget", "blt_budget"}) {
    EXPECT_NE(std::find(columns.begin(), columns.end(), expected), columns.end()) << expected;
  }
  const std::vector<std::string> keyed = ProgressCsvColumns(true);
  EXPECT_EQ(keyed[2], "key");
  EXPECT_EQ(keyed[3], "key_label");
  EXPECT_EQ(keyed.size(), columns.size() + 2);
}

TEST(ReportCsvTest, RowsCarryExactUnformattedNumbers) {
  const std::string csv = ProgressCsv(Synthetic());
  auto records = ParseCsv(csv);
  ASSERT_EQ(records.size(), 3u) << "header and one row per area, no total row:\n" << csv;
  const auto& header = records[0];
  EXPECT_EQ(header, ProgressCsvColumns(false));
  const auto& kurun = records[1];
  ASSERT_EQ(kurun.size(), header.size());
  EXPECT_EQ(kurun[0], "62.10.01");
  EXPECT_EQ(kurun[1], "Kurun");
  EXPECT_EQ(Cell(header, kurun, "activities"), "4");
  EXPECT_EQ(Cell(header, kurun, "planned"), "2");
  EXPECT_EQ(Cell(header, kurun, "stalled"), "0");
  EXPECT_EQ(Cell(header, kurun, "budget"), "1234567000");
  EXPECT_EQ(Cell(header, kurun, "spent"), "561728000");
  EXPECT_EQ(Cell(header, kurun, "absorption_pct"), "45.5");
  EXPECT_EQ(Cell(header, kurun, "progress_pct"), "50");
  EXPECT_EQ(Cell(header, kurun, "budget_DDS"), "1000000000");
  EXPECT_EQ(Cell(header, kurun, "budget_ADD"), "234567000");
  EXPECT_EQ(Cell(header, kurun, "budget_PBK"), "0");
  EXPECT_EQ(Cell(header, kurun, "spent_DDS"), "561728000");
  EXPECT_EQ(Cell(header, kurun, "person_days"), "125.5");
  EXPECT_EQ(Cell(header, kurun, "wages"), "15060000");
  EXPECT_EQ(Cell(header, kurun, "food_security_activities"), "2");
  EXPECT_EQ(Cell(header, kurun, "food_security_budget"), "250000000");
  EXPECT_EQ(Cell(header, kurun, "activities_with_photo_100"), "1");
  // The name with a comma and quotes is quoted, and survives the round trip.
  EXPECT_EQ(records[2][1], "Tewah <script>alert(\"x\")</script>, Hulu");
  EXPECT_TRUE(absl::StrContains(csv, "\"Tewah <script>alert(\"\"x\"\")</script>, Hulu\""));
  EXPECT_EQ(Cell(header, records[2], "absorption_pct"), "33.33");
  EXPECT_TRUE(absl::StartsWith(csv, "code,name,activities,"));
  EXPECT_TRUE(absl::EndsWith(csv, "\r\n"));
}

TEST(ReportCsvTest, BreakdownAddsKeyAndLabelColumns) {
  auto records = ParseCsv(ProgressCsv(SyntheticBySdg()));
  ASSERT_EQ(records.size(), 1u);  // no rows in the synthetic by-sdg answer
  v1::ProgressResponse r = SyntheticBySdg();
  *r.add_rows() = r.totals(1);
  records = ParseCsv(ProgressCsv(r));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1][0], "62.10");
  EXPECT_EQ(records[1][2], "9");
  EXPECT_EQ(records[1][3], "Infrastruktur");
  EXPECT_EQ(Cell(records[0], records[1], "budget"), "900000000");
}

TEST(ReportCsvTest, FieldsAndPercentages) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvPercent(45.5), "45.5");
  EXPECT_EQ(CsvPercent(100.0 / 3), "33.33");
  EXPECT_EQ(CsvPercent(100), "100");
  EXPECT_EQ(CsvPercent(0), "0");
  EXPECT_EQ(CsvPercent(12.345678), "12.35");
}

TEST(ReportTableTest, IndonesianUsesDotsForThousandsAndCommaForDecimals) {
  const std::string table = ProgressTable(Synthetic(), Lang::kId);
  EXPECT_TRUE(absl::StrContains(table, "Rp 1.234.567.000")) << table;
  EXPECT_TRUE(absl::StrContains(table, "Rp 561.728.000"));
  EXPECT_TRUE(absl::StrContains(table, "45,5%"));
  EXPECT_TRUE(absl::StrContains(table, "Anggaran"));
  EXPECT_TRUE(absl::StrContains(table, "Realisasi"));
  EXPECT_TRUE(absl::StrContains(table, "JUMLAH"));
  EXPECT_TRUE(absl::StrContains(table, "Rp 1.534.567.000")) << "the total row";
  EXPECT_FALSE(absl::StrContains(table, "1,234,567"));
}

TEST(ReportTableTest, EnglishUsesCommasForThousands) {
  const std::string table = ProgressTable(Synthetic(), Lang::kEn);
  EXPECT_TRUE(absl::StrContains(table, "Rp 1,234,567,000")) << table;
  EXPECT_TRUE(absl::StrContains(table, "45.5%"));
  EXPECT_TRUE(absl::StrContains(table, "Budget"));
  EXPECT_TRUE(absl::StrContains(table, "TOTAL"));
  EXPECT_FALSE(absl::StrContains(table, "1.234.567"));
}

TEST(ReportTableTest, ColumnsAreAligned) {
  const std::string table = ProgressTable(Synthetic(), Lang::kId);
  std::vector<std::string> lines = absl::StrSplit(table, '\n');
  // After the title, subtitle and a blank line: header, rule, 2 rows, rule,
  // total; the last column is right-aligned, so all end at the same place.
  ASSERT_GE(lines.size(), 9u) << table;
  const size_t width = DisplayWidth(lines[3]);
  for (size_t i = 3; i < 9; ++i) EXPECT_EQ(DisplayWidth(lines[i]), width) << lines[i];
}

TEST(ReportNumbersTest, RupiahAndPercent) {
  EXPECT_EQ(FormatRupiah(1234567, Lang::kId), "Rp 1.234.567");
  EXPECT_EQ(FormatRupiah(1234567, Lang::kEn), "Rp 1,234,567");
  EXPECT_EQ(FormatRupiah(0, Lang::kId), "Rp 0");
  EXPECT_EQ(FormatRupiah(999, Lang::kId), "Rp 999");
  EXPECT_EQ(FormatRupiah(-1000, Lang::kEn), "-Rp 1,000");
  EXPECT_EQ(FormatPercent(45.54, Lang::kId), "45,5%");
  EXPECT_EQ(FormatPercent(100, Lang::kEn), "100.0%");
  EXPECT_EQ(FormatDecimal(12345.5, 2, Lang::kId), "12.345,5");
  EXPECT_EQ(FormatRupiahShort(1'500'000'000, Lang::kId), "Rp 1,5 M");
  EXPECT_EQ(FormatRupiahShort(150'000'000, Lang::kId), "Rp 150 jt");
  EXPECT_EQ(FormatRupiahShort(1'500'000'000, Lang::kEn), "Rp 1.5B");
}

TEST(ReportLabelsTest, BreakdownLabelsInBothLanguages) {
  EXPECT_EQ(KeyLabel("sdg", "6", "", Lang::kId), "Desa Layak Air Bersih dan Sanitasi");
  EXPECT_EQ(KeyLabel("sector", "2", "", Lang::kId), "Pelaksanaan Pembangunan Desa");
  EXPECT_EQ(KeyLabel("sector", "2", "", Lang::kEn), "Village development");
  EXPECT_EQ(KeyLabel("source", "DDS", "", Lang::kId), "Dana Desa");
  EXPECT_EQ(KeyLabel("focus", "food_security", "", Lang::kId), "Ketahanan pangan");
  EXPECT_EQ(KeyLabel("sdg", "99", "Lainnya", Lang::kId), "Lainnya");
}

TEST(ReportHtmlTest, SelfContainedWithChartsAndEscapedText) {
  const std::string html = ProgressHtml(Synthetic(), SyntheticBySdg(), Lang::kId);
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(absl::StrContains(html, "<meta name=\"viewport\""));
  EXPECT_TRUE(absl::StrContains(html, "<html lang=\"id\">"));
  EXPECT_GE(Count(html, "<svg"), 3u);
  for (const char* external : {"http://", "https://", "src=", "<link", "@import", "url("}) {
    EXPECT_FALSE(absl::StrContains(html, external)) << external;
  }
  EXPECT_FALSE(absl::StrContains(html, "<script")) << "the name must be escaped";
  EXPECT_TRUE(absl::StrContains(html, "Tewah &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
  EXPECT_TRUE(absl::StrContains(html, "Realisasi vs anggaran"));
  EXPECT_TRUE(absl::StrContains(html, "Belanja per tujuan SDGs Desa"));
  EXPECT_TRUE(absl::StrContains(html, "Infrastruktur dan Inovasi Desa sesuai Kebutuhan"));
  EXPECT_TRUE(absl::StrContains(html, "Rp 1.234.567.000"));
  EXPECT_TRUE(absl::StrContains(html, "overflow-x:auto")) << "tables scroll sideways";
}

TEST(ReportHtmlTest, EnglishLabels) {
  const std::string html = ProgressHtml(Synthetic(), SyntheticBySdg(), Lang::kEn);
  EXPECT_TRUE(absl::StrContains(html, "<html lang=\"en\">"));
  EXPECT_TRUE(absl::StrContains(html, "Spending vs budget"));
  EXPECT_TRUE(absl::StrContains(html, "Spending per SDGs Desa goal"));
  EXPECT_TRUE(absl::StrContains(html, "Rp 1,234,567,000"));
}

TEST(ReportHtmlTest, BarsAreProportional) {
  BarChart chart;
  chart.series = {{"a", "#000000"}};
  chart.max_value = 100;
  chart.items = {{"full", {100}, {}}, {"half", {50}, {}}, {"over", {250}, {}}};
  const std::string svg = RenderBarChart(chart);
  EXPECT_TRUE(absl::StrContains(svg, "width=\"384.0\""));  // the whole plot width
  EXPECT_TRUE(absl::StrContains(svg, "width=\"192.0\""));
  EXPECT_EQ(Count(svg, "width=\"384.0\""), 2u) << "values above the axis are clipped";
  EXPECT_EQ(NiceTicks(137), (std::vector<double>{0, 50, 100, 150}));
  EXPECT_EQ(NiceTicks(1'000'000'000), (std::vector<double>{0, 250e6, 500e6, 750e6, 1e9}));
}

TEST(ReportHtmlTest, ValueLabelsInsideBarsCanDoWithoutInlineStyles) {
  BarChart chart;
  chart.series = {{"a", "#1565c0"}};
  chart.max_value = 100;
  chart.items = {{"full", {100}, {"a long label that cannot fit after the bar"}}};
  const std::string styled = RenderBarChart(chart);
  EXPECT_TRUE(absl::StrContains(styled, "class=\"value\" style=\"fill:#fff")) << styled;
  chart.no_inline_style = true;  // kawal-web's CSP forbids inline styles
  const std::string plain = RenderBarChart(chart);
  EXPECT_FALSE(absl::StrContains(plain, "style=")) << plain;
  EXPECT_TRUE(absl::StrContains(plain, "class=\"value\" fill=\"#fff")) << plain;
}

TEST(ReportHtmlTest, RowsPerAreaFoldsABreakdown) {
  v1::ProgressResponse r = Synthetic();
  r.set_by("source");
  r.mutable_rows(1)->set_code("62.10.01");  // two keys of one area
  r.mutable_rows(0)->set_key("DDS");
  r.mutable_rows(1)->set_key("ADD");
  std::vector<v1::AreaRow> areas = RowsPerArea(r);
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].figures().budget(), 1'534'567'000);
  EXPECT_EQ(areas[0].figures().spent(), 661'728'000);
  EXPECT_NEAR(areas[0].figures().progress_pct(), 100.0 * 707'283'500 / 1'534'567'000, 1e-9);
}

TEST(ReportJsonTest, ParsesBackToTheSameMessage) {
  const v1::ProgressResponse original = Synthetic();
  const std::string json = ProgressJson(original);
  EXPECT_TRUE(absl::StrContains(json, "\"region_name\"")) << "proto field names";
  EXPECT_TRUE(absl::StrContains(json, "\"1234567000\"")) << "numbers unformatted";
  v1::ProgressResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(original, parsed));
}

v1::FreshnessResponse SyntheticFreshness() {
  v1::FreshnessResponse r;
  r.set_region("62.10");
  r.set_now_ms(1'780'000'000'000);
  v1::VillageFreshness* never = r.add_villages();
  never->set_code("62.10.01.2001");
  never->set_name("Tumbang <Anoi>");
  never->set_kecamatan("Damang Batu");
  never->set_silent_days(-1);
  v1::VillageFreshness* old = r.add_villages();
  old->set_code("62.10.01.2002");
  old->set_name("Kuala Kurun");
  old->set_kecamatan("Kurun");
  old->set_last_sync_ms(1'780'000'000'000 - 40LL * 86'400'000);
  old->set_last_user("ani");
  old->set_silent_days(40);
  v1::FacilitatorFreshness* ani = r.add_facilitators();
  ani->set_user("ani");
  ani->add_scopes("62.10.01.2002");
  ani->set_last_sync_ms(old->last_sync_ms());
  ani->set_last_device("a1");
  ani->set_silent_days(40);
  return r;
}

TEST(ReportFreshnessTest, AllFormats) {
  const v1::FreshnessResponse r = SyntheticFreshness();
  auto csv = ParseCsv(FreshnessCsv(r));
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_EQ(csv[0], FreshnessCsvColumns());
  EXPECT_EQ(csv[1][0], "62.10.01.2001");
  EXPECT_EQ(Cell(csv[0], csv[1], "never_synced"), "1");
  EXPECT_EQ(Cell(csv[0], csv[1], "last_sync_utc"), "");
  EXPECT_EQ(Cell(csv[0], csv[2], "silent_days"), "40");

  const std::string table = FreshnessTable(r, 30, Lang::kId);
  EXPECT_TRUE(absl::StrContains(table, "belum pernah")) << table;
  EXPECT_TRUE(absl::StrContains(table, "lebih dari 30 hari"));
  EXPECT_TRUE(absl::StrContains(FreshnessTable(r, 30, Lang::kEn), "never"));

  const std::string html = FreshnessHtml(r, 30, Lang::kId);
  EXPECT_TRUE(absl::StrContains(html, "<tr class=\"never\"><td>62.10.01.2001</td>"));
  EXPECT_TRUE(absl::StrContains(html, "Tumbang &lt;Anoi&gt;"));
  EXPECT_FALSE(absl::StrContains(html, "http://"));
  EXPECT_TRUE(absl::StrContains(html, "tr.never td{background:#fde2e2;color:#b00020"));

  v1::FreshnessResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(FreshnessJson(r), &parsed).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(r, parsed));
}

}  // namespace
}  // namespace kawal::report
