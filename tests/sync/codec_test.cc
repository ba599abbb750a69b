// Tests for sync/src/codec.cc: C++ types <-> kawal.v1 messages.
#include "kawal/sync/codec.h"

#include <gtest/gtest.h>

#include "kawal/sync/merge.h"
#include "kawal/sync/reject.h"

namespace kawal::sync {
namespace {

TEST(CodecTest, EveryValueKindRoundTrips) {
  std::vector<Value> values = {Null{},
                               int64_t{-5},
                               2.5,
                               std::string("Desa Tewah"),
                               true,
                               ScalarList{int64_t{1}, 2.0, std::string("x"), false},
                               AmountMap{{"DDS", 150000000}, {"ADD", 0}}};
  for (const Value& v : values) {
    v1::Value proto;
    ToProto(v, &proto);
    absl::StatusOr<Value> back = FromProto(proto);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(ValueEqual(v, *back)) << ValueToJson(v);
  }
}

TEST(CodecTest, RecordAndDeltaRoundTrip) {
  RecordDelta d;
  d.collection = "activity";
  d.id = "a1";
  d.scope = "62.10.01.2001";
  d.changes.push_back({"name", std::string("Jalan"), Stamp{10, 1, 7}, Stamp{5, 0, 7}});
  d.changes.push_back({"year", int64_t{2026}, Stamp{10, 2, 7}, Stamp{}});
  d.tombstone = Stamp{11, 0, 7};
  d.tombstone_base = Stamp{10, 2, 7};
  d.known_seq = 9;
  v1::RecordDelta proto;
  ToProto(d, &proto);
  absl::StatusOr<RecordDelta> back = FromProto(proto);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->changes.size(), 2u);
  EXPECT_EQ(back->changes[0].base, (Stamp{5, 0, 7}));
  EXPECT_EQ(back->tombstone_base, d.tombstone_base);
  EXPECT_EQ(back->known_seq, 9u);

  RecordState s;
  ApplyDelta(s, d, 3);
  v1::Record record;
  ToProto(s, &record);
  absl::StatusOr<RecordState> state = FromProto(record);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->fields.size(), 2u);
  EXPECT_EQ(state->fields.at("year").changed_seq, 3u);
  EXPECT_TRUE(record.whole());
}

TEST(CodecTest, DuplicateFieldInDeltaIsMalformed) {
  v1::RecordDelta proto;
  proto.add_changes()->set_name("name");
  proto.add_changes()->set_name("name");
  absl::StatusOr<RecordDelta> d = FromProto(proto);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(RejectCodeOf(d.status()), RejectCode::kMalformed);
  EXPECT_NE(d.status().message().find("name"), absl::string_view::npos);
}

TEST(CodecTest, ListElementWithoutKindIsMalformed) {
  v1::Value proto;
  proto.mutable_list_value()->add_items();
  absl::StatusOr<Value> v = FromProto(proto);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(RejectCodeOf(v.status()), RejectCode::kMalformed);
}

}  // namespace
}  // namespace kawal::sync
