// kawal-admin against a real kawal-server: users are added, listed, rotated
// and revoked; stats print; failures are one clear line and exit non-zero.
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server_process.h"
#include "test_client.h"
#include "token_file.h"

namespace kawal::testing {
namespace {

class KawalAdminCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/data",
                                              std::vector<std::string>{"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
  }

  std::pair<int, std::string> Admin(std::vector<std::string> args,
                                    const std::string& token_file = "") {
    std::vector<std::string> all = {"--server=" + server_->address(),
                                    "--token_file=" + (token_file.empty()
                                                           ? server_->data_dir() + "/admin.token"
                                                           : token_file)};
    all.insert(all.end(), args.begin(), args.end());
    auto result = ServerProcess::RunToExit(AdminBinary(), all);
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : std::make_pair(-1, std::string());
  }

  static std::string TokenIn(const std::string& output) {
    for (absl::string_view line : absl::StrSplit(output, '\n')) {
      size_t at = line.find("kd1_");
      if (at != absl::string_view::npos) return std::string(line.substr(at, 4 + 64));
    }
    return "";
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(KawalAdminCliTest, ManagesUsersAndPrintsStats) {
  auto [code, out] = Admin({"user", "add", "--name=ani", "--role=facilitator",
                            "--scopes=62.10.01.2001,62.10.01.2002"});
  ASSERT_EQ(code, 0) << out;
  std::string token = TokenIn(out);
  ASSERT_EQ(token.size(), 68u) << out;

  // The printed token works for a sync call.
  TestClient ani(server_->address(), token);
  v1::HandshakeResponse hello;
  ASSERT_TRUE(ani.Handshake(v1::HandshakeRequest(), &hello).ok());
  EXPECT_EQ(hello.user(), "ani");

  std::tie(code, out) = Admin({"user", "list"});
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("ani"), std::string::npos);
  EXPECT_NE(out.find("facilitator"), std::string::npos);
  EXPECT_EQ(out.find(token), std::string::npos) << "list must never show tokens";

  std::tie(code, out) = Admin({"user", "rotate", "ani"});
  ASSERT_EQ(code, 0) << out;
  std::string rotated = TokenIn(out);
  ASSERT_FALSE(rotated.empty());
  EXPECT_NE(rotated, token);
  EXPECT_FALSE(ani.Handshake(v1::HandshakeRequest(), &hello).ok()) << "old token must stop";

  std::tie(code, out) = Admin({"user", "revoke", "ani"});
  ASSERT_EQ(code, 0) << out;
  TestClient after(server_->address(), rotated);
  grpc::Status status = after.Handshake(v1::HandshakeRequest(), &hello);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  std::tie(code, out) = Admin({"stats"});
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("127"), std::string::npos) << out;  // seeded villages
  EXPECT_NE(out.find("incarnation"), std::string::npos)
      << out;

  std::tie(code, out) = Admin({"aggregates", "verify"});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find(" 0 different"), std::string::npos) << out;
  std::tie(code, out) = Admin({"aggregates", "rebuild"});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("rebuilt"), std::string::npos) << out;
}

TEST_F(KawalAdminCliTest, FailuresAreOneLineWithTheCodeAndExitNonZero) {
  auto [code, out] = Admin({"user", "add", "--name=ani", "--role=facilitator",
                            "--scopes=62.10.1.2001"});
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("INVALID_ARGUMENT"), std::string::npos) << out;
  EXPECT_NE(out.find("62.10.1.2001"), std::string::npos) << out;

  std::string bad_token = dir_.path() + "/bad.token";
  kawal::testing::WriteTokenFile(bad_token, "kd1_" + std::string(64, '0'));
  std::tie(code, out) = Admin({"user", "list"}, bad_token);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("UNAUTHENTICATED"), std::string::npos) << out;

  // A token file others may read is refused before any call, as ssh does.
  ASSERT_EQ(::chmod(bad_token.c_str(), 0644), 0);
  std::tie(code, out) = Admin({"user", "list"}, bad_token);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("chmod 600 " + bad_token), std::string::npos) << out;

  std::tie(code, out) = Admin({"user", "revoke", "nobody"});
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("NOT_FOUND"), std::string::npos) << out;

  std::tie(code, out) = Admin({"frobnicate"});
  EXPECT_EQ(code, 2) << out;
}

}  // namespace
}  // namespace kawal::testing
