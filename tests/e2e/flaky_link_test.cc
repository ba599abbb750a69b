// Sync through a proxied link: a link that cuts every connection after
// 8 KB still completes, with no duplicates and nothing lost, in both
// directions; and SyncOptions.gzip compresses both directions (the
// device's requests, and the server's responses because it asks).
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "fault_proxy.h"
#include "kawal/mobile/device.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;
constexpr char kDesa[] = "62.10.01.2001";

// A real server, a facilitator of kDesa and a proxy in front of the server.
class FlakyLinkTest : public DeviceFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok()) << server_.Stderr();
    ASSERT_TRUE(admin().AddUser("ani", v1::FACILITATOR, {kDesa}, &token_).ok());
    proxy_ = std::make_unique<FaultProxy>(server_.address());  // the port is known now
    ASSERT_TRUE(proxy_->Start().ok());
  }

  TestClient admin() { return AdminClient(server_); }

  // A device with its own store, syncing through the proxy.
  absl::StatusOr<std::unique_ptr<Device>> Open(const std::string& name) {
    return OpenDevice(name, proxy_->address(), token_);
  }

  ServerProcess server_{dir_.path() + "/server"};
  std::unique_ptr<FaultProxy> proxy_;
  std::string token_;
};

TEST_F(FlakyLinkTest, SyncCompletesThroughCutsEvery8KB) {
  FaultProxy& proxy = *proxy_;
  proxy.SetCutAfterBytes(8 * 1024);
  ASSERT_OK_AND_ASSIGN(auto phone, Open("phone"));
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
  EXPECT_THAT(phone->PendingCount(), IsOkAndHolds(0u));
  EXPECT_GT(proxy.Cuts(), 3) << "the link really was cut";

  // The other direction: a new device pulls everything through the same link.
  ASSERT_OK_AND_ASSIGN(auto laptop, Open("laptop"));
  auto pulled = laptop->Sync(options, nullptr);
  ASSERT_TRUE(pulled.ok()) << pulled.status();
  mobile::ListQuery query;
  ASSERT_OK_AND_ASSIGN(std::vector<sync::RecordState> theirs, laptop->List(query));
  ASSERT_EQ(theirs.size(), static_cast<size_t>(kActivities));

  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin().PullAll(0, {kDesa}, &records, &cursor).ok());
  std::set<std::string> ids;
  for (const auto& r : records) ids.insert(r.id());
  EXPECT_EQ(records.size(), static_cast<size_t>(kActivities));
  EXPECT_EQ(ids.size(), records.size()) << "no duplicates";
  std::cout << "cuts: " << proxy.Cuts() << ", retries: " << pushed->retries << " + "
            << pulled->retries << ", bytes up " << proxy.BytesUpstream() << ", down "
            << proxy.BytesDownstream() << "\n";
}

TEST_F(FlakyLinkTest, GzipCompressesPushesAndPullPages) {
  // Two devices push 100 alike activities each, one plain and one with
  // gzip; two new devices then pull all 200, again plain and gzipped.
  auto sync = [&](Device& device, bool gzip, int64_t* up, int64_t* down) {
    proxy_->ResetCounters();
    mobile::SyncOptions options;
    options.gzip = gzip;
    auto report = device.Sync(options, nullptr);
    ASSERT_TRUE(report.ok()) << report.status();
    *up = proxy_->BytesUpstream();
    *down = proxy_->BytesDownstream();
  };
  int64_t up[2], down[2], ignored;
  for (int gzip = 0; gzip < 2; ++gzip) {
    ASSERT_OK_AND_ASSIGN(auto phone, Open(gzip ? "gzip-phone" : "phone"));
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(phone->Create("activity", kDesa,
                                {{"name", "Pembangunan jalan usaha tani " + std::to_string(i)},
                                 {"year", int64_t{2026}},
                                 {"sector", int64_t{2}},
                                 {"status", std::string("planned")}})
                      .ok());
    }
    ASSERT_NO_FATAL_FAILURE(sync(*phone, gzip == 1, &up[gzip], &ignored));
  }
  for (int gzip = 0; gzip < 2; ++gzip) {
    ASSERT_OK_AND_ASSIGN(auto laptop, Open(gzip ? "gzip-laptop" : "laptop"));
    ASSERT_NO_FATAL_FAILURE(sync(*laptop, gzip == 1, &ignored, &down[gzip]));
    ASSERT_OK_AND_ASSIGN(std::vector<sync::RecordState> pulled, laptop->List(mobile::ListQuery()));
    EXPECT_EQ(pulled.size(), 200u);
  }
  EXPECT_LT(up[1], up[0]) << "requests are compressed";
  EXPECT_LT(down[1], down[0]) << "the server compresses pull pages when asked";
}

}  // namespace
}  // namespace kawal::testing
