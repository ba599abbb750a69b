// A kawal-server started as a shard (--serve_regions=62.10, Gunung Mas)
// against the real binary: calls for its region work; a call whose
// x-kawal-region header names another region, or that has none, is refused
// with FAILED_PRECONDITION naming the region asked and the regions served;
// a push naming another shard's village stores nothing; pulls, reports and
// new users for other regions are refused. Health needs no header.
// ShardGuard::Parse is checked directly for its flag errors.
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "kawal/sync/clock.h"
#include "kawal/v1/report.grpc.pb.h"
#include "server_process.h"
#include "service/shard_guard.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kServed[] = "62.10";        // Gunung Mas: this shard
constexpr char kOther[] = "62.11";         // Pulang Pisau: another shard
constexpr char kDesa[] = "62.10.01.2001";  // served
constexpr char kOtherDesa[] = "62.11.01.2001";
constexpr uint64_t kDevice = 0x5A;

class ShardGuardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new ServerProcess(dir_->path() + "/data",
                                {"--seed_region=62.10", "--serve_regions=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    admin_ = new TestClient(AdminClient(*server_));
    admin_->set_region(kServed);
    std::string token;
    ASSERT_TRUE(admin_->AddUser("ani", v1::FACILITATOR, {kDesa}, &token).ok());
    facilitator_token_ = new std::string(token);
    ASSERT_TRUE(admin_->AddUser("dina", v1::DISTRICT_OFFICER, {"62"}, &token).ok());
    officer_token_ = new std::string(token);
  }
  static void TearDownTestSuite() {
    delete admin_;
    delete facilitator_token_;
    delete officer_token_;
    delete server_;
    delete dir_;
  }

  static std::unique_ptr<TestClient> Client(const std::string& token, const std::string& region) {
    auto client = std::make_unique<TestClient>(server_->address(), token);
    client->set_region(region);
    return client;
  }

  // Everything the shard stores, as comparable bytes.
  static std::string Holdings() {
    auto reader = Client(AdminTokenOf(*server_), kServed);
    reader->set_whole_records(true);
    std::vector<v1::Record> records;
    std::string cursor;
    EXPECT_TRUE(reader->PullAll(kDevice + 1, {}, &records, &cursor).ok());
    v1::StatsResponse stats;
    EXPECT_TRUE(reader->Stats(&stats).ok());
    std::string out = std::to_string(stats.records()) + "/" + std::to_string(stats.sequence());
    for (const v1::Record& r : records) out += "|" + CanonicalBytes(r);
    return out;
  }

  static void ExpectRefused(const grpc::Status& status, const std::vector<std::string>& words) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
    for (const std::string& word : words) {
      EXPECT_THAT(status.error_message(), HasSubstr(word));
    }
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static TestClient* admin_;
  static std::string* facilitator_token_;
  static std::string* officer_token_;
};

TempDir* ShardGuardTest::dir_ = nullptr;
ServerProcess* ShardGuardTest::server_ = nullptr;
TestClient* ShardGuardTest::admin_ = nullptr;
std::string* ShardGuardTest::facilitator_token_ = nullptr;
std::string* ShardGuardTest::officer_token_ = nullptr;

TEST_F(ShardGuardTest, ServedRegionPushesAndPulls) {
  auto ani = Client(*facilitator_token_, kServed);
  sync::Clock clock(kDevice);
  v1::PushResponse pushed;
  ASSERT_TRUE(ani->Push(MakePush(kDevice, {NewActivity(clock, "served-1", kDesa)}), &pushed).ok());
  ASSERT_EQ(pushed.results_size(), 1);
  EXPECT_TRUE(pushed.results(0).applied()) << pushed.results(0).message();
  std::vector<v1::Record> records;
  std::string cursor;
  // Another device of ani: the pushing device is not sent its own change back.
  ASSERT_TRUE(ani->PullAll(kDevice + 2, {kDesa}, &records, &cursor).ok());
  bool found = false;
  for (const v1::Record& r : records) found = found || r.id() == "served-1";
  EXPECT_TRUE(found);
}

TEST_F(ShardGuardTest, WrongHeaderIsRefusedAndStoresNothing) {
  const std::string before = Holdings();
  auto ani = Client(*facilitator_token_, kOther);
  sync::Clock clock(kDevice);
  v1::PushResponse pushed;
  ExpectRefused(ani->Push(MakePush(kDevice, {NewActivity(clock, "wrong-header", kDesa)}), &pushed),
                {"region 62.11", "serves 62.10"});
  EXPECT_EQ(pushed.results_size(), 0);
  v1::HandshakeResponse hello;
  ExpectRefused(ani->Handshake(v1::HandshakeRequest(), &hello), {"62.11", "62.10"});
  EXPECT_EQ(Holdings(), before);
}

TEST_F(ShardGuardTest, MissingHeaderIsRefusedOnEveryService) {
  const std::string before = Holdings();
  auto ani = Client(*facilitator_token_, "");
  sync::Clock clock(kDevice);
  v1::PushResponse pushed;
  ExpectRefused(ani->Push(MakePush(kDevice, {NewActivity(clock, "no-header", kDesa)}), &pushed),
                {"no x-kawal-region header", "62.10"});
  v1::PullResponse pulled;
  ExpectRefused(ani->Pull(v1::PullRequest(), &pulled), {"x-kawal-region"});
  auto admin = Client(AdminTokenOf(*server_), "");
  v1::StatsResponse stats;
  ExpectRefused(admin->Stats(&stats), {"x-kawal-region", "--region"});
  auto reports = v1::ReportService::NewStub(admin->channel());
  v1::ProgressRequest request;
  request.set_region(kServed);
  request.set_year(2026);
  v1::ProgressResponse progress;
  ExpectRefused(reports->Progress(admin->Context().get(), request, &progress), {"x-kawal-region"});
  EXPECT_EQ(Holdings(), before);
}

TEST_F(ShardGuardTest, MalformedHeaderIsInvalidArgument) {
  auto ani = Client(*facilitator_token_, "62.1x");
  v1::HandshakeResponse hello;
  grpc::Status status = ani->Handshake(v1::HandshakeRequest(), &hello);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("x-kawal-region"));
}

TEST_F(ShardGuardTest, HealthNeedsNoHeader) {
  auto stub = grpc::health::v1::Health::NewStub(admin_->channel());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// The header names the served region, but the message is about another
// shard's village: the whole push is refused, the served record in the same
// push included, and the shard's holdings do not change.
TEST_F(ShardGuardTest, PushOfAnotherShardsVillageStoresNothing) {
  const std::string before = Holdings();
  auto admin = Client(AdminTokenOf(*server_), kServed);
  sync::Clock clock(kDevice);
  v1::PushResponse pushed;
  ExpectRefused(admin->Push(MakePush(kDevice, {NewActivity(clock, "mixed-served", kDesa),
                                               NewActivity(clock, "mixed-other", kOtherDesa)}),
                            &pushed),
                {"village 62.11.01.2001", "serves 62.10", "nothing of this call was stored"});
  EXPECT_EQ(Holdings(), before);
}

TEST_F(ShardGuardTest, PullAndReportOfAnotherRegionAreRefused) {
  auto dina = Client(*officer_token_, kServed);
  v1::PullRequest pull;
  pull.add_scopes(kOther);
  v1::PullResponse pulled;
  ExpectRefused(dina->Pull(pull, &pulled), {"region 62.11", "serves 62.10"});

  auto reports = v1::ReportService::NewStub(dina->channel());
  v1::ProgressRequest request;
  request.set_year(2026);
  request.set_region(kOther);
  v1::ProgressResponse progress;
  ExpectRefused(reports->Progress(dina->Context().get(), request, &progress), {"62.11", "62.10"});
  v1::FreshnessRequest freshness;
  freshness.set_region("62.11.01");
  v1::FreshnessResponse silent;
  ExpectRefused(reports->Freshness(dina->Context().get(), freshness, &silent), {"62.11.01"});

  // The province encloses this shard: the shard answers for its part.
  request.set_region("62");
  request.set_level("kabupaten");
  EXPECT_TRUE(reports->Progress(dina->Context().get(), request, &progress).ok());
}

TEST_F(ShardGuardTest, UsersOfAnotherRegionAreRefused) {
  std::string token;
  ExpectRefused(admin_->AddUser("budi", v1::FACILITATOR, {kOtherDesa}, &token),
                {"62.11.01.2001", "62.10"});
  ExpectRefused(admin_->AddUser("pulang", v1::DISTRICT_OFFICER, {kOther}, &token), {"62.11"});
  v1::ListUsersResponse users;
  ASSERT_TRUE(admin_->ListUsers(&users).ok());
  for (const v1::User& user : users.users()) {
    EXPECT_NE(user.name(), "budi");
    EXPECT_NE(user.name(), "pulang");
  }
}

TEST(ShardGuardFlagTest, BadRegionsAreNamed) {
  using server::ShardGuard;
  EXPECT_TRUE(ShardGuard::Parse("").ok());
  EXPECT_TRUE(ShardGuard::Parse("")->serves_everything());
  absl::StatusOr<ShardGuard> two = ShardGuard::Parse("62.11, 62.10,62.10");
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(two->Describe(), "62.10, 62.11");
  EXPECT_THAT(std::string(ShardGuard::Parse("62.10,,62.11").status().message()),
              HasSubstr("empty entry"));
  EXPECT_THAT(std::string(ShardGuard::Parse("62.10.01").status().message()),
              HasSubstr("62.10.01 is a kecamatan"));
  EXPECT_THAT(std::string(ShardGuard::Parse("6x.10").status().message()),
              HasSubstr("--serve_regions"));
  EXPECT_TRUE(two->CheckRead("62").ok());
  EXPECT_TRUE(two->CheckWrite("62.11.01.2001").ok());
  EXPECT_EQ(two->CheckWrite("62.12.01.2001").code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ShardGuardFlagTest, ServerRefusesToStartWithBadFlags) {
  TempDir dir;
  auto run = ServerProcess::RunToExit(
      ServerBinary(), {"--data_dir=" + dir.path() + "/a", "--listen=127.0.0.1:0",
                       "--serve_regions=62.10.01"});
  ASSERT_TRUE(run.ok());
  EXPECT_NE(run->first, 0);
  EXPECT_THAT(run->second, HasSubstr("--serve_regions: 62.10.01 is a kecamatan"));
  run = ServerProcess::RunToExit(ServerBinary(),
                                 {"--data_dir=" + dir.path() + "/b", "--listen=127.0.0.1:0",
                                  "--serve_regions=62.11", "--seed_region=62.10"});
  ASSERT_TRUE(run.ok());
  EXPECT_NE(run->first, 0);
  EXPECT_THAT(run->second, HasSubstr("--seed_region=62.10 is outside --serve_regions"));
}

}  // namespace
}  // namespace kawal::testing
