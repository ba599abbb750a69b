// Summing a report over region shards (tools/report/shard_sum.h),
// on hand-made answers: counters add, percentages are recomputed, a
// shard's rows outside its region (a kabupaten that moved away but whose
// records it still holds) do not count, and province rows of kabupaten
// shards are rolled up from their own kabupaten rows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/shard_sum.h"

namespace kawal::report {
namespace {

using ::testing::HasSubstr;

v1::AreaRow* AddRow(v1::ProgressResponse* response, const std::string& code, int64_t activities,
                    int64_t budget, int64_t progress_rupiah) {
  v1::AreaRow* row = response->add_rows();
  row->set_code(code);
  row->set_name("name of " + code);
  row->mutable_figures()->set_activities(activities);
  row->mutable_figures()->set_budget(budget);
  row->mutable_figures()->set_progress_rupiah(progress_rupiah);
  (*row->mutable_figures()->mutable_budget_by_source())["DDS"] = budget;
  row->mutable_figures()->set_progress_pct(budget > 0 ? 100.0 * progress_rupiah / budget : 0);
  return row;
}

v1::ProgressResponse Report(const std::string& level) {
  v1::ProgressResponse r;
  r.set_region("62");
  r.set_year(2026);
  r.set_level(level);
  v1::AreaRow* total = r.add_totals();
  total->set_code("62");
  total->set_name("Kalimantan Tengah");
  return r;
}

TEST(ReportShardSumTest, OwnRowsAddAndPercentagesAreRecomputed) {
  // Shard 62.10 still holds 62.11's old records (the kabupaten moved away).
  v1::ProgressResponse gm = Report("kabupaten");
  AddRow(&gm, "62.10", 1, 200, 100);
  AddRow(&gm, "62.11", 5, 900, 900);  // stale: 62.11 is shard pp's now
  v1::ProgressResponse pp = Report("kabupaten");
  AddRow(&pp, "62.10", 0, 0, 0);
  AddRow(&pp, "62.11", 1, 100, 20);
  KeepOwnRows("62.10", &gm);
  KeepOwnRows("62.11", &pp);
  absl::StatusOr<v1::ProgressResponse> sum = SumProgress({gm, pp});
  ASSERT_TRUE(sum.ok()) << sum.status();
  ASSERT_EQ(sum->rows_size(), 2);
  EXPECT_EQ(sum->rows(0).code(), "62.10");
  EXPECT_EQ(sum->rows(0).figures().activities(), 1);
  EXPECT_EQ(sum->rows(1).figures().activities(), 1);
  EXPECT_EQ(sum->rows(1).figures().budget(), 100);
  ASSERT_EQ(sum->totals_size(), 1);
  const v1::AreaFigures& total = sum->totals(0).figures();
  EXPECT_EQ(total.activities(), 2);
  EXPECT_EQ(total.budget(), 300);
  EXPECT_EQ(total.budget_by_source().at("DDS"), 300);
  // (100 + 20) / 300, not 50% + 20%.
  EXPECT_DOUBLE_EQ(total.progress_pct(), 40.0);
  EXPECT_EQ(sum->totals(0).name(), "Kalimantan Tengah");
}

TEST(ReportShardSumTest, ProvinceRowsRollUpFromOwnKabupaten) {
  v1::ProgressResponse kabupaten = Report("kabupaten");
  AddRow(&kabupaten, "62.10", 1, 200, 100);
  AddRow(&kabupaten, "62.11", 5, 900, 900);  // stale
  AddRow(&kabupaten, "63.01", 0, 0, 0);
  KeepOwnRows("62.10", &kabupaten);
  v1::ProgressResponse provinces = Report("provinsi");
  AddRow(&provinces, "62", 6, 1100, 1000);  // the shard's own province row counts 62.11 too
  AddRow(&provinces, "63", 0, 0, 0);
  RollUpToProvinces(kabupaten, &provinces);
  EXPECT_EQ(provinces.rows(0).figures().activities(), 1);
  EXPECT_EQ(provinces.rows(0).figures().budget(), 200);
  EXPECT_DOUBLE_EQ(provinces.rows(0).figures().progress_pct(), 50.0);
  EXPECT_EQ(provinces.rows(0).name(), "name of 62");
  EXPECT_EQ(provinces.rows(1).figures().activities(), 0);
}

TEST(ReportShardSumTest, DifferentQuestionsAndBadShardsAreRefused) {
  v1::ProgressResponse a = Report("kabupaten");
  v1::ProgressResponse b = Report("kabupaten");
  b.set_year(2025);
  EXPECT_THAT(std::string(SumProgress({a, b}).status().message()),
              HasSubstr("shards answered different reports"));
  EXPECT_THAT(std::string(ParseShards("62.10.01=h:1").status().message()),
              HasSubstr("below a kabupaten"));
  EXPECT_THAT(std::string(ParseShards("62.10=h:1,62.10=h:2").status().message()),
              HasSubstr("names region 62.10 twice"));
  EXPECT_THAT(std::string(ParseShards("62.10=nohost").status().message()),
              HasSubstr("is not HOST:PORT"));
  absl::StatusOr<std::vector<ShardAddress>> ok = ParseShards("62.11=b:2, 62.10=a:1");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ((*ok)[0].region, "62.10");
  EXPECT_EQ((*ok)[1].server, "b:2");
}

}  // namespace
}  // namespace kawal::report
