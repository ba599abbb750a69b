// `kawal-admin health` against a real kawal-server (a shard, so the check
// is shown to need no token and no region header): exit 0 while SERVING,
// exit 1 with a clear line when nothing answers, exit 2 for a usage error.
// Also: on a shard, other admin commands need --region.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server_process.h"

namespace kawal::testing {
namespace {

using ::testing::HasSubstr;

class KawalAdminHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        dir_.path() + "/data", std::vector<std::string>{"--serve_regions=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    address_ = server_->address();
  }

  std::pair<int, std::string> Admin(std::vector<std::string> args) {
    std::vector<std::string> all = {"--server=" + address_, "--timeout_s=5"};
    all.insert(all.end(), args.begin(), args.end());
    auto result = ServerProcess::RunToExit(AdminBinary(), all);
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : std::make_pair(-1, std::string());
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string address_;
};

TEST_F(KawalAdminHealthTest, ServingExitsZeroWithoutTokenOrRegion) {
  auto [code, out] = Admin({"health"});
  EXPECT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("is SERVING"));
}

TEST_F(KawalAdminHealthTest, StoppedServerExitsOneSayingSo) {
  ASSERT_TRUE(server_->Stop().ok());
  auto [code, out] = Admin({"health"});
  EXPECT_EQ(code, 1) << out;
  EXPECT_THAT(out, HasSubstr("kawal-admin: UNAVAILABLE: no answer from kawal-server at " + address_));
}

TEST_F(KawalAdminHealthTest, ExtraArgumentIsUsageError) {
  auto [code, out] = Admin({"health", "now"});
  EXPECT_EQ(code, 2) << out;
  EXPECT_THAT(out, HasSubstr("health takes no arguments"));
}

TEST_F(KawalAdminHealthTest, OtherCommandsOnAShardNeedRegion) {
  const std::string token = "--token_file=" + server_->data_dir() + "/admin.token";
  auto [code, out] = Admin({token, "stats"});
  EXPECT_EQ(code, 1) << out;
  EXPECT_THAT(out, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(out, HasSubstr("--region"));
  std::tie(code, out) = Admin({token, "--region=62.10", "stats"});
  EXPECT_EQ(code, 0) << out;
}

}  // namespace
}  // namespace kawal::testing
