// Bundle keys with a real kawal-server (docs/bundles.md): the server makes
// its keys at first start (0600) and tells them in every handshake; a
// device learns them by syncing, or, never online, from the public server
// key file `kawal-admin bundle server-key` prints; the server binds a
// device's key at its first handshake and keeps it.
#include <sys/stat.h>

#include <fstream>

#include "absl/strings/escaping.h"

#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/mobile/device.h"
#include "server_process.h"
#include "test_client.h"
#include "token_file.h"

namespace kawal::testing {
namespace {

constexpr char kDesa[] = "62.10.01.2001";

class BundleKeysTest : public DeviceFixture {
 protected:
  void SetUp() override {
    StartSeededServer();
    if (HasFatalFailure()) return;
    AddFacilitator("ani", {kDesa}, &token_);
  }

  // What `kawal-admin bundle server-key` prints.
  std::string AdminServerKey() {
    absl::StatusOr<std::pair<int, std::string>> run = server_->RunAdmin({"bundle", "server-key"});
    EXPECT_TRUE(run.ok()) << run.status();
    if (!run.ok()) return "";
    EXPECT_EQ(run->first, 0) << run->second;
    return run->second;
  }

  std::string token_;
};

TEST_F(BundleKeysTest, ServerKeysAreOwnerOnlyAndPrintedWithoutSecrets) {
  const std::string path = server_->data_dir() + "/bundle_keys";
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_OK_AND_ASSIGN(common::ServerBundleKeys keys, common::LoadOrCreateServerKeys(path));
  const std::string printed = AdminServerKey();
  EXPECT_EQ(printed, common::FormatServerPublicKeys(keys.Public()));
  ASSERT_OK_AND_ASSIGN(common::ServerPublicKeys parsed, common::ParseServerPublicKeys(printed));
  EXPECT_EQ(parsed.sign_public_key, keys.sign.public_key);
  EXPECT_EQ(printed.find(absl::BytesToHexString(keys.sign.secret_key)), std::string::npos);
  EXPECT_EQ(printed.find(absl::BytesToHexString(keys.box.secret_key)), std::string::npos);
}

TEST_F(BundleKeysTest, KeysSurviveARestart) {
  const std::string before = AdminServerKey();
  ASSERT_TRUE(server_->Stop().ok());
  ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
  EXPECT_EQ(AdminServerKey(), before);
}

TEST_F(BundleKeysTest, DeviceLearnsServerKeyAtHandshake) {
  ASSERT_OK_AND_ASSIGN(auto device, OpenDevice("phone", server_->address(), token_));
  EXPECT_EQ(device->ServerBundleKey().status().code(), absl::StatusCode::kNotFound);
  SyncOk(*device);
  EXPECT_THAT(device->ServerBundleKey(), IsOkAndHolds(AdminServerKey()));
  EXPECT_EQ(device->BundlePublicKeyHex().size(), 64u);
  // The device's key is made once and kept in its data folder (0600).
  const std::string key_path = dir_.path() + "/phone/bundle_key";
  struct stat info {};
  ASSERT_EQ(::stat(key_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string key = device->BundlePublicKeyHex();
  device.reset();
  ASSERT_OK_AND_ASSIGN(device, OpenDevice("phone"));
  EXPECT_EQ(device->BundlePublicKeyHex(), key);
}

TEST_F(BundleKeysTest, FirstBoundDeviceKeyStaysAndHandshakeStillWorks) {
  TestClient client(server_->address(), token_);
  v1::HandshakeRequest request;
  request.set_device_node(77);
  request.set_bundle_public_key(std::string(32, 'a'));
  v1::HandshakeResponse response;
  ASSERT_TRUE(client.Handshake(request, &response).ok());
  EXPECT_EQ(response.bundle_sign_public_key().size(), 32u);
  EXPECT_EQ(response.bundle_box_public_key().size(), 32u);
  request.set_bundle_public_key(std::string(32, 'b'));
  ASSERT_TRUE(client.Handshake(request, &response).ok()) << "network sync is not refused";
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_NE(server_->Stderr().find("already has another bundle key"), std::string::npos)
      << server_->Stderr();
}

TEST_F(BundleKeysTest, NeverOnlineDeviceTakesThePublicServerKeyFile) {
  const std::string key_file = dir_.path() + "/server.key";
  std::ofstream(key_file) << AdminServerKey();
  const std::string token_file = WriteTokenFile(dir_.path() + "/ani.token", token_);
  const std::string home = dir_.path() + "/field";
  absl::StatusOr<std::pair<int, std::string>> init = ServerProcess::RunToExit(
      KAWAL_FIELD_BINARY, {"--home=" + home, "--lang=en", "init", "--server=127.0.0.1:1",
                           "--token_file=" + token_file, "--server_key=" + key_file});
  ASSERT_TRUE(init.ok()) << init.status();
  EXPECT_EQ(init->first, 0) << init->second;

  const std::string bad_file = dir_.path() + "/not-a-key.txt";
  std::ofstream(bad_file) << "hello\n";
  absl::StatusOr<std::pair<int, std::string>> bad = ServerProcess::RunToExit(
      KAWAL_FIELD_BINARY, {"--home=" + home, "--lang=en", "bundle", "server-key", bad_file});
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_EQ(bad->first, 1) << bad->second;
  EXPECT_NE(bad->second.find("is not a server key file"), std::string::npos) << bad->second;

  ASSERT_OK_AND_ASSIGN(auto device, OpenTestDevice(TestDeviceOptions(home, "field")));
  EXPECT_THAT(device->ServerBundleKey(), IsOkAndHolds(AdminServerKey())) << "the bad file changed nothing";
}

}  // namespace
}  // namespace kawal::testing
