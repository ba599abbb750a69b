// Bundle key files (kawal/common/bundle_keys.h): created owner-only, read
// back to the same keys, refused when open to others or malformed; the
// public server key file holds no secret.
#include "kawal/common/bundle_keys.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "kawal/common/secret_file.h"
#include "server_process.h"
#include "status_assert.h"

namespace kawal::common {
namespace {

using ::kawal::testing::TempDir;

TEST(BundleKeysTest, ServerKeysAreCreatedOwnerOnlyAndReloaded) {
  TempDir dir;
  const std::string path = dir.path() + "/bundle_keys";
  ASSERT_OK_AND_ASSIGN(ServerBundleKeys created, LoadOrCreateServerKeys(path));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_OK_AND_ASSIGN(ServerBundleKeys loaded, LoadOrCreateServerKeys(path));
  EXPECT_EQ(loaded.sign.public_key, created.sign.public_key);
  EXPECT_EQ(loaded.sign.secret_key, created.sign.secret_key);
  EXPECT_EQ(loaded.box.public_key, created.box.public_key);
  EXPECT_EQ(loaded.box.secret_key, created.box.secret_key);
}

TEST(BundleKeysTest, DeviceKeyIsCreatedAndReloaded) {
  TempDir dir;
  const std::string path = dir.path() + "/device_key";
  ASSERT_OK_AND_ASSIGN(SigningKeyPair created, LoadOrCreateDeviceKey(path));
  ASSERT_OK_AND_ASSIGN(SigningKeyPair loaded, LoadOrCreateDeviceKey(path));
  EXPECT_EQ(loaded.public_key, created.public_key);
  EXPECT_EQ(loaded.secret_key, created.secret_key);
}

TEST(BundleKeysTest, KeyFileOpenToOthersIsRefused) {
  TempDir dir;
  const std::string path = dir.path() + "/device_key";
  ASSERT_OK(LoadOrCreateDeviceKey(path).status());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  absl::StatusOr<SigningKeyPair> key = LoadOrCreateDeviceKey(path);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find("chmod 600"), absl::string_view::npos);
}

TEST(BundleKeysTest, MalformedKeyFileIsRefusedWithoutItsContent) {
  TempDir dir;
  const std::string path = dir.path() + "/bundle_keys";
  std::ofstream(path) << "kawal-server-bundle-keys 1\nsign-secret abcd\n";
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  absl::StatusOr<ServerBundleKeys> keys = LoadOrCreateServerKeys(path);
  ASSERT_FALSE(keys.ok());
  EXPECT_NE(keys.status().message().find("sign-secret"), absl::string_view::npos) << keys.status();
  EXPECT_EQ(keys.status().message().find("abcd"), absl::string_view::npos) << keys.status();
  EXPECT_THAT(ReadSecretFile(path, "key file"),
              ::kawal::testing::IsOkAndHolds("kawal-server-bundle-keys 1\nsign-secret abcd"))
      << "nothing overwritten";
}

TEST(BundleKeysTest, PublicServerKeyFileRoundTripsWithoutSecrets) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(ServerBundleKeys keys, LoadOrCreateServerKeys(dir.path() + "/bundle_keys"));
  const std::string text = FormatServerPublicKeys(keys.Public());
  EXPECT_EQ(text.find(absl::BytesToHexString(keys.sign.secret_key)), std::string::npos);
  EXPECT_EQ(text.find(absl::BytesToHexString(keys.box.secret_key)), std::string::npos);
  ASSERT_OK_AND_ASSIGN(ServerPublicKeys parsed, ParseServerPublicKeys(text));
  EXPECT_EQ(parsed.sign_public_key, keys.sign.public_key);
  EXPECT_EQ(parsed.box_public_key, keys.box.public_key);
  EXPECT_FALSE(ParseServerPublicKeys("hello").ok());
  EXPECT_FALSE(ParseServerPublicKeys("kawal-server-key 1\nsign-public 00\n").ok());
}

}  // namespace
}  // namespace kawal::common
