// Tests for sync/src/merge.cc: the rules of docs/architecture.md §3, one case each.
#include "kawal/sync/merge.h"

#include <gtest/gtest.h>

namespace kawal::sync {
namespace {

constexpr uint64_t kA = 0xA, kB = 0xB;

Stamp S(int64_t wall, uint64_t node) { return Stamp{wall, 0, node}; }

RecordDelta Write(const std::string& field, Value value, Stamp stamp, Stamp base = {}) {
  RecordDelta d;
  d.collection = "activity";
  d.id = "act-1";
  d.scope = "62.10.01.2001";
  d.changes.push_back(FieldChange{field, std::move(value), stamp, base});
  return d;
}

RecordDelta Delete(Stamp stamp, Stamp seen) {
  RecordDelta d;
  d.collection = "activity";
  d.id = "act-1";
  d.scope = "62.10.01.2001";
  d.tombstone = stamp;
  d.tombstone_base = seen;
  return d;
}

TEST(MergeTest, HigherStampWinsPerField) {
  RecordState s;
  ApplyDelta(s, Write("name", std::string("Jalan"), S(10, kA)), 1);
  ApplyDelta(s, Write("status", std::string("planned"), S(11, kB)), 2);
  ApplyDelta(s, Write("name", std::string("Jalan desa"), S(12, kB), S(10, kA)), 3);
  ApplyDelta(s, Write("name", std::string("stale"), S(9, kA)), 4);
  EXPECT_EQ(std::get<std::string>(*s.Get("name")), "Jalan desa");
  EXPECT_EQ(std::get<std::string>(*s.Get("status")), "planned");
  EXPECT_EQ(s.fields["name"].changed_seq, 3u);
  EXPECT_EQ(s.fields["status"].changed_seq, 2u);
  EXPECT_EQ(s.seq, 3u);
  EXPECT_EQ(s.created_seq, 1u);
}

TEST(MergeTest, ReplayChangesNothing) {
  RecordState s;
  auto d = Write("name", std::string("Jalan"), S(10, kA));
  ApplyDelta(s, d, 1);
  MergeOutcome again = ApplyDelta(s, d, 2);
  EXPECT_FALSE(again.changed());
  EXPECT_TRUE(again.conflicts.empty());
  EXPECT_EQ(s.seq, 1u);
}

TEST(MergeTest, WriteThatSawTheValueIsNoConflict) {
  RecordState s;
  ApplyDelta(s, Write("name", std::string("a"), S(10, kA)), 1);
  auto outcome = ApplyDelta(s, Write("name", std::string("b"), S(20, kB), S(10, kA)), 2);
  EXPECT_TRUE(outcome.conflicts.empty());
}

TEST(MergeTest, ConcurrentWritesConflictInEitherOrderWithSameId) {
  auto base = Write("name", std::string("a"), S(10, kA));
  auto x = Write("name", std::string("x"), S(20, kA), S(10, kA));
  auto y = Write("name", std::string("y"), S(21, kB), S(10, kA));
  RecordState s1, s2;
  ApplyDelta(s1, base, 1);
  ApplyDelta(s2, base, 1);
  auto o1 = ApplyDelta(s1, x, 2);
  auto o1b = ApplyDelta(s1, y, 3);
  auto o2 = ApplyDelta(s2, y, 2);
  auto o2b = ApplyDelta(s2, x, 3);
  ASSERT_TRUE(o1.conflicts.empty());
  ASSERT_EQ(o1b.conflicts.size(), 1u);
  ASSERT_TRUE(o2.conflicts.empty());
  ASSERT_EQ(o2b.conflicts.size(), 1u);
  EXPECT_EQ(o1b.conflicts[0].ConflictId(), o2b.conflicts[0].ConflictId());
  EXPECT_EQ(o1b.conflicts[0].winner, S(21, kB));
  EXPECT_EQ(o1b.conflicts[0].loser, S(20, kA));
  EXPECT_EQ(std::get<std::string>(o1b.conflicts[0].loser_value), "x");
  EXPECT_FALSE(o2b.all_incoming_won);
}

TEST(MergeTest, DeleteHidesRecordAndLaterEditBringsItBack) {
  RecordState s;
  ApplyDelta(s, Write("name", std::string("a"), S(10, kA)), 1);
  EXPECT_TRUE(s.Visible());
  auto del = ApplyDelta(s, Delete(S(20, kA), S(10, kA)), 2);
  EXPECT_FALSE(s.Visible());
  EXPECT_TRUE(del.conflicts.empty());  // the deleter saw everything
  // B edits without having seen the delete: the record returns, whole.
  auto edit = Write("status", std::string("done"), S(30, kB), Stamp{});
  auto outcome = ApplyDelta(s, edit, 3);
  EXPECT_TRUE(s.Visible());
  EXPECT_NE(s.Get("name"), nullptr);
  ASSERT_EQ(outcome.conflicts.size(), 1u);
  EXPECT_EQ(outcome.conflicts[0].field, kDeletedField);
  EXPECT_EQ(outcome.conflicts[0].loser, S(20, kA));
}

TEST(MergeTest, EditThatSawTheDeleteIsNoConflict) {
  RecordState s;
  ApplyDelta(s, Write("name", std::string("a"), S(10, kA)), 1);
  ApplyDelta(s, Delete(S(20, kA), S(10, kA)), 2);
  auto edit = Write("status", std::string("done"), S(30, kB));
  edit.base_tombstone = S(20, kA);
  EXPECT_TRUE(ApplyDelta(s, edit, 3).conflicts.empty());
}

TEST(MergeTest, DeleteOfUnseenEditIsAConflict) {
  RecordState s;
  ApplyDelta(s, Write("name", std::string("a"), S(10, kA)), 1);
  ApplyDelta(s, Write("notes", std::string("b"), S(15, kB), Stamp{}), 2);
  // A deletes having seen only its own write at 10.
  auto outcome = ApplyDelta(s, Delete(S(20, kA), S(10, kA)), 3);
  EXPECT_FALSE(s.Visible());
  ASSERT_EQ(outcome.conflicts.size(), 1u);
  EXPECT_EQ(outcome.conflicts[0].field, "notes");
  EXPECT_EQ(outcome.conflicts[0].loser, S(15, kB));
}

TEST(MergeTest, DeleteOlderThanAnEditLosesWithAConflict) {
  RecordState s;
  ApplyDelta(s, Write("name", std::string("a"), S(10, kA)), 1);
  ApplyDelta(s, Write("name", std::string("b"), S(30, kB), S(10, kA)), 2);
  auto outcome = ApplyDelta(s, Delete(S(20, kA), S(10, kA)), 3);
  EXPECT_TRUE(s.Visible());
  ASSERT_EQ(outcome.conflicts.size(), 1u);
  EXPECT_EQ(outcome.conflicts[0].field, kDeletedField);
  EXPECT_EQ(outcome.conflicts[0].loser, S(20, kA));
}

TEST(MergeTest, EqualStampsBreakTiesByValue) {
  RecordState s1, s2;
  auto x = Write("name", std::string("x"), S(10, kA));
  auto y = Write("name", std::string("y"), S(10, kA));
  ApplyDelta(s1, x, 1);
  ApplyDelta(s1, y, 2);
  ApplyDelta(s2, y, 1);
  ApplyDelta(s2, x, 2);
  EXPECT_EQ(std::get<std::string>(*s1.Get("name")), "y");
  EXPECT_EQ(std::get<std::string>(*s2.Get("name")), "y");
}

TEST(MergeTest, MergeStateTakesServerBookkeepingForSameWrite) {
  RecordState device, server;
  auto d = Write("name", std::string("a"), S(10, kA));
  ApplyDelta(device, d, 0);
  ApplyDelta(server, d, 42);
  MergeOutcome outcome = MergeState(device, server);
  EXPECT_FALSE(outcome.changed());
  EXPECT_EQ(device.fields["name"].changed_seq, 42u);
  EXPECT_EQ(device.seq, 42u);
}

TEST(MergeTest, DeltaFromStateRoundTrips) {
  RecordState s;
  ApplyDelta(s, Write("name", std::string("a"), S(10, kA)), 1);
  ApplyDelta(s, Delete(S(20, kA), S(10, kA)), 2);
  RecordState copy;
  ApplyDelta(copy, DeltaFromState(s), 2);
  EXPECT_EQ(copy.tombstone, s.tombstone);
  EXPECT_EQ(copy.fields.size(), 1u);
  EXPECT_FALSE(copy.Visible());
}

}  // namespace
}  // namespace kawal::sync
