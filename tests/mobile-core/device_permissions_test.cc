// The device's data folder holds the user's token and village data: it is
// the owner's alone (0700), also when it existed before with a wider mode.
#include <sys/stat.h>

#include <filesystem>

#include "gtest/gtest.h"
#include "kawal/mobile/device.h"
#include "server_process.h"

namespace kawal::testing {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(DevicePermissionsTest, ANewDataFolderIsTheOwnersAlone) {
  TempDir dir;
  mobile::DeviceOptions options;
  options.home = dir.path() + "/device";
  absl::StatusOr<std::unique_ptr<mobile::Device>> device = mobile::Device::Open(options);
  ASSERT_TRUE(device.ok()) << device.status();
  EXPECT_EQ(ModeOf(options.home), 0700u);
}

TEST(DevicePermissionsTest, AnExistingWideFolderIsMadePrivate) {
  TempDir dir;
  mobile::DeviceOptions options;
  options.home = dir.path() + "/device";
  std::filesystem::create_directories(options.home);
  ::chmod(options.home.c_str(), 0755);
  absl::StatusOr<std::unique_ptr<mobile::Device>> device = mobile::Device::Open(options);
  ASSERT_TRUE(device.ok()) << device.status();
  EXPECT_EQ(ModeOf(options.home), 0700u);
}

}  // namespace
}  // namespace kawal::testing
