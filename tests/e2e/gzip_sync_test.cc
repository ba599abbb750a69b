// SyncOptions.gzip compresses both directions: the device's requests and,
// because it asks with x-kawal-gzip, the server's responses (pull pages).
// Checked by the bytes a proxy carries; the records arrive the same.
#include <gtest/gtest.h>

#include "fault_proxy.h"
#include "kawal/mobile/device.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;
constexpr char kDesa[] = "62.10.01.2001";
constexpr int kActivities = 100;

// Bytes up for the push of kActivities and down for their cold pull.
struct Wire {
  int64_t up = 0;
  int64_t down = 0;
};

Wire SyncThroughProxy(bool gzip) {
  TempDir dir;
  ServerProcess server(dir.path() + "/server");
  EXPECT_TRUE(server.Start().ok()) << server.Stderr();
  TestClient admin(server.address(), *server.AdminToken());
  std::string token;
  EXPECT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token).ok());
  FaultProxy proxy(server.address());
  EXPECT_TRUE(proxy.Start().ok());
  auto open = [&](const std::string& name) {
    mobile::DeviceOptions options;
    options.home = dir.path() + "/" + name;
    auto device = Device::Open(options);
    EXPECT_TRUE(device.ok());
    EXPECT_TRUE((*device)->Configure(proxy.address(), token).ok());
    return *std::move(device);
  };
  mobile::SyncOptions options;
  options.gzip = gzip;
  auto phone = open("phone");
  for (int i = 0; i < kActivities; ++i) {
    EXPECT_TRUE(phone->Create("activity", kDesa,
                              {{"name", "Pembangunan jalan usaha tani " + std::to_string(i)},
                               {"year", int64_t{2026}},
                               {"sector", int64_t{2}},
                               {"status", std::string("planned")}})
                    .ok());
  }
  EXPECT_TRUE(phone->Sync(options, nullptr).ok());
  Wire wire;
  wire.up = proxy.BytesUpstream();
  proxy.ResetCounters();
  auto laptop = open("laptop");
  auto pulled = laptop->Sync(options, nullptr);
  EXPECT_TRUE(pulled.ok()) << pulled.status();
  EXPECT_EQ(pulled->pulled, static_cast<uint64_t>(kActivities));
  wire.down = proxy.BytesDownstream();
  return wire;
}

TEST(GzipSyncTest, CompressesPushesAndPullPages) {
  Wire plain = SyncThroughProxy(false);
  Wire gzip = SyncThroughProxy(true);
  EXPECT_LT(gzip.up, plain.up) << "requests are compressed";
  EXPECT_LT(gzip.down, plain.down) << "the server compresses pull pages when asked";
}

}  // namespace
}  // namespace kawal::testing
