// Error messages quote at most a short, escaped prefix of what a client
// sent: a push or pull naming a 100 KB scope gets a short answer (it used
// to repeat the whole value, 100,093 characters), and nothing is stored.
#include <string>

#include "gtest/gtest.h"
#include "kawal/sync/clock.h"
#include "kawal/v1/photo.grpc.pb.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

constexpr size_t kHuge = 100 * 1000;
constexpr size_t kShortMessage = 300;

class ClientValueQuotingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server",
                                              std::vector<std::string>{"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    absl::StatusOr<std::string> admin_token = server_->AdminToken();
    ASSERT_TRUE(admin_token.ok()) << admin_token.status();
    TestClient admin(server_->address(), *admin_token);
    std::string token;
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {"62.10.01.2001"}, &token).ok());
    client_ = std::make_unique<TestClient>(server_->address(), token);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<TestClient> client_;
  sync::Clock clock_{7};
};

TEST_F(ClientValueQuotingTest, AHugeScopeInAPushGetsAShortAnswer) {
  const std::string scope = "62.10.01.2001" + std::string(kHuge, '9');
  v1::PushResponse response;
  grpc::Status status =
      client_->Push(MakePush(7, {NewActivity(clock_, "act-huge", scope)}), &response);
  std::string message = status.error_message();
  for (const v1::PushResult& result : response.results()) message += result.message();
  EXPECT_FALSE(message.empty());
  EXPECT_LT(message.size(), kShortMessage) << message.substr(0, 1000);
  EXPECT_NE(message.find("..."), std::string::npos) << message.substr(0, 1000);

  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(client_->PullAll(7, {"62.10.01.2001"}, &records, &cursor).ok());
  EXPECT_TRUE(records.empty());
}

TEST_F(ClientValueQuotingTest, AHugeScopeInAPullGetsAShortAnswer) {
  v1::PullRequest request;
  request.set_device_node(7);
  request.add_scopes(std::string(kHuge, '6'));
  v1::PullResponse response;
  grpc::Status status = client_->Pull(request, &response);
  EXPECT_FALSE(status.ok());
  EXPECT_LT(status.error_message().size(), kShortMessage)
      << status.error_message().substr(0, 1000);
}

TEST_F(ClientValueQuotingTest, TwoDeltasForAHugeIdGetAShortAnswer) {
  const std::string id(kHuge, 'x');
  v1::PushResponse response;
  grpc::Status status = client_->Push(
      MakePush(7, {NewActivity(clock_, id, "62.10.01.2001"),
                   NewActivity(clock_, id, "62.10.01.2001")}),
      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LT(status.error_message().size(), kShortMessage)
      << status.error_message().substr(0, 1000);
}

TEST_F(ClientValueQuotingTest, AHugePhotoRecordIdGetsAShortAnswer) {
  auto photos = v1::PhotoService::NewStub(client_->channel());
  v1::PhotoStatusRequest request;
  v1::PhotoRef* ref = request.add_photos();
  ref->set_record_id(std::string(kHuge, 'p'));
  ref->set_sha256(std::string(kHuge, 'a'));
  v1::PhotoStatusResponse response;
  std::unique_ptr<grpc::ClientContext> context = client_->Context();
  grpc::Status status = photos->PhotoStatus(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LT(status.error_message().size(), kShortMessage)
      << status.error_message().substr(0, 1000);
}

}  // namespace
}  // namespace kawal::testing
