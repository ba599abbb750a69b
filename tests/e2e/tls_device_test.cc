// A device syncing with a real kawal-server over TLS, and every way that
// goes wrong: an untrusted CA, an expired certificate, a name mismatch, and
// TLS against plaintext either way. Each failure names its problem and
// leaves the device's records and pending changes as they were.
// Certificates are made with OpenSSL in the test.
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/cord.h"
#include "gtest/gtest.h"
#include "kawal/mobile/device.h"
#include "server_process.h"
#include "test_certs.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;

constexpr char kDesa[] = "62.10.01.2001";

class TlsDeviceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Users are made over plaintext first; each test then restarts the
    // server on the same data with the TLS set-up it needs.
    ServerProcess setup(data_dir(), {"--seed_region=62.10"});
    ASSERT_TRUE(setup.Start().ok()) << setup.Stderr();
    absl::StatusOr<std::string> admin_token = setup.AdminToken();
    ASSERT_TRUE(admin_token.ok()) << admin_token.status();
    TestClient admin(setup.address(), *admin_token);
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token_).ok());
    ASSERT_TRUE(setup.Stop().ok());
  }

  std::string data_dir() const { return dir_.path() + "/server"; }

  // Starts the server with `leaf` (plaintext when null).
  void StartServer(const TestCert* leaf) {
    std::vector<std::string> flags;
    if (leaf != nullptr) {
      const std::string cert = dir_.path() + "/server.crt", key = dir_.path() + "/server.key";
      std::ofstream(cert) << leaf->cert_pem;
      std::ofstream(key) << leaf->key_pem;
      flags = {"--tls_cert=" + cert, "--tls_key=" + key};
    }
    server_ = std::make_unique<ServerProcess>(data_dir(), flags);
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
  }

  // A device trusting `ca_pem` ("" = plaintext on loopback) with one
  // activity written offline.
  void OpenDevice(const std::string& ca_pem) {
    mobile::DeviceOptions options;
    options.home = dir_.path() + "/device";
    options.device_name = "pld";
    absl::StatusOr<std::unique_ptr<Device>> device = Device::Open(options);
    ASSERT_TRUE(device.ok()) << device.status();
    device_ = *std::move(device);
    mobile::ServerConnection connection;
    connection.server = server_->address();
    connection.token = token_;
    connection.tls_ca_pem = ca_pem;
    ASSERT_TRUE(device_->Configure(connection).ok());
    absl::StatusOr<std::string> id =
        device_->Create("activity", kDesa,
                        {{"name", std::string("Jalan usaha tani")},
                         {"year", int64_t{2026}},
                         {"sector", int64_t{2}},
                         {"status", std::string("planned")}});
    ASSERT_TRUE(id.ok()) << id.status();
    activity_ = *id;
  }

  // Syncs expecting the connection problem `problem`; checks that nothing
  // stored changed.
  void ExpectRefused(const std::string& problem, const std::string& in_message) {
    absl::StatusOr<mobile::SyncReport> report = device_->Sync(mobile::SyncOptions(), nullptr);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition) << report.status();
    EXPECT_NE(report.status().message().find(in_message), absl::string_view::npos)
        << report.status();
    absl::optional<absl::Cord> payload =
        report.status().GetPayload(mobile::kConnectionProblemPayload);
    ASSERT_TRUE(payload.has_value()) << report.status();
    EXPECT_EQ(std::string(*payload), problem);
    absl::StatusOr<uint64_t> pending = device_->PendingCount();
    ASSERT_TRUE(pending.ok());
    EXPECT_EQ(*pending, 1u);
    absl::StatusOr<bool> is_pending = device_->IsPending("activity", activity_);
    ASSERT_TRUE(is_pending.ok());
    EXPECT_TRUE(*is_pending);
    EXPECT_TRUE(device_->Get("activity", activity_).ok());
  }

  TempDir dir_;
  std::string token_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Device> device_;
  std::string activity_;
  TestCert ca_ = MakeTestCa("Kawal Gunung Mas CA");
};

TEST_F(TlsDeviceTest, RightCaSyncsOverTls) {
  TestCert leaf = MakeTestLeaf(ca_, {"localhost", "127.0.0.1"});
  StartServer(&leaf);
  OpenDevice(ca_.cert_pem);
  absl::StatusOr<mobile::StatusView> status = device_->Status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->transport, "tls");
  absl::StatusOr<mobile::SyncReport> report = device_->Sync(mobile::SyncOptions(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(*device_->PendingCount(), 0u);
}

TEST_F(TlsDeviceTest, UntrustedIssuerIsNamedAndNothingIsTouched) {
  TestCert rogue = MakeTestCa("Rogue Hotspot CA");
  TestCert leaf = MakeTestLeaf(rogue, {"127.0.0.1"});
  StartServer(&leaf);
  OpenDevice(ca_.cert_pem);
  ExpectRefused("untrusted", "Rogue Hotspot CA");
}

TEST_F(TlsDeviceTest, ExpiredCertificateIsNamed) {
  TestCert leaf = MakeTestLeaf(ca_, {"127.0.0.1"}, -60, -1);
  StartServer(&leaf);
  OpenDevice(ca_.cert_pem);
  ExpectRefused("expired", "expired on");
}

TEST_F(TlsDeviceTest, NameMismatchNamesBothNames) {
  TestCert leaf = MakeTestLeaf(ca_, {"kawal.gunungmas.example"});
  StartServer(&leaf);
  OpenDevice(ca_.cert_pem);
  ExpectRefused("name_mismatch", "kawal.gunungmas.example");
}

TEST_F(TlsDeviceTest, TlsDeviceAgainstPlaintextServer) {
  StartServer(nullptr);
  OpenDevice(ca_.cert_pem);
  ExpectRefused("server_is_plaintext", "speaks plaintext");
}

TEST_F(TlsDeviceTest, PlaintextDeviceAgainstTlsServer) {
  TestCert leaf = MakeTestLeaf(ca_, {"127.0.0.1"});
  StartServer(&leaf);
  OpenDevice("");  // loopback without a CA: plaintext
  ExpectRefused("server_is_tls", "speaks TLS");
}

TEST_F(TlsDeviceTest, ACaThatIsNotPemIsRefusedAtConfigure) {
  StartServer(nullptr);
  mobile::DeviceOptions options;
  options.home = dir_.path() + "/device";
  absl::StatusOr<std::unique_ptr<Device>> device = Device::Open(options);
  ASSERT_TRUE(device.ok()) << device.status();
  mobile::ServerConnection connection;
  connection.server = server_->address();
  connection.tls_ca_pem = "not a certificate";
  EXPECT_EQ((*device)->Configure(connection).code(), absl::StatusCode::kInvalidArgument);
  connection.tls_ca_pem = ca_.cert_pem;
  connection.insecure = true;
  EXPECT_EQ((*device)->Configure(connection).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kawal::testing
