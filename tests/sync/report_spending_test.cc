// Tests sync/src/report_spending.cc: a report's `spent` is cumulative per
// source; the newest report by visit date (ties: the later write) sets the
// activity's spent; a lower cumulative amount needs a note.
#include "kawal/sync/report_spending.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kawal/sync/reject.h"

namespace kawal::sync {
namespace {

using ::testing::HasSubstr;

ReportSpending Report(const std::string& id, const std::string& date, int64_t wall_ms,
                      AmountMap spent, bool note = false) {
  ReportSpending r;
  r.id = id;
  r.visit_date = date;
  r.written = Stamp{wall_ms, 0, 7};
  r.spent = std::move(spent);
  r.has_note = note;
  return r;
}

TEST(ReportSpendingTest, OrderIsVisitDateThenWriteStampWithUnwrittenLast) {
  ReportSpending march = Report("a", "2026-03-01", 900, {});
  ReportSpending april = Report("b", "2026-04-01", 100, {});
  ReportSpending april_later_write = Report("c", "2026-04-01", 200, {});
  ReportSpending april_new = Report("d", "2026-04-01", 0, {});
  april_new.written = Stamp{};
  EXPECT_TRUE(ReportedBefore(march, april));
  EXPECT_FALSE(ReportedBefore(april, march));
  EXPECT_TRUE(ReportedBefore(april, april_later_write));
  EXPECT_TRUE(ReportedBefore(april_later_write, april_new));
  EXPECT_FALSE(ReportedBefore(april_new, april));
}

TEST(ReportSpendingTest, HigherOrEqualCumulativeSpendingIsAccepted) {
  std::vector<ReportSpending> earlier = {Report("a", "2026-03-01", 1, {{"DDS", 50000000}})};
  EXPECT_TRUE(CheckCumulativeSpending(Report("b", "2026-04-01", 2, {{"DDS", 50000000}}), earlier)
                  .ok());
  EXPECT_TRUE(CheckCumulativeSpending(Report("b", "2026-04-01", 2, {{"DDS", 80000000}}), earlier)
                  .ok());
  // Another source, or no spending at all, compares with nothing.
  EXPECT_TRUE(CheckCumulativeSpending(Report("b", "2026-04-01", 2, {{"ADD", 1}}), earlier).ok());
  EXPECT_TRUE(CheckCumulativeSpending(Report("b", "2026-04-01", 2, {}), earlier).ok());
}

TEST(ReportSpendingTest, LowerCumulativeSpendingNeedsANoteAndTheRefusalNamesTheEarlierAmount) {
  std::vector<ReportSpending> others = {Report("a", "2026-03-01", 1, {{"DDS", 50000000}})};
  absl::Status refused =
      CheckCumulativeSpending(Report("b", "2026-04-01", 2, {{"DDS", 30000000}}), others);
  EXPECT_EQ(RejectCodeOf(refused), RejectCode::kInvalidField);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("DDS Rp 30.000.000"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("Rp 50.000.000"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("2026-03-01"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("note"));
  EXPECT_TRUE(
      CheckCumulativeSpending(Report("b", "2026-04-01", 2, {{"DDS", 30000000}}, true), others)
          .ok());
}

TEST(ReportSpendingTest, ComparesWithTheNewestEarlierReportNamingTheSource) {
  // March 50 jt, then a correction in April to 30 jt: May's 40 jt compares
  // with the correction, not with March.
  std::vector<ReportSpending> others = {
      Report("a", "2026-03-01", 1, {{"DDS", 50000000}}),
      Report("b", "2026-04-01", 2, {{"DDS", 30000000}}, true),
      Report("c", "2026-04-15", 3, {{"ADD", 5}}),           // another source only
      Report("z", "2026-06-01", 4, {{"DDS", 10}}),          // dated later: ignored
  };
  EXPECT_TRUE(CheckCumulativeSpending(Report("n", "2026-05-01", 5, {{"DDS", 40000000}}), others)
                  .ok());
  EXPECT_FALSE(CheckCumulativeSpending(Report("n", "2026-05-01", 5, {{"DDS", 20000000}}), others)
                   .ok());
  // The same date as an earlier report: the later write is the newer one.
  EXPECT_FALSE(CheckCumulativeSpending(Report("n", "2026-04-01", 0, {{"DDS", 20000000}}), others)
                   .ok());
}

TEST(ReportSpendingTest, NewestReportSetsTheSourcesItNames) {
  const AmountMap current = {{"DDS", 10}, {"ADD", 20}};
  std::vector<ReportSpending> others = {Report("later", "2026-06-01", 9, {{"ADD", 70}})};
  // Newest for DDS, not for ADD (a later report names ADD).
  EXPECT_EQ(SpentAfterReport(current, Report("n", "2026-05-01", 5, {{"DDS", 40}, {"ADD", 30}}),
                             others),
            (AmountMap{{"DDS", 40}, {"ADD", 20}}));
  // A source it does not name keeps its amount.
  EXPECT_EQ(SpentAfterReport(current, Report("n", "2026-07-01", 10, {{"PAD", 5}}), others),
            (AmountMap{{"DDS", 10}, {"ADD", 20}, {"PAD", 5}}));
}

TEST(ReportSpendingTest, ReadsRecordsAndDeltas) {
  RecordDelta delta;
  delta.collection = "progress_report";
  delta.id = "r1";
  const Stamp stamp{1000, 1, 5};
  delta.changes = {{"visit_date", std::string("2026-04-01"), stamp, {}},
                   {"spent", AmountMap{{"DDS", 5}}, stamp, {}},
                   {"notes", std::string("  "), stamp, {}}};
  ReportSpending from_delta = ReportSpendingOf(delta);
  EXPECT_EQ(from_delta.visit_date, "2026-04-01");
  EXPECT_EQ(from_delta.spent, (AmountMap{{"DDS", 5}}));
  EXPECT_FALSE(from_delta.has_note) << "white space is no note";
  EXPECT_EQ(from_delta.written, stamp);

  RecordState state;
  state.collection = "progress_report";
  state.id = "r1";
  state.fields["visit_date"] = {std::string("2026-04-01"), stamp, {}, 0};
  state.fields["notes"] = {std::string("koreksi"), stamp, {}, 0};
  ReportSpending from_state = ReportSpendingOf(state);
  EXPECT_TRUE(from_state.has_note);
  EXPECT_TRUE(from_state.spent.empty());
  EXPECT_EQ(from_state.written, stamp);
}

}  // namespace
}  // namespace kawal::sync
