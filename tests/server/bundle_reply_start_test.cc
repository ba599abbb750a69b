// Tests for server/service/bundle_reply_start.cc: where a reply bundle's
// pull starts is decided from the device bundle's sync state before any of
// it is applied: this database's cursor continues; a cursor of a database
// this one was restored from (through a lineage of restores) continues at
// the backup's sequence and the reply says "restored"; a state this
// database does not descend from starts at the beginning, also "restored";
// a malformed cursor is an error, not a silent full pull.
#include <cstdint>

#include <gtest/gtest.h>

#include "engine/pull_cursor.h"
#include "service/bundle_reply_start.h"

namespace kawal::server {
namespace {

constexpr char kNow[] = "inc-now";
constexpr char kBefore[] = "inc-before";
constexpr char kFirst[] = "inc-first";

// kFirst was restored (at seq 70) into kBefore, kBefore (at seq 40) into kNow.
storage::v1::Lineage TwoRestores() {
  storage::v1::Lineage lineage;
  auto* newer = lineage.add_steps();
  newer->set_incarnation(kNow);
  newer->set_parent_incarnation(kBefore);
  newer->set_parent_seq(40);
  auto* older = lineage.add_steps();
  older->set_incarnation(kBefore);
  older->set_parent_incarnation(kFirst);
  older->set_parent_seq(70);
  return lineage;
}

v1::BundleSyncState StateAt(const std::string& incarnation, uint64_t seq) {
  storage::v1::PullCursor cursor;
  cursor.set_version(1);
  cursor.set_incarnation(incarnation);
  cursor.set_base_seq(seq);
  v1::BundleSyncState state;
  state.set_incarnation(incarnation);
  state.set_cursor(EncodeCursor(cursor));
  return state;
}

TEST(BundleReplyStartTest, ThisDatabasesCursorContinues) {
  const v1::BundleSyncState state = StateAt(kNow, 55);
  absl::StatusOr<ReplyStart> start = DecideReplyStart(kNow, TwoRestores(), state);
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_FALSE(start->server_restored);
  EXPECT_EQ(start->cursor, state.cursor());
  EXPECT_EQ(start->held_seq, UINT64_MAX);
}

TEST(BundleReplyStartTest, NeverSyncedDevicePullsEverything) {
  absl::StatusOr<ReplyStart> start =
      DecideReplyStart(kNow, TwoRestores(), v1::BundleSyncState());
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_FALSE(start->server_restored);
  EXPECT_EQ(start->cursor, "");
}

TEST(BundleReplyStartTest, CursorOfARestoredDatabaseContinuesAtTheBackup) {
  const v1::BundleSyncState state = StateAt(kFirst, 90);
  absl::StatusOr<ReplyStart> start = DecideReplyStart(kNow, TwoRestores(), state);
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_TRUE(start->server_restored);
  EXPECT_EQ(start->held_seq, 40u) << "the lower of the two backups";
  // The pull clamps the same cursor to what the backups held.
  ASSERT_EQ(start->cursor, state.cursor());
  absl::StatusOr<storage::v1::PullCursor> clamped =
      DecodeCursor(start->cursor, kNow, TwoRestores());
  ASSERT_TRUE(clamped.ok()) << clamped.status();
  EXPECT_EQ(clamped->base_seq(), 40u);
}

TEST(BundleReplyStartTest, UnrelatedDatabaseStartsAtTheBeginningAndSaysRestored) {
  const v1::BundleSyncState state = StateAt("inc-elsewhere", 90);
  absl::StatusOr<ReplyStart> start = DecideReplyStart(kNow, TwoRestores(), state);
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_TRUE(start->server_restored);
  EXPECT_EQ(start->cursor, "");
  EXPECT_EQ(start->held_seq, 0u);
}

TEST(BundleReplyStartTest, BadCursorIsAnErrorNotAFullPull) {
  v1::BundleSyncState state = StateAt(kNow, 55);
  std::string cursor = state.cursor();
  cursor[cursor.size() / 2] ^= 0x5a;
  state.set_cursor(cursor);
  absl::StatusOr<ReplyStart> start = DecideReplyStart(kNow, TwoRestores(), state);
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(start.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(start.status().message().find("nothing of the bundle was applied"),
            absl::string_view::npos)
      << start.status();
  // A cursor of another database under this database's incarnation.
  v1::BundleSyncState mixed = StateAt("inc-elsewhere", 5);
  mixed.set_incarnation(kNow);
  EXPECT_EQ(DecideReplyStart(kNow, TwoRestores(), mixed).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BundleReplyStartTest, KnownSeqOfLostHistoryIsForgotten) {
  ReplyStart start;
  start.held_seq = 40;
  v1::RecordDelta kept, lost;
  kept.set_known_seq(40);
  lost.set_known_seq(41);
  ForgetLostKnownSeq(start, &kept);
  ForgetLostKnownSeq(start, &lost);
  EXPECT_EQ(kept.known_seq(), 40u);
  EXPECT_EQ(lost.known_seq(), 0u);
  ReplyStart same;  // this database: every sequence holds
  v1::RecordDelta any;
  any.set_known_seq(UINT64_MAX - 1);
  ForgetLostKnownSeq(same, &any);
  EXPECT_EQ(any.known_seq(), UINT64_MAX - 1);
}

}  // namespace
}  // namespace kawal::server
