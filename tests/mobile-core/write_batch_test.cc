// Tests for Device::WriteBatch and CheckBatch (mobile-core/src/local_writes.cc):
// all or nothing, the failing op named by index, each op seeing the ones
// before it, a pending change per record, and everything kept across reopen.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "status_assert.h"

namespace kawal::mobile {
namespace {

using kawal::testing::IsOkAndHolds;
using kawal::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kDesa[] = "62.10.01.2001";

FieldValues Activity(const std::string& name) {
  return {{"name", name}, {"year", int64_t{2026}}, {"sector", int64_t{2}},
          {"status", std::string("planned")}};
}

WriteOp Create(const std::string& name, const std::string& id = "") {
  return WriteOp{WriteOp::Kind::kCreate, "activity", id, kDesa, Activity(name)};
}

class WriteBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(device_, kawal::testing::OpenTestDevice(
                                      kawal::testing::TestDeviceOptions(dir_.path(), "phone")));
  }

  TempDir dir_;
  std::unique_ptr<Device> device_;
};

TEST_F(WriteBatchTest, AThousandOpsLandWithAPendingChangeEach) {
  std::vector<WriteOp> ops;
  for (int i = 0; i < 1000; ++i) ops.push_back(Create("Kegiatan " + std::to_string(i)));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids, device_->WriteBatch(ops));
  ASSERT_THAT(ids, SizeIs(1000));
  EXPECT_THAT(device_->PendingCount(), IsOkAndHolds(1000u));
  ListQuery query;
  EXPECT_THAT(device_->List(query), IsOkAndHolds(SizeIs(1000)));
  ASSERT_OK_AND_ASSIGN(sync::RecordState last, device_->Get("activity", ids.back()));
  EXPECT_EQ(last.GetString("name"), "Kegiatan 999");
  EXPECT_THAT(device_->IsPending("activity", ids.front()), IsOkAndHolds(true));
}

TEST_F(WriteBatchTest, OneBadOpStoresNothingAndIsNamed) {
  std::vector<WriteOp> ops = {Create("Jalan"), Create("Sumur")};
  WriteOp bad = Create("Drainase");
  bad.fields.emplace_back("physical_progress_pct", 150.0);  // 0..100
  ops.push_back(bad);
  ops.push_back(Create("Posyandu"));
  absl::StatusOr<std::vector<std::string>> ids = device_->WriteBatch(ops);
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(ids.status().message()), HasSubstr("op 2: "));
  EXPECT_THAT(std::string(ids.status().message()), HasSubstr("physical_progress_pct"));
  auto index = ids.status().GetPayload(kWriteOpIndexPayload);
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(std::string(*index), "2");
  EXPECT_THAT(device_->PendingCount(), IsOkAndHolds(0u));
  EXPECT_THAT(device_->List(ListQuery()), IsOkAndHolds(SizeIs(0)));
}

TEST_F(WriteBatchTest, OpsSeeTheOpsBeforeThem) {
  std::vector<WriteOp> ops = {
      Create("Jalan", "jalan-1"),
      WriteOp{WriteOp::Kind::kUpdate, "activity", "jalan-1", "", {{"physical_progress_pct", 40.0}}},
      WriteOp{WriteOp::Kind::kUpdate, "activity", "jalan-1", "",
              {{"status", std::string("in_progress")}}},
      Create("Sumur", "sumur-1"),
      WriteOp{WriteOp::Kind::kDelete, "activity", "sumur-1", "", {}},
  };
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids, device_->WriteBatch(ops));
  EXPECT_EQ(ids, (std::vector<std::string>{"jalan-1", "jalan-1", "jalan-1", "sumur-1", "sumur-1"}));
  ASSERT_OK_AND_ASSIGN(sync::RecordState jalan, device_->Get("activity", "jalan-1"));
  EXPECT_EQ(jalan.GetString("status"), "in_progress");
  ASSERT_NE(jalan.Get("physical_progress_pct"), nullptr);
  EXPECT_DOUBLE_EQ(std::get<double>(*jalan.Get("physical_progress_pct")), 40.0);
  ASSERT_OK_AND_ASSIGN(sync::RecordState sumur, device_->Get("activity", "sumur-1"));
  EXPECT_FALSE(sumur.Visible());
  EXPECT_THAT(device_->PendingCount(), IsOkAndHolds(2u)) << "one pending change per record";

  // An op on a record an earlier op deleted is refused like a single write.
  absl::StatusOr<std::vector<std::string>> again = device_->WriteBatch(
      {WriteOp{WriteOp::Kind::kUpdate, "activity", "sumur-1", "", {{"name", std::string("x")}}}});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("op 0: "));
}

TEST_F(WriteBatchTest, ACreateOfAnExistingIdIsRefused) {
  ASSERT_OK(device_->WriteBatch({Create("Jalan", "jalan-1")}).status());
  absl::StatusOr<std::vector<std::string>> twice =
      device_->WriteBatch({Create("Sumur", "sumur-1"), Create("Jalan lagi", "jalan-1")});
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(twice.status().message()), HasSubstr("op 1: "));
  EXPECT_EQ(device_->Get("activity", "sumur-1").status().code(), absl::StatusCode::kNotFound)
      << "nothing of the batch stored";
}

TEST_F(WriteBatchTest, CheckBatchValidatesAndStoresNothing) {
  EXPECT_OK(device_->CheckBatch({Create("Jalan"), Create("Sumur")}));
  WriteOp bad = Create("Drainase");
  bad.scope = "62.10";  // not a desa code
  EXPECT_EQ(device_->CheckBatch({Create("Jalan"), bad}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(device_->PendingCount(), IsOkAndHolds(0u));
}

TEST_F(WriteBatchTest, ABatchIsKeptAcrossReopen) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids,
                       device_->WriteBatch({Create("Jalan"), Create("Sumur")}));
  device_.reset();
  ASSERT_OK_AND_ASSIGN(device_, kawal::testing::OpenTestDevice(
                                    kawal::testing::TestDeviceOptions(dir_.path(), "phone")));
  EXPECT_THAT(device_->PendingCount(), IsOkAndHolds(2u));
  ASSERT_OK_AND_ASSIGN(sync::RecordState r, device_->Get("activity", ids[1]));
  EXPECT_EQ(r.GetString("name"), "Sumur");
}

}  // namespace
}  // namespace kawal::mobile
