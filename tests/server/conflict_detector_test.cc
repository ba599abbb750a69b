// Tests for server/engine/conflict_detector.cc: which meetings of writes
// the server records as conflicts (docs/architecture.md §3), one case each.
#include "engine/conflict_detector.h"

#include <gtest/gtest.h>

#include "merge_history.h"

namespace kawal::server {
namespace {

using sync::FieldChange;
using sync::kDeletedField;
using sync::RecordDelta;
using sync::Stamp;
using sync::Value;

using kawal::testing::FieldWrite;
using kawal::testing::RecordDelete;

constexpr uint64_t kA = 0xA, kB = 0xB;

Stamp S(int64_t wall, uint64_t node) { return Stamp{wall, 0, node}; }

TEST(ConflictDetectorTest, WriteThatSawTheValueIsNoConflict) {
  StoredRecord s;
  MergeIntoStored(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  auto outcome = MergeIntoStored(s, FieldWrite("name", std::string("b"), S(20, kB), S(10, kA)), 2);
  EXPECT_TRUE(outcome.conflicts.empty());
}

TEST(ConflictDetectorTest, ConcurrentWritesConflictInEitherOrderWithSameId) {
  auto base = FieldWrite("name", std::string("a"), S(10, kA));
  auto x = FieldWrite("name", std::string("x"), S(20, kA), S(10, kA));
  auto y = FieldWrite("name", std::string("y"), S(21, kB), S(10, kA));
  StoredRecord s1, s2;
  MergeIntoStored(s1, base, 1);
  MergeIntoStored(s2, base, 1);
  auto o1 = MergeIntoStored(s1, x, 2);
  auto o1b = MergeIntoStored(s1, y, 3);
  auto o2 = MergeIntoStored(s2, y, 2);
  auto o2b = MergeIntoStored(s2, x, 3);
  ASSERT_TRUE(o1.conflicts.empty());
  ASSERT_EQ(o1b.conflicts.size(), 1u);
  ASSERT_TRUE(o2.conflicts.empty());
  ASSERT_EQ(o2b.conflicts.size(), 1u);
  EXPECT_EQ(o1b.conflicts[0].ConflictId(), o2b.conflicts[0].ConflictId());
  EXPECT_EQ(o1b.conflicts[0].winner, S(21, kB));
  EXPECT_EQ(o1b.conflicts[0].loser, S(20, kA));
  EXPECT_EQ(std::get<std::string>(o1b.conflicts[0].loser_value), "x");
  EXPECT_FALSE(o2b.outcome.all_incoming_won);
}

TEST(ConflictDetectorTest, DeleteHidesRecordAndLaterEditBringsItBack) {
  StoredRecord s;
  MergeIntoStored(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  EXPECT_TRUE(s.state.Visible());
  auto del = MergeIntoStored(s, RecordDelete(S(20, kA), S(10, kA)), 2);
  EXPECT_FALSE(s.state.Visible());
  EXPECT_TRUE(del.conflicts.empty());  // the deleter saw everything
  // B edits without having seen the delete: the record returns, whole.
  auto edit = FieldWrite("status", std::string("done"), S(30, kB), Stamp{});
  auto outcome = MergeIntoStored(s, edit, 3);
  EXPECT_TRUE(s.state.Visible());
  EXPECT_NE(s.state.Get("name"), nullptr);
  ASSERT_EQ(outcome.conflicts.size(), 1u);
  EXPECT_EQ(outcome.conflicts[0].field, kDeletedField);
  EXPECT_EQ(outcome.conflicts[0].loser, S(20, kA));
}

TEST(ConflictDetectorTest, EditThatSawTheDeleteIsNoConflict) {
  StoredRecord s;
  MergeIntoStored(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  MergeIntoStored(s, RecordDelete(S(20, kA), S(10, kA)), 2);
  auto edit = FieldWrite("status", std::string("done"), S(30, kB));
  edit.base_tombstone = S(20, kA);
  EXPECT_TRUE(MergeIntoStored(s, edit, 3).conflicts.empty());
}

TEST(ConflictDetectorTest, DeleteOfUnseenEditIsAConflict) {
  StoredRecord s;
  MergeIntoStored(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  MergeIntoStored(s, FieldWrite("notes", std::string("b"), S(15, kB), Stamp{}), 2);
  // A deletes having seen only its own write at 10.
  auto outcome = MergeIntoStored(s, RecordDelete(S(20, kA), S(10, kA)), 3);
  EXPECT_FALSE(s.state.Visible());
  ASSERT_EQ(outcome.conflicts.size(), 1u);
  EXPECT_EQ(outcome.conflicts[0].field, "notes");
  EXPECT_EQ(outcome.conflicts[0].loser, S(15, kB));
}

TEST(ConflictDetectorTest, DeleteOlderThanAnEditLosesWithAConflict) {
  StoredRecord s;
  MergeIntoStored(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  MergeIntoStored(s, FieldWrite("name", std::string("b"), S(30, kB), S(10, kA)), 2);
  auto outcome = MergeIntoStored(s, RecordDelete(S(20, kA), S(10, kA)), 3);
  EXPECT_TRUE(s.state.Visible());
  ASSERT_EQ(outcome.conflicts.size(), 1u);
  EXPECT_EQ(outcome.conflicts[0].field, kDeletedField);
  EXPECT_EQ(outcome.conflicts[0].loser, S(20, kA));
}

TEST(ConflictDetectorTest, ReplayOfASupersededWriteIsNoNewConflict) {
  // A writes x@20 and then, having seen it, y@30; B, who saw only a@10,
  // writes z@40, which displaces y (reported). Replaying A's superseded x
  // later meets z, which never saw x -- but the chain z displaced had (y's
  // base is x), so x's loss is no new conflict.
  StoredRecord s;
  MergeIntoStored(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  const RecordDelta x = FieldWrite("name", std::string("x"), S(20, kA), S(10, kA));
  EXPECT_TRUE(MergeIntoStored(s, x, 2).conflicts.empty());
  EXPECT_TRUE(MergeIntoStored(s, FieldWrite("name", std::string("y"), S(30, kA), S(20, kA)), 3)
                  .conflicts.empty());
  EXPECT_EQ(s.DisplacedBase("name"), S(10, kA));
  StoredMerge z = MergeIntoStored(s, FieldWrite("name", std::string("z"), S(40, kB), S(10, kA)), 4);
  ASSERT_EQ(z.conflicts.size(), 1u);
  EXPECT_EQ(z.conflicts[0].loser, S(30, kA));
  EXPECT_EQ(s.DisplacedBase("name"), S(20, kA));
  StoredMerge replay = MergeIntoStored(s, x, 5);
  EXPECT_FALSE(replay.outcome.changed());
  EXPECT_TRUE(replay.conflicts.empty());
  // A write that no chain saw still is one.
  StoredMerge unseen = MergeIntoStored(s, FieldWrite("name", std::string("w"), S(25, kB), S(10, kA)), 6);
  ASSERT_EQ(unseen.conflicts.size(), 1u);
  EXPECT_EQ(unseen.conflicts[0].loser, S(25, kB));
}

TEST(ConflictDetectorTest, AChangeClearsTheEchoAndANewFieldHasNoDisplacedBase) {
  StoredRecord s;
  MergeIntoStored(s, FieldWrite("name", std::string("a"), S(10, kA)), 1);
  s.echo_node = 0xA;
  MergeIntoStored(s, FieldWrite("name", std::string("a"), S(10, kA)), 2);  // replay
  EXPECT_EQ(s.echo_node, 0xAu);
  MergeIntoStored(s, FieldWrite("notes", std::string("n"), S(11, kB)), 3);
  EXPECT_EQ(s.echo_node, 0u);
  EXPECT_TRUE(s.DisplacedBase("notes").IsZero());
}

}  // namespace
}  // namespace kawal::server
