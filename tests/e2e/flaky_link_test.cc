// Sync through a link that cuts every connection after 8 KB: it completes,
// with no duplicates and nothing lost, in both directions.
#include <gtest/gtest.h>

#include "fault_proxy.h"
#include "kawal/mobile/device.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;
constexpr char kDesa[] = "62.10.01.2001";

TEST(FlakyLinkTest, SyncCompletesThroughCutsEvery8KB) {
  TempDir dir;
  ServerProcess server(dir.path() + "/server");
  ASSERT_TRUE(server.Start().ok()) << server.Stderr();
  TestClient admin(server.address(), *server.AdminToken());
  std::string token;
  ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token).ok());

  FaultProxy proxy(server.address());
  ASSERT_TRUE(proxy.Start().ok());
  proxy.SetCutAfterBytes(8 * 1024);

  auto open = [&](const std::string& name) {
    mobile::DeviceOptions options;
    options.home = dir.path() + "/" + name;
    auto device = Device::Open(options);
    EXPECT_TRUE(device.ok());
    EXPECT_TRUE((*device)->Configure(proxy.address(), token).ok());
    return *std::move(device);
  };
  auto phone = open("phone");
  constexpr int kActivities = 300;
  for (int i = 0; i < kActivities; ++i) {
    auto id = phone->Create("activity", kDesa,
                            {{"name", "Kegiatan dengan nama yang cukup panjang " + std::to_string(i)},
                             {"year", int64_t{2026}},
                             {"sector", int64_t{2}},
                             {"status", std::string("planned")},
                             {"notes", std::string(200, 'n')},
                             {"budget", sync::AmountMap{{"DDS", 1000000 + i}}}});
    ASSERT_TRUE(id.ok());
  }
  mobile::SyncOptions options;
  options.max_attempts = 50;
  options.backoff_base_ms = 5;
  options.backoff_cap_ms = 100;
  auto pushed = phone->Sync(options, nullptr);
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  EXPECT_EQ(*phone->PendingCount(), 0u);
  EXPECT_GT(proxy.Cuts(), 3) << "the link really was cut";

  // The other direction: a new device pulls everything through the same link.
  auto laptop = open("laptop");
  auto pulled = laptop->Sync(options, nullptr);
  ASSERT_TRUE(pulled.ok()) << pulled.status();
  mobile::ListQuery query;
  auto theirs = laptop->List(query);
  ASSERT_EQ(theirs->size(), static_cast<size_t>(kActivities));

  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin.PullAll(0, {kDesa}, &records, &cursor).ok());
  std::set<std::string> ids;
  for (const auto& r : records) ids.insert(r.id());
  EXPECT_EQ(records.size(), static_cast<size_t>(kActivities));
  EXPECT_EQ(ids.size(), records.size()) << "no duplicates";
  std::cout << "cuts: " << proxy.Cuts() << ", retries: " << pushed->retries << " + "
            << pulled->retries << ", bytes up " << proxy.BytesUpstream() << ", down "
            << proxy.BytesDownstream() << "\n";
}

}  // namespace
}  // namespace kawal::testing
