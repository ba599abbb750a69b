// A month of offline work (5,000 edits) syncs in one run with progress
// reported; a sync cancelled mid-way loses nothing and the next completes.
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;
constexpr char kDesa[] = "62.10.01.2001";

class OfflineMonthTest : public DeviceFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server");
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    ASSERT_TRUE(AdminClient(*server_).AddUser("ani", v1::FACILITATOR, {kDesa}, &token_).ok());
  }

  absl::StatusOr<std::unique_ptr<Device>> Open(const std::string& name) {
    return OpenDevice(name, server_->address(), token_);
  }

  // 500 activities, then 4,500 edits spread over them.
  static std::vector<std::string> MonthOfWork(Device& device) {
    std::vector<std::string> ids;
    for (int i = 0; i < 500; ++i) {
      auto id = device.Create("activity", kDesa,
                              {{"name", "Kegiatan " + std::to_string(i)},
                               {"year", int64_t{2026}},
                               {"sector", int64_t{1 + i % 5}},
                               {"status", std::string("planned")}});
      EXPECT_TRUE(id.ok()) << id.status();
      if (id.ok()) ids.push_back(*id);
    }
    for (int e = 0; e < 4500; ++e) {
      if (ids.empty()) break;
    const std::string& id = ids[(e * 7) % ids.size()];
      EXPECT_TRUE(device.Update("activity", id, {{"physical_progress_pct", double(e % 101)}}).ok());
    }
    return ids;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(OfflineMonthTest, FiveThousandEditsSyncInOneRun) {
  ASSERT_OK_AND_ASSIGN(auto device, Open("phone"));
  std::vector<std::string> ids = MonthOfWork(*device);
  EXPECT_THAT(device->PendingCount(), IsOkAndHolds(500u)) << "edits coalesce per record";

  std::vector<mobile::SyncProgress> seen;
  auto report = device->Sync(mobile::SyncOptions(),
                             [&](const mobile::SyncProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->pushed, 500u);
  EXPECT_EQ(report->rejected, 0u);
  EXPECT_THAT(device->PendingCount(), IsOkAndHolds(0u));
  // Progress: push counted up to the total, monotonically.
  uint64_t last = 0;
  bool reached_total = false;
  for (const auto& p : seen) {
    if (p.phase != "push") continue;
    EXPECT_GE(p.records_pushed, last);
    last = p.records_pushed;
    reached_total |= p.records_to_push == 500 && p.records_pushed == 500;
    EXPECT_GT(p.bytes_to_send, 0u) << "the push knows its total size";
  }
  EXPECT_TRUE(reached_total);
  EXPECT_EQ(seen.back().phase, "done");

  ASSERT_OK_AND_ASSIGN(auto other, Open("laptop"));
  ASSERT_OK(other->Sync(mobile::SyncOptions(), nullptr));
  mobile::ListQuery query;
  query.region = kDesa;
  ASSERT_OK_AND_ASSIGN(std::vector<sync::RecordState> mine, device->List(query));
  ASSERT_OK_AND_ASSIGN(std::vector<sync::RecordState> theirs, other->List(query));
  ASSERT_EQ(mine.size(), 500u);
  ASSERT_EQ(theirs.size(), 500u);
  for (size_t i = 0; i < mine.size(); ++i) {
    const sync::Value* progress = mine[i].Get("physical_progress_pct");
    const sync::Value* received = theirs[i].Get("physical_progress_pct");
    ASSERT_NE(progress, nullptr) << mine[i].id;
    ASSERT_NE(received, nullptr) << theirs[i].id;
    EXPECT_EQ(sync::ValueToJson(*progress), sync::ValueToJson(*received));
  }
}

TEST_F(OfflineMonthTest, CancelledSyncLosesNothingAndTheNextCompletes) {
  ASSERT_OK_AND_ASSIGN(auto device, Open("phone"));
  MonthOfWork(*device);
  mobile::SyncOptions options;
  options.push_batch = 50;
  auto cancelled = device->Sync(options, [&](const mobile::SyncProgress& p) {
    if (p.phase == "push" && p.records_pushed >= 100) device->Cancel();
  });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);
  ASSERT_OK_AND_ASSIGN(uint64_t left, device->PendingCount());
  EXPECT_GT(left, 0u);
  EXPECT_LT(left, 500u);
  auto done = device->Sync(options, nullptr);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->pushed, left) << "only what was left is sent";
  EXPECT_THAT(device->PendingCount(), IsOkAndHolds(0u));
  TestClient admin = AdminClient(*server_);
  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin.PullAll(0, {kDesa}, &records, &cursor).ok());
  EXPECT_EQ(records.size(), 500u) << "no duplicates, none missing";
}

}  // namespace
}  // namespace kawal::testing
