// Tests for server/ops/rpc_observer.cc with a real gRPC server on 127.0.0.1:
// each call moves the counters by one, its log line names the user (never
// the token) and the sizes, and client-supplied values are cut short.
#include "ops/rpc_observer.h"

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "kawal/v1/sync.grpc.pb.h"

namespace kawal::server::ops {
namespace {

constexpr char kToken[] = "kwl_secret_token_never_logged_0123456789";

// Push answers OK after naming its user; Pull always refuses.
class FakeSyncService final : public v1::SyncService::Service {
  grpc::Status Push(grpc::ServerContext* context, const v1::PushRequest* request,
                    v1::PushResponse* response) override {
    RpcObserver::NoteUser(context, "pld-gunungmas-01");
    for (int i = 0; i < request->deltas_size(); ++i) response->add_results();
    return grpc::Status::OK;
  }
  grpc::Status Pull(grpc::ServerContext*, const v1::PullRequest*, v1::PullResponse*) override {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not your scope");
  }
};

class RpcObserverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(std::make_unique<RpcObserver>(
        &registry_, LogFormat::kJson, [this](const std::string& line) {
          absl::MutexLock lock(&mu_);
          lines_.push_back(line);
        }));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    builder.experimental().SetInterceptorCreators(std::move(factories));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::SyncService::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                                         grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_->Shutdown(); }

  grpc::Status Push(int deltas, const std::string& region) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    if (!region.empty()) context.AddMetadata("x-kawal-region", region);
    v1::PushRequest request;
    for (int i = 0; i < deltas; ++i) request.add_deltas()->set_id(absl::StrCat("id", i));
    v1::PushResponse response;
    return stub_->Push(&context, request, &response);
  }
  // The log lines so far. The server writes a call's line before the
  // client sees its status, so no waiting is needed.
  std::vector<std::string> Lines() {
    absl::MutexLock lock(&mu_);
    return lines_;
  }

  MetricsRegistry registry_;
  FakeSyncService service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::SyncService::Stub> stub_;
  absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
};

TEST_F(RpcObserverTest, EachPushMovesTheCountersByOne) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Push(4, "62.10").ok());
  const std::string text = registry_.Render();
  EXPECT_NE(text.find("kawal_rpc_total{code=\"OK\",method=\"/kawal.v1.SyncService/Push\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("kawal_records_received_total{method=\"/kawal.v1.SyncService/Push\"} 12\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("kawal_rpc_duration_seconds_count{method=\"/kawal.v1.SyncService/Push\"} 3\n"),
      std::string::npos)
      << text;
}

TEST_F(RpcObserverTest, ErrorsAreCountedByCode) {
  grpc::ClientContext context;
  v1::PullResponse response;
  EXPECT_EQ(stub_->Pull(&context, v1::PullRequest(), &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(registry_.Render().find("kawal_rpc_total{code=\"PERMISSION_DENIED\",method=\"/"
                                    "kawal.v1.SyncService/Pull\"} 1\n"),
            std::string::npos);
}

TEST_F(RpcObserverTest, OneJsonLinePerCallNamingTheUserNeverTheToken) {
  ASSERT_TRUE(Push(2, "62.10").ok());
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  const std::string& line = lines[0];
  EXPECT_EQ(line.front(), '{');
  EXPECT_EQ(line.back(), '}');
  for (const char* part :
       {"\"method\":\"/kawal.v1.SyncService/Push\"", "\"user\":\"pld-gunungmas-01\"",
        "\"region\":\"62.10\"", "\"code\":\"OK\"", "\"records_in\":2", "\"duration_ms\":"}) {
    EXPECT_NE(line.find(part), std::string::npos) << part << " in " << line;
  }
  EXPECT_EQ(line.find(kToken), std::string::npos);
  EXPECT_EQ(line.find("Bearer"), std::string::npos);
}

TEST_F(RpcObserverTest, AHugeRegionHeaderIsCutAndEscaped) {
  // gRPC refuses metadata over 8 KiB itself; 4,000 characters reach the server.
  ASSERT_TRUE(Push(1, std::string(4000, '6') + "\"x").ok());
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_LT(lines[0].size(), 400u) << lines[0];
  EXPECT_NE(lines[0].find("\"region\":\"" + std::string(32, '6') + "...\""), std::string::npos)
      << lines[0];
}

TEST(FormatRpcLogLineTest, TextFormatIsKeyValue) {
  RpcLogLine line;
  line.method = "/kawal.v1.SyncService/Pull";
  line.code = "OK";
  line.records_out = 7;
  const std::string text = FormatRpcLogLine(line, LogFormat::kText);
  EXPECT_NE(text.find(" rpc method=/kawal.v1.SyncService/Pull user=- region=- code=OK "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("records_out=7"), std::string::npos) << text;
}

}  // namespace
}  // namespace kawal::server::ops
