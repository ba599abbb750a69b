// Tests for sync/src/merge.cc: the merge rules of docs/architecture.md §3, one
// case each (conflict detection: tests/server/conflict_detector_test.cc).
#include "kawal/sync/merge.h"

#include <gtest/gtest.h>

#include "merge_history.h"

namespace kawal::sync {
namespace {

using kawal::testing::FieldWrite;
using kawal::testing::RecordDelete;

constexpr uint64_t kA = 0xA, kB = 0xB;

Stamp S(int64_t wall, uint64_t node) { return Stamp{wall, 0, node}; }

TEST(MergeTest, HigherStampWinsPerField) {
  RecordState s;
  ApplyDelta(s, FieldWrite("name", std::string("Jalan"), S(10, kA)), 1);
  ApplyDelta(s, FieldWrite("status", std::string("planned"), S(11, kB)), 2);
  ApplyDelta(s, FieldWrite("name", std::string("Jalan desa"), S(12, kB), S(10, kA)), 3);
  ApplyDelta(s, FieldWrite("name", std::string("stale"), S(9, kA)), 4);
  EXPECT_EQ(std::get<std::string>(*s.Get("name")), "Jalan desa");
  EXPECT_EQ(std::get<std::string>(*s.Get("status")), "planned");
  EXPECT_EQ(s.fields["name"].changed_seq, 3u);
  EXPECT_EQ(s.fields["status"].changed_seq, 2u);
  EXPECT_EQ(s.seq, 3u);
  EXPECT_EQ(s.created_seq, 1u);
}

TEST(MergeTest, ReplayChangesNothing) {
  RecordState s;
  auto d = FieldWrite("name", std::string("Jalan"), S(10, kA));
  ApplyDelta(s, d, 1);
  MergeOutcome again = ApplyDelta(s, d, 2);
  EXPECT_FALSE(again.changed());
  ASSERT_EQ(again.change_results.size(), 1u);
  EXPECT_EQ(again.change_results[0].fate, ChangeFate::kReplay);
  EXPECT_EQ(s.seq, 1u);
}







TEST(MergeTest, OutcomeSaysWhatEachChangeMet) {
  RecordState s;
  ApplyDelta(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  RecordDelta d = FieldWrite("name", std::string("b"), S(20, kB), S(10, kA));
  d.changes.push_back(FieldChange{"notes", std::string("n"), S(20, kB), Stamp{}});
  MergeOutcome won = ApplyDelta(s, d, 2);
  ASSERT_EQ(won.change_results.size(), 2u);
  EXPECT_EQ(won.change_results[0].fate, ChangeFate::kWon);
  EXPECT_EQ(won.change_results[0].displaced.stamp, S(10, kA));
  EXPECT_EQ(std::get<std::string>(won.change_results[0].displaced.value), "a");
  EXPECT_EQ(won.change_results[1].fate, ChangeFate::kNewField);
  EXPECT_TRUE(won.had_fields);
  MergeOutcome lost = ApplyDelta(s, FieldWrite("name", std::string("old"), S(15, kA)), 3);
  EXPECT_EQ(lost.change_results[0].fate, ChangeFate::kLost);
  EXPECT_FALSE(lost.all_incoming_won);
  EXPECT_EQ(std::get<std::string>(*s.Get("name")), "b");
}

TEST(MergeTest, EqualStampsBreakTiesByValue) {
  RecordState s1, s2;
  auto x = FieldWrite("name", std::string("x"), S(10, kA));
  auto y = FieldWrite("name", std::string("y"), S(10, kA));
  ApplyDelta(s1, x, 1);
  ApplyDelta(s1, y, 2);
  ApplyDelta(s2, y, 1);
  ApplyDelta(s2, x, 2);
  EXPECT_EQ(std::get<std::string>(*s1.Get("name")), "y");
  EXPECT_EQ(std::get<std::string>(*s2.Get("name")), "y");
}

TEST(MergeTest, MergeStateTakesServerBookkeepingForSameWrite) {
  RecordState device, server;
  auto d = FieldWrite("name", std::string("a"), S(10, kA));
  ApplyDelta(device, d, 0);
  ApplyDelta(server, d, 42);
  MergeOutcome outcome = MergeState(device, server);
  EXPECT_FALSE(outcome.changed());
  EXPECT_EQ(device.fields["name"].changed_seq, 42u);
  EXPECT_EQ(device.seq, 42u);
}

TEST(MergeTest, DeltaFromStateRoundTrips) {
  RecordState s;
  ApplyDelta(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  ApplyDelta(s, RecordDelete(S(20, kA), S(10, kA)), 2);
  RecordState copy;
  ApplyDelta(copy, DeltaFromState(s), 2);
  EXPECT_EQ(copy.tombstone, s.tombstone);
  EXPECT_EQ(copy.fields.size(), 1u);
  EXPECT_FALSE(copy.Visible());
}

}  // namespace
}  // namespace kawal::sync
