// What an operator sees of the real kawal-server process: systemd hears
// READY=1 once it serves, the metrics endpoint counts exactly the pushes the
// test made, and the JSON per-call log names users but never a token.
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/sha256.h"
#include "kawal/v1/photo.grpc.pb.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

constexpr char kPush[] = "/kawal.v1.SyncService/Push";

// The value of the series `series` (name with labels, as rendered) in a
// Prometheus text page; -1 when absent.
double Sample(const std::string& page, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    if (absl::StartsWith(line, series + " ")) {
      double value = -1;
      if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) return value;
    }
  }
  return -1;
}

class OpsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    notify_path_ = dir_.path() + "/notify.sock";
    notify_fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", notify_path_.c_str());
    ASSERT_EQ(::bind(notify_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    timeval tv{60, 0};  // a bound on a broken server, not a synchronization
    ::setsockopt(notify_fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setenv("NOTIFY_SOCKET", notify_path_.c_str(), 1);  // inherited by the server
    server_ = std::make_unique<ServerProcess>(
        dir_.path() + "/server",
        std::vector<std::string>{"--seed_region=62.10", "--metrics_listen=127.0.0.1:0",
                                 "--log_format=json"});
    absl::Status started = server_->Start();
    ::unsetenv("NOTIFY_SOCKET");
    ASSERT_TRUE(started.ok()) << server_->Stderr();
  }
  void TearDown() override { ::close(notify_fd_); }

  std::string ReceiveNotification() {
    char buffer[256];
    const ssize_t n = ::recv(notify_fd_, buffer, sizeof(buffer), 0);
    return n < 0 ? "(nothing within 60 s)" : std::string(buffer, static_cast<size_t>(n));
  }

  int MetricsPort() {
    const std::string log = server_->Stderr();
    const std::string marker = "metrics on http://127.0.0.1:";
    const size_t at = log.find(marker);
    if (at == std::string::npos) return 0;
    int port = 0;
    const size_t start = at + marker.size();
    absl::SimpleAtoi(log.substr(start, log.find('/', start) - start), &port);
    return port;
  }

  std::string Scrape(int port) {
    httplib::Client client("127.0.0.1", port);
    httplib::Result res = client.Get("/metrics");
    EXPECT_TRUE(res) << httplib::to_string(res.error());
    return res ? res->body : "";
  }

  TempDir dir_;
  std::string notify_path_;
  int notify_fd_ = -1;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(OpsE2eTest, ReadyMetricsAndOneJsonLinePerCallWithoutTheToken) {
  EXPECT_EQ(ReceiveNotification(), "READY=1");
  const int port = MetricsPort();
  ASSERT_GT(port, 0) << server_->Stderr();

  absl::StatusOr<std::string> admin_token = server_->AdminToken();
  ASSERT_TRUE(admin_token.ok()) << admin_token.status();
  TestClient admin(server_->address(), *admin_token);
  std::string token;
  ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {"62.10.01.2001"}, &token).ok());
  TestClient client(server_->address(), token);

  const std::string before = Scrape(port);
  const std::string ok_push = absl::StrCat("kawal_rpc_total{code=\"OK\",method=\"", kPush, "\"}");
  const double pushes_before = std::max(0.0, Sample(before, ok_push));
  sync::Clock clock(11);
  constexpr int kPushes = 5;
  for (int i = 0; i < kPushes; ++i) {
    v1::PushResponse response;
    ASSERT_TRUE(client
                    .Push(MakePush(11, {NewActivity(clock, absl::StrCat("act-", i),
                                                    "62.10.01.2001")}),
                          &response)
                    .ok());
  }
  const std::string after = Scrape(port);
  EXPECT_EQ(Sample(after, ok_push), pushes_before + kPushes) << after;
  EXPECT_EQ(Sample(after, absl::StrCat("kawal_records_received_total{method=\"", kPush, "\"}")),
            kPushes)
      << after;
  EXPECT_GE(Sample(after, "kawal_rocksdb_live_data_bytes"), 0) << after;
  EXPECT_GT(Sample(after, "kawal_rocksdb_memtable_bytes"), 0) << after;
  EXPECT_GE(Sample(after, "kawal_rocksdb_block_cache_bytes"), 0) << after;
  EXPECT_GE(Sample(after, "kawal_rocksdb_table_readers_bytes"), 0) << after;
  EXPECT_GE(Sample(after, "kawal_devices_seen_24h"), 0) << after;

  ASSERT_TRUE(server_->Stop().ok());
  const std::string log = server_->Stderr();
  EXPECT_EQ(log.find(token), std::string::npos) << "the facilitator's token is in the log";
  EXPECT_EQ(log.find(*admin_token), std::string::npos) << "the admin token is in the log";
  EXPECT_EQ(after.find(token), std::string::npos) << "a token is in the metrics";
  int push_lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, absl::StrCat("\"method\":\"", kPush, "\""))) {
      ++push_lines;
      EXPECT_TRUE(absl::StartsWith(line, "{") && absl::EndsWith(line, "}")) << line;
      EXPECT_TRUE(absl::StrContains(line, "\"user\":\"ani\"")) << line;
      EXPECT_TRUE(absl::StrContains(line, "\"code\":\"OK\"")) << line;
    }
  }
  EXPECT_EQ(push_lines, kPushes) << log;
}

// The photo-bytes counter counts content the photo store kept: one upload
// of N bytes moves it by N, whatever the record says (a sent-again photo,
// already complete, moves nothing).
TEST_F(OpsE2eTest, PhotoBytesStoredCountsTheUploadedContent) {
  const int port = MetricsPort();
  ASSERT_GT(port, 0) << server_->Stderr();
  TestClient admin(server_->address(), AdminTokenOf(*server_));
  std::string token;
  ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {"62.10.01.2001"}, &token).ok());
  TestClient client(server_->address(), token);

  std::string content(70001, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7919 % 251);
  const std::string sha256 = sync::Sha256Hex(content);
  sync::Clock clock(12);
  sync::RecordDelta photo;
  photo.collection = sync::kPhoto;
  photo.id = "photo-1";
  photo.scope = "62.10.01.2001";
  auto add = [&](const char* field, sync::Value value) {
    photo.changes.push_back(sync::FieldChange{field, std::move(value), clock.Now(), {}});
  };
  add("report_id", std::string("report-1"));
  add("activity_id", std::string("act-1"));
  add("sha256", sha256);
  add("stage", std::string("50"));
  add("size_bytes", static_cast<int64_t>(content.size()));
  add("content_type", std::string("image/jpeg"));
  v1::PushResponse pushed;
  ASSERT_TRUE(client.Push(MakePush(12, {photo}), &pushed).ok());

  const std::string series = "kawal_photo_bytes_stored_total";
  const double before = std::max(0.0, Sample(Scrape(port), series));
  auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  auto stub = v1::PhotoService::NewStub(channel);
  auto upload = [&]() {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    v1::UploadPhotoResponse response;
    auto writer = stub->UploadPhoto(&context, &response);
    v1::UploadPhotoRequest start;
    start.mutable_start()->mutable_photo()->set_record_id("photo-1");
    start.mutable_start()->mutable_photo()->set_sha256(sha256);
    start.mutable_start()->set_size(content.size());
    start.mutable_start()->set_content_type("image/jpeg");
    bool open = writer->Write(start);
    for (size_t at = 0; open && at < content.size(); at += 16384) {
      v1::UploadPhotoRequest message;
      message.set_data(content.substr(at, 16384));
      open = writer->Write(message);
    }
    if (open) writer->WritesDone();
    return writer->Finish();
  };
  grpc::Status s = upload();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Sample(Scrape(port), series), before + content.size());
  s = upload();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Sample(Scrape(port), series), before + content.size()) << "stored once";
}

TEST_F(OpsE2eTest, StoppingIsAnnounced) {
  EXPECT_EQ(ReceiveNotification(), "READY=1");
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_EQ(ReceiveNotification(), "STOPPING=1");
}

}  // namespace
}  // namespace kawal::testing
