// Tests for sync/src/wire_stamps.cc: packing a message's stamps into its
// table and back loses nothing, shrinks the message, and a bad reference is
// refused with a message naming the record and field.
#include "kawal/sync/wire_stamps.h"

#include <gtest/gtest.h>

#include <random>

#include <google/protobuf/util/message_differencer.h>

namespace kawal::sync {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Stamp MakeStamp(int64_t wall, uint32_t counter, uint64_t node) {
  v1::Stamp s;
  s.set_wall_ms(wall);
  s.set_counter(counter);
  s.set_node(node);
  return s;
}

// `records` activities of 9 fields, every field of a record written at one
// stamp, half of them with a base from an earlier write.
v1::PullResponse Page(int records) {
  std::mt19937_64 rng(5);
  v1::PullResponse page;
  for (int r = 0; r < records; ++r) {
    v1::Record* record = page.add_records();
    record->set_collection("activity");
    record->set_id("a" + std::to_string(r));
    const v1::Stamp write = MakeStamp(1'780'000'000'000 + r, r % 3, 0x1234567890abcdefULL);
    for (int f = 0; f < 9; ++f) {
      v1::FieldState* field = record->add_fields();
      field->set_name("field_" + std::to_string(f));
      field->mutable_value()->set_int_value(static_cast<int64_t>(rng() % 1000));
      *field->mutable_stamp() = write;
      if (f % 2 == 0) *field->mutable_base() = MakeStamp(1'770'000'000'000 + r, 0, 42);
      field->set_changed_seq(100 + r);
    }
  }
  return page;
}

TEST(WireStampsTest, PullPageRoundTripsAndShrinks) {
  const v1::PullResponse original = Page(200);
  v1::PullResponse packed = original;
  PackStamps(&packed);
  EXPECT_EQ(packed.stamps_size(), 400);  // one write stamp and one base per record
  EXPECT_LT(packed.ByteSizeLong(), original.ByteSizeLong() * 6 / 10);
  for (const v1::FieldState& field : packed.records(7).fields()) {
    EXPECT_FALSE(field.has_stamp());
    EXPECT_GT(field.stamp_ref(), 0u);
  }
  // Through the wire format, as a device receives it.
  v1::PullResponse received;
  ASSERT_TRUE(received.ParseFromString(packed.SerializeAsString()));
  ASSERT_TRUE(UnpackStamps(&received).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(received, original));
}

TEST(WireStampsTest, PushRoundTripsAndUnpackedMessagesPassThrough) {
  v1::PushRequest original;
  for (int r = 0; r < 50; ++r) {
    v1::RecordDelta* delta = original.add_deltas();
    delta->set_id("d" + std::to_string(r));
    for (int f = 0; f < 4; ++f) {
      v1::FieldChange* change = delta->add_changes();
      change->set_name("f" + std::to_string(f));
      *change->mutable_stamp() = MakeStamp(1000 + r, 0, 9);
      if (f == 0) *change->mutable_base() = MakeStamp(500, 1, 8);
    }
  }
  v1::PushRequest plain = original;
  ASSERT_TRUE(UnpackStamps(&plain).ok());  // nothing packed: unchanged
  EXPECT_TRUE(MessageDifferencer::Equals(plain, original));

  v1::PushRequest packed = original;
  PackStamps(&packed);
  EXPECT_EQ(packed.stamps_size(), 51);  // 50 write stamps and the shared base
  PackStamps(&packed);                  // packing twice changes nothing
  EXPECT_EQ(packed.stamps_size(), 51);
  ASSERT_TRUE(UnpackStamps(&packed).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(packed, original));
}

// An incremental pull of one-field edits, each its own write on another
// base: no stamp repeats, and a table would only add bytes, so none is made.
// One record edited in two fields shares its stamp: only that one is tabled.
TEST(WireStampsTest, StampsUsedOnceStayInline) {
  v1::PullResponse original;
  for (int r = 0; r < 100; ++r) {
    v1::FieldState* field = original.add_records()->add_fields();
    field->set_name("progress_pct");
    *field->mutable_stamp() = MakeStamp(1'780'000'000'000 + r, 0, 7);
    *field->mutable_base() = MakeStamp(1'770'000'000'000 + r, 0, 8);
  }
  v1::PullResponse packed = original;
  PackStamps(&packed);
  EXPECT_EQ(packed.stamps_size(), 0);
  EXPECT_EQ(packed.ByteSizeLong(), original.ByteSizeLong());

  v1::FieldState* second = original.mutable_records(4)->add_fields();
  second->set_name("status");
  *second->mutable_stamp() = original.records(4).fields(0).stamp();
  packed = original;
  PackStamps(&packed);
  ASSERT_EQ(packed.stamps_size(), 1);
  EXPECT_EQ(packed.records(4).fields(1).stamp_ref(), 1u);
  EXPECT_TRUE(packed.records(4).fields(0).has_base());  // used once: inline
  EXPECT_TRUE(packed.records(5).fields(0).has_stamp());
  EXPECT_LT(packed.ByteSizeLong(), original.ByteSizeLong());
  ASSERT_TRUE(UnpackStamps(&packed).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(packed, original));
}

TEST(WireStampsTest, ReferenceOutsideTheTableIsRefused) {
  v1::PullResponse page = Page(2);
  PackStamps(&page);
  page.mutable_records(1)->mutable_fields(3)->set_stamp_ref(99);
  absl::Status s = UnpackStamps(&page);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("record a1 field 'field_3' refers to stamp 99 of a stamp table of 4"),
            std::string::npos)
      << s;
}

TEST(WireStampsTest, InlineStampAndReferenceTogetherAreRefused) {
  v1::PushRequest request;
  request.add_stamps()->set_wall_ms(5);
  v1::FieldChange* change = request.add_deltas()->add_changes();
  change->set_name("name");
  change->mutable_base()->set_wall_ms(4);
  change->set_base_ref(1);
  absl::Status s = UnpackStamps(&request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("both an inline base and a stamp table reference"),
            std::string::npos)
      << s;
}

}  // namespace
}  // namespace kawal::sync
