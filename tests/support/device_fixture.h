// Opening an on-device store (mobile::Device) in a test: the usual options
// in one place, and a device that fails to open or configure is a test
// failure, not a crash.
//
//   class MyTest : public DeviceFixture { ... };
//   ASSERT_OK_AND_ASSIGN(auto phone, OpenDevice("phone", server.address(), token));
//
// Thread-safety: one test thread per fixture.
#ifndef KAWAL_TESTS_SUPPORT_DEVICE_FIXTURE_H_
#define KAWAL_TESTS_SUPPORT_DEVICE_FIXTURE_H_

#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "absl/status/statusor.h"
#include "kawal/mobile/device.h"
#include "server_process.h"
#include "status_assert.h"
#include "test_client.h"

namespace kawal::testing {

// The usual options of a test device called `name` living in `home`: the
// name is shown to officers (instead of the host name).
mobile::DeviceOptions TestDeviceOptions(const std::string& home, const std::string& name);

// Opens a device with `options`; when `server` is not empty, also
// configures it for `server` with `token` (and routing `region`).
absl::StatusOr<std::unique_ptr<mobile::Device>> OpenTestDevice(mobile::DeviceOptions options,
                                                               const std::string& server = "",
                                                               const std::string& token = "",
                                                               const std::string& region = "");

// Every record `device` holds (activities, reports, photos, conflicts,
// deleted ones too), values and stamps, keyed "collection/id": two devices
// that converged have equal snapshots.
std::map<std::string, std::string> DeviceSnapshot(mobile::Device& device);

// A test whose devices (and servers) live in one temporary directory.
class DeviceFixture : public ::testing::Test {
 protected:
  // Options of device `name`, at dir_/name.
  mobile::DeviceOptions DeviceOptionsFor(const std::string& name) const {
    return TestDeviceOptions(dir_.path() + "/" + name, name);
  }
  // Opens device `name` (configured when `server` is given).
  absl::StatusOr<std::unique_ptr<mobile::Device>> OpenDevice(const std::string& name,
                                                             const std::string& server = "",
                                                             const std::string& token = "") const {
    return OpenTestDevice(DeviceOptionsFor(name), server, token);
  }

  // A sync that must succeed (a failure is reported; the report is then empty).
  static mobile::SyncReport SyncOk(mobile::Device& device) {
    absl::StatusOr<mobile::SyncReport> report = device.Sync(mobile::SyncOptions(), nullptr);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : mobile::SyncReport();
  }

  // Starts kawal-server at dir_/server, the regions of kabupaten 62.10
  // seeded, as server_ (a test failure when it does not start).
  void StartSeededServer() {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server",
                                              std::vector<std::string>{"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
  }
  // Adds facilitator `name` of `desa` on server_; its token in *token.
  void AddFacilitator(const std::string& name, const std::vector<std::string>& desa,
                      std::string* token) {
    TestClient admin = AdminClient(*server_);
    ASSERT_TRUE(admin.AddUser(name, v1::FACILITATOR, desa, token).ok());
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;  // StartSeededServer()
};

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_DEVICE_FIXTURE_H_
