// ReadOwnerOnlySecretFile: a token file others may read is refused with the
// file's name and the fix; an owner-only file is read.
#include "kawal/common/secret_file.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "server_process.h"
#include "token_file.h"

namespace kawal::common {
namespace {

using ::kawal::testing::TempDir;

TEST(ReadOwnerOnlySecretFileTest, RefusesAFileOthersMayRead) {
  TempDir dir;
  const std::string path = dir.path() + "/officer.token";
  std::ofstream(path) << "kd1_secret\n";
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);

  absl::StatusOr<std::string> token = ReadOwnerOnlySecretFile(path, "token file");

  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(token.status().message());
  EXPECT_NE(message.find("token file " + path), std::string::npos) << message;
  EXPECT_NE(message.find("0644"), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 600 " + path), std::string::npos) << message;
  EXPECT_EQ(message.find("kd1_secret"), std::string::npos) << "the secret never appears";
}

TEST(ReadOwnerOnlySecretFileTest, RefusesGroupReadable) {
  TempDir dir;
  const std::string path = dir.path() + "/admin.token";
  std::ofstream(path) << "kd1_secret\n";
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);

  EXPECT_EQ(ReadOwnerOnlySecretFile(path, "token file").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ReadOwnerOnlySecretFileTest, ReadsAnOwnerOnlyFile) {
  TempDir dir;
  const std::string path = kawal::testing::WriteTokenFile(dir.path() + "/officer.token", "kd1_secret");

  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  absl::StatusOr<std::string> token = ReadOwnerOnlySecretFile(path, "token file");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(*token, "kd1_secret");
}

TEST(ReadOwnerOnlySecretFileTest, MissingFileIsNotFound) {
  TempDir dir;
  EXPECT_EQ(ReadOwnerOnlySecretFile(dir.path() + "/absent", "token file").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace kawal::common
