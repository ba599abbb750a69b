// Tests for sync/src/conflict_record.cc: the fields of a conflict record
// (one lost field, or the lists of several), what restoring its lost write
// writes, and the fields of a settlement.
#include "kawal/sync/conflict_record.h"

#include <gtest/gtest.h>

#include "kawal/sync/merge.h"
#include "kawal/sync/value_json.h"

namespace kawal::sync {
namespace {

constexpr char kDesa[] = "62.10.01.2001";

// A conflict record as the server writes it (only the fields read here),
// its field values written at `at` over `state`.
RecordState Conflict(const std::vector<ConflictField>& fields, RecordState state = {},
                     Stamp at = {10, 0, 1}) {
  RecordDelta d;
  d.collection = kConflict;
  d.id = "c-1";
  d.scope = kDesa;
  for (auto& [name, value] : ConflictFieldValues(fields)) {
    d.changes.push_back({name, value, at, {}});
  }
  d.changes.push_back({"record_collection", std::string(kActivity), at, {}});
  d.changes.push_back({"record_id", std::string("act-1"), at, {}});
  ApplyDelta(state, d, state.seq + 1);
  return state;
}

RecordState Conflict(const std::string& field, const std::string& loser_json) {
  return Conflict({{field, "null", loser_json}});
}

TEST(ConflictRecordTest, TheLostValueIsReadBackTyped) {
  absl::StatusOr<LoserRestore> r =
      LoserRestoreOf(Conflict("budget", R"({"DDS":150000000})"), Schema::Default());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->collection, kActivity);
  EXPECT_EQ(r->id, "act-1");
  EXPECT_FALSE(r->delete_record);
  ASSERT_EQ(r->fields.size(), 1u);
  EXPECT_EQ(r->fields[0].first, "budget");
  EXPECT_TRUE(ValueEqual(r->fields[0].second, Value{AmountMap{{"DDS", 150000000}}}));
}

TEST(ConflictRecordTest, OneLostFieldKeepsTheShapeEveryAppReads) {
  const RecordState c = Conflict("status", "\"done\"");
  EXPECT_EQ(c.GetString("field"), "status");
  EXPECT_EQ(c.GetString("loser_value"), "\"done\"");
  EXPECT_EQ(c.Get("fields"), nullptr) << "no lists for one field: fewer bytes down";
}

TEST(ConflictRecordTest, EveryFieldOfALostWriteIsRestoredTogether) {
  const RecordState c = Conflict({{"name", "\"Jalan\"", "\"Jalan desa\""},
                                  {"status", "\"done\"", "\"stalled\""},
                                  {"volume", "10", "12.5"}});
  absl::StatusOr<std::vector<ConflictField>> fields = ConflictFieldsOf(c);
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_EQ(fields->size(), 3u);
  EXPECT_EQ((*fields)[1], (ConflictField{"status", "\"done\"", "\"stalled\""}));
  // `field` names the first, so an app that predates the lists shows
  // something; it finds no one-field loser value, so it cannot restore half.
  EXPECT_EQ(c.GetString("field"), "name");
  EXPECT_FALSE(ValueFromJson(c.GetString("loser_value"), FieldType::kString).ok());

  absl::StatusOr<LoserRestore> r = LoserRestoreOf(c, Schema::Default());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->fields.size(), 3u);
  EXPECT_EQ(r->fields[0].first, "name");
  EXPECT_TRUE(ValueEqual(r->fields[0].second, Value{std::string("Jalan desa")}));
  EXPECT_TRUE(ValueEqual(r->fields[1].second, Value{std::string("stalled")}));
  EXPECT_TRUE(ValueEqual(r->fields[2].second, Value{12.5}));
  EXPECT_TRUE(ValidateMerged(Schema::Default(), c).ok());
}

TEST(ConflictRecordTest, ARecordThatGrowsDropsItsOneFieldValues) {
  const RecordState one = Conflict("status", "\"done\"");
  const RecordState two = Conflict({{"status", "\"x\"", "\"done\""}, {"volume", "1", "2"}}, one,
                                   Stamp{20, 0, 1});
  absl::StatusOr<std::vector<ConflictField>> fields = ConflictFieldsOf(two);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->size(), 2u);
  for (const char* gone : {"winner_value", "loser_value"}) {
    const Value* v = two.Get(gone);
    EXPECT_TRUE(v == nullptr || std::holds_alternative<Null>(*v)) << gone;
  }
}

TEST(ConflictRecordTest, ListsOfDifferentLengthsAreDataLoss) {
  RecordState c = Conflict({{"status", "1", "2"}, {"volume", "1", "2"}});
  c.fields["loser_values"].value = ScalarList{std::string("2")};
  EXPECT_TRUE(absl::IsDataLoss(ConflictFieldsOf(c).status()));
  EXPECT_TRUE(absl::IsDataLoss(LoserRestoreOf(c, Schema::Default()).status()));
}

TEST(ConflictRecordTest, ALostDeleteDeletesAgain) {
  absl::StatusOr<LoserRestore> r = LoserRestoreOf(Conflict(kDeletedField, "null"), Schema::Default());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->delete_record);
  EXPECT_TRUE(r->fields.empty());
}

TEST(ConflictRecordTest, UnknownFieldOrBadValueIsNamed) {
  absl::Status unknown =
      LoserRestoreOf(Conflict("colour", "\"red\""), Schema::Default()).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(unknown)) << unknown;
  EXPECT_NE(unknown.message().find("colour"), absl::string_view::npos) << unknown;
  EXPECT_TRUE(absl::IsInvalidArgument(
      LoserRestoreOf(Conflict("budget", "\"lots\""), Schema::Default()).status()));
  // One bad field of several restores nothing.
  EXPECT_TRUE(absl::IsInvalidArgument(
      LoserRestoreOf(Conflict({{"budget", "null", "\"lots\""}, {"status", "null", "\"done\""}}),
                     Schema::Default())
          .status()));
}

// The lists hold one entry per field a write lost: every collection's
// fields fit.
TEST(ConflictRecordTest, EveryCollectionsFieldsFitTheLists) {
  const CollectionSpec* conflict = Schema::Default().Find(kConflict);
  ASSERT_NE(conflict, nullptr);
  const FieldSpec* fields = conflict->Find("fields");
  const FieldSpec* losers = conflict->Find("loser_values");
  ASSERT_NE(fields, nullptr);
  ASSERT_NE(losers, nullptr);
  EXPECT_EQ(losers->max_length, conflict->Find("loser_value")->max_length);
  for (const CollectionSpec& c : Schema::Default().collections()) {
    EXPECT_LE(c.fields.size() + 1, fields->max_items) << c.name << " (+ _deleted)";
    for (const FieldSpec& f : c.fields) EXPECT_LE(f.name.size(), fields->max_length) << f.name;
  }
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
