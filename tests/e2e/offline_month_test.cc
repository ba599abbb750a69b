// A month of offline work (5,000 edits) syncs in one run with progress
// reported; a sync cancelled mid-way loses nothing and the next completes.
#include <gtest/gtest.h>

#include "kawal/mobile/device.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;
constexpr char kDesa[] = "62.10.01.2001";

class OfflineMonthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server");
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    TestClient admin(server_->address(), *server_->AdminToken());
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token_).ok());
  }

  std::unique_ptr<Device> Open(const std::string& name) {
    mobile::DeviceOptions options;
    options.home = dir_.path() + "/" + name;
    auto device = Device::Open(options);
    EXPECT_TRUE(device.ok());
    EXPECT_TRUE((*device)->Configure(server_->address(), token_).ok());
    return *std::move(device);
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
      EXPECT_TRUE(id.ok());
      ids.push_back(*id);
    }
    for (int e = 0; e < 4500; ++e) {
      const std::string& id = ids[(e * 7) % ids.size()];
      EXPECT_TRUE(device.Update("activity", id, {{"physical_progress_pct", double(e % 101)}}).ok());
    }
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(OfflineMonthTest, FiveThousandEditsSyncInOneRun) {
  auto device = Open("phone");
  std::vector<std::string> ids = MonthOfWork(*device);
  EXPECT_EQ(*device->PendingCount(), 500u) << "edits coalesce per record";

  std::vector<mobile::SyncProgress> seen;
  auto report = device->Sync(mobile::SyncOptions(),
                             [&](const mobile::SyncProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->pushed, 500u);
  EXPECT_EQ(report->rejected, 0u);
  EXPECT_EQ(*device->PendingCount(), 0u);
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

  auto other = Open("laptop");
  ASSERT_TRUE(other->Sync(mobile::SyncOptions(), nullptr).ok());
  mobile::ListQuery query;
  query.region = kDesa;
  auto mine = device->List(query);
  auto theirs = other->List(query);
  ASSERT_EQ(theirs->size(), 500u);
  for (size_t i = 0; i < mine->size(); ++i) {
    EXPECT_EQ(sync::ValueToJson(*(*mine)[i].Get("physical_progress_pct")),
              sync::ValueToJson(*(*theirs)[i].Get("physical_progress_pct")));
  }
}

TEST_F(OfflineMonthTest, CancelledSyncLosesNothingAndTheNextCompletes) {
  auto device = Open("phone");
  MonthOfWork(*device);
  mobile::SyncOptions options;
  options.push_batch = 50;
  auto cancelled = device->Sync(options, [&](const mobile::SyncProgress& p) {
    if (p.phase == "push" && p.records_pushed >= 100) device->Cancel();
  });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);
  uint64_t left = *device->PendingCount();
  EXPECT_GT(left, 0u);
  EXPECT_LT(left, 500u);
  auto done = device->Sync(options, nullptr);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->pushed, left) << "only what was left is sent";
  EXPECT_EQ(*device->PendingCount(), 0u);
  TestClient admin(server_->address(), *server_->AdminToken());
  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin.PullAll(0, {kDesa}, &records, &cursor).ok());
  EXPECT_EQ(records.size(), 500u) << "no duplicates, none missing";
}

}  // namespace
}  // namespace kawal::testing
