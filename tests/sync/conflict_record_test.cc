// Tests for sync/src/conflict_record.cc: what restoring a conflict's lost
// value writes, and the fields of a settlement.
#include "kawal/sync/conflict_record.h"

#include <gtest/gtest.h>

#include "kawal/sync/merge.h"

namespace kawal::sync {
namespace {

// A conflict record as the server writes it (only the fields read here).
RecordState Conflict(const std::string& field, const std::string& loser_json) {
  RecordDelta d;
  d.collection = kConflict;
  d.id = "c-1";
  d.scope = "62.10.01.2001";
  const Stamp at{10, 0, 1};
  d.changes = {{"field", field, at, {}},
               {"loser_value", loser_json, at, {}},
               {"record_collection", std::string(kActivity), at, {}},
               {"record_id", std::string("act-1"), at, {}}};
  RecordState state;
  ApplyDelta(state, d, 1);
  return state;
}

TEST(ConflictRecordTest, TheLostValueIsReadBackTyped) {
  absl::StatusOr<LoserRestore> r =
      LoserRestoreOf(Conflict("budget", R"({"DDS":150000000})"), Schema::Default());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->collection, kActivity);
  EXPECT_EQ(r->id, "act-1");
  EXPECT_FALSE(r->delete_record);
  EXPECT_EQ(r->field, "budget");
  EXPECT_TRUE(ValueEqual(r->value, Value{AmountMap{{"DDS", 150000000}}}));
}

TEST(ConflictRecordTest, ALostDeleteDeletesAgain) {
  absl::StatusOr<LoserRestore> r = LoserRestoreOf(Conflict(kDeletedField, "null"), Schema::Default());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->delete_record);
}

TEST(ConflictRecordTest, UnknownFieldOrBadValueIsNamed) {
  absl::Status unknown =
      LoserRestoreOf(Conflict("colour", "\"red\""), Schema::Default()).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(unknown)) << unknown;
  EXPECT_NE(unknown.message().find("colour"), absl::string_view::npos) << unknown;
  EXPECT_TRUE(absl::IsInvalidArgument(
      LoserRestoreOf(Conflict("budget", "\"lots\""), Schema::Default()).status()));
}

TEST(ConflictRecordTest, SettlementWritesAllFourFields) {
  auto fields = SettlementFields(kKeptWinner, "ani", 1234, "");
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_EQ(fields->size(), 4u);
  EXPECT_EQ((*fields)[3].first, "resolution_note");
  EXPECT_TRUE(std::holds_alternative<Null>((*fields)[3].second)) << "a missing note is null";
  EXPECT_TRUE(absl::IsInvalidArgument(SettlementFields(kDismissed, "ani", 1, "").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(SettlementFields("maybe", "ani", 1, "x").status()));
  EXPECT_TRUE(
      absl::IsInvalidArgument(SettlementFields(kDismissed, "ani", 1, std::string(1001, 'x')).status()));
}

}  // namespace
}  // namespace kawal::sync
