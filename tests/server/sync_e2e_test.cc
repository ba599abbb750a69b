// End-to-end tests of kawal-server's SyncService against the real binary:
// first start, seeding, push/pull round trips, field-level pulls, echo
// suppression, replays, conflicts, clock skew, and the data-dir lock.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

constexpr char kDesaA[] = "62.10.01.2001";
constexpr char kDesaB[] = "62.10.01.2002";
constexpr uint64_t kDeviceA = 0xA1, kDeviceB = 0xB2;

class SyncE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/data",
                                              std::vector<std::string>{"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    absl::StatusOr<std::string> admin = server_->AdminToken();
    ASSERT_TRUE(admin.ok());
    admin_ = std::make_unique<TestClient>(server_->address(), *admin);
    std::string token;
    ASSERT_TRUE(admin_->AddUser("ani", v1::FACILITATOR, {kDesaA, kDesaB}, &token).ok());
    ani_ = std::make_unique<TestClient>(server_->address(), token);
    ASSERT_TRUE(admin_->AddUser("budi", v1::FACILITATOR, {kDesaA}, &token).ok());
    budi_ = std::make_unique<TestClient>(server_->address(), token);
  }

  static std::map<std::string, const v1::FieldState*> Fields(const v1::Record& r) {
    std::map<std::string, const v1::FieldState*> out;
    for (const auto& f : r.fields()) out[f.name()] = &f;
    return out;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<TestClient> admin_, ani_, budi_;
  sync::Clock clock_a_{kDeviceA}, clock_b_{kDeviceB};
};

TEST_F(SyncE2eTest, FirstStartWritesPrivateAdminTokenAndSeedsGunungMas) {
  struct stat st;
  ASSERT_EQ(::stat((server_->data_dir() + "/admin.token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  absl::StatusOr<std::string> token = server_->AdminToken();
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(server_->Stderr().find(*token), std::string::npos) << "token must never be logged";

  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin_->PullAll(0, {"62.10"}, &records, &cursor).ok());
  int desa = 0, kelurahan = 0;
  std::set<std::string> kecamatan;
  for (const auto& r : records) {
    ASSERT_EQ(r.collection(), "village");
    auto f = Fields(r);
    kecamatan.insert(f["kecamatan_code"]->value().string_value());
    (f["kind"]->value().string_value() == "kelurahan" ? kelurahan : desa)++;
  }
  EXPECT_EQ(desa, 114);
  EXPECT_EQ(kelurahan, 13);
  EXPECT_EQ(kecamatan.size(), 12u);
}

TEST_F(SyncE2eTest, HandshakeReportsIdentityLimitsAndScopes) {
  v1::HandshakeRequest request;
  request.set_device_node(kDeviceA);
  v1::HandshakeResponse response;
  ASSERT_TRUE(ani_->Handshake(request, &response).ok());
  EXPECT_EQ(response.incarnation().size(), 32u);
  EXPECT_EQ(response.role(), "facilitator");
  EXPECT_EQ(response.user(), "ani");
  EXPECT_EQ(response.scopes_size(), 2);
  EXPECT_EQ(response.limits().max_batch(), 500u);
  EXPECT_EQ(response.limits().max_clock_skew_ms(), 600000);
  EXPECT_GT(response.server_time_ms(), 1'700'000'000'000);
}

TEST_F(SyncE2eTest, PushThenPullRoundTripsAndSendsOnlyChangedFields) {
  v1::PushResponse pushed;
  ASSERT_TRUE(ani_->Push(MakePush(kDeviceA, {NewActivity(clock_a_, "act-1", kDesaA)}), &pushed).ok());
  ASSERT_EQ(pushed.results_size(), 1);
  ASSERT_TRUE(pushed.results(0).applied()) << pushed.results(0).message();
  EXPECT_TRUE(pushed.results(0).in_sync());

  // Device B (budi) has never seen it: whole record.
  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(budi_->PullAll(kDeviceB, {kDesaA}, &records, &cursor).ok());
  std::vector<v1::Record> activities;
  for (auto& r : records) {
    if (r.collection() == "activity") activities.push_back(r);
  }
  ASSERT_EQ(activities.size(), 1u);
  EXPECT_TRUE(activities[0].whole());
  EXPECT_EQ(activities[0].fields_size(), 7);
  // Server bookkeeping (kawal.storage.v1.StoredRecord) never leaves the
  // server: nothing beyond the wire contract's fields arrives.
  EXPECT_EQ(activities[0].GetReflection()->GetUnknownFields(activities[0]).field_count(), 0);

  // B edits one field; A pulls from its cursor and gets only that field.
  std::string cursor_a;
  std::vector<v1::Record> ignored;
  ASSERT_TRUE(ani_->PullAll(kDeviceA, {kDesaA}, &ignored, &cursor_a).ok());
  auto fields = Fields(activities[0]);
  auto edit = EditField(clock_b_, "activity", "act-1", kDesaA, "physical_progress_pct", 40.0,
                        sync::FromProto(fields["physical_progress_pct"]->stamp()));
  edit.known_seq = activities[0].seq();
  ASSERT_TRUE(budi_->Push(MakePush(kDeviceB, {edit}), &pushed).ok());
  ASSERT_TRUE(pushed.results(0).applied());
  std::vector<v1::Record> changed;
  ASSERT_TRUE(ani_->PullAll(kDeviceA, {kDesaA}, &changed, &cursor_a).ok());
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_FALSE(changed[0].whole());
  // The version A must hold to complete it (A holds it: no whole fetch).
  EXPECT_EQ(changed[0].partial_since(), activities[0].seq());
  ASSERT_EQ(changed[0].fields_size(), 1);
  EXPECT_EQ(changed[0].fields(0).name(), "physical_progress_pct");
  EXPECT_DOUBLE_EQ(changed[0].fields(0).value().double_value(), 40.0);
}

TEST_F(SyncE2eTest, OwnInSyncWritesAreNotEchoedBack) {
  std::string cursor;
  std::vector<v1::Record> records;
  ASSERT_TRUE(ani_->PullAll(kDeviceA, {kDesaA}, &records, &cursor).ok());
  v1::PushResponse pushed;
  ASSERT_TRUE(ani_->Push(MakePush(kDeviceA, {NewActivity(clock_a_, "act-echo", kDesaA)}), &pushed).ok());
  ASSERT_TRUE(pushed.results(0).in_sync());
  records.clear();
  ASSERT_TRUE(ani_->PullAll(kDeviceA, {kDesaA}, &records, &cursor).ok());
  EXPECT_TRUE(records.empty()) << "device A already holds its own write";
  records.clear();
  std::string cursor_b;
  ASSERT_TRUE(budi_->PullAll(kDeviceB, {kDesaA}, &records, &cursor_b).ok());
  bool found = false;
  for (const auto& r : records) found |= r.id() == "act-echo";
  EXPECT_TRUE(found) << "other devices do get it";
}

TEST_F(SyncE2eTest, ReplayedBatchChangesNothing) {
  auto batch = MakePush(kDeviceA, {NewActivity(clock_a_, "act-r1", kDesaA),
                                   NewActivity(clock_a_, "act-r2", kDesaB)});
  v1::PushResponse first, second;
  ASSERT_TRUE(ani_->Push(batch, &first).ok());
  std::vector<v1::Record> before;
  std::string cursor;
  ASSERT_TRUE(admin_->PullAll(0, {"62.10"}, &before, &cursor).ok());
  ASSERT_TRUE(ani_->Push(batch, &second).ok());
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(second.results(i).applied());
    EXPECT_EQ(second.results(i).seq(), first.results(i).seq()) << "no new version";
  }
  std::vector<v1::Record> after;
  std::string cursor2;
  ASSERT_TRUE(admin_->PullAll(0, {"62.10"}, &after, &cursor2).ok());
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(CanonicalBytes(before[i]), CanonicalBytes(after[i]));
  }
  // Nothing changed since the first pull's cursor either.
  std::vector<v1::Record> since;
  ASSERT_TRUE(admin_->PullAll(0, {"62.10"}, &since, &cursor).ok());
  EXPECT_TRUE(since.empty());
}

TEST_F(SyncE2eTest, ConcurrentSameFieldEditsYieldOneConflictVisibleToTheScope) {
  v1::PushResponse pushed;
  auto create = NewActivity(clock_a_, "act-c", kDesaA);
  ASSERT_TRUE(ani_->Push(MakePush(kDeviceA, {create}), &pushed).ok());
  sync::Stamp base;
  for (const auto& c : create.changes) {
    if (c.name == "status") base = c.stamp;
  }
  auto a = EditField(clock_a_, "activity", "act-c", kDesaA, "status", std::string("in_progress"), base);
  auto b = EditField(clock_b_, "activity", "act-c", kDesaA, "status", std::string("stalled"), base);
  ASSERT_TRUE(ani_->Push(MakePush(kDeviceA, {a}), &pushed).ok());
  ASSERT_TRUE(budi_->Push(MakePush(kDeviceB, {b}), &pushed).ok());
  ASSERT_TRUE(budi_->Push(MakePush(kDeviceB, {b}), &pushed).ok());  // replay
  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(budi_->PullAll(kDeviceB, {kDesaA}, &records, &cursor).ok());
  int conflicts = 0;
  for (const auto& r : records) {
    if (r.collection() != "conflict") continue;
    ++conflicts;
    auto f = Fields(r);
    EXPECT_EQ(f["record_id"]->value().string_value(), "act-c");
    EXPECT_EQ(f["field"]->value().string_value(), "status");
    EXPECT_EQ(r.scope(), kDesaA);
  }
  EXPECT_EQ(conflicts, 1);
}

TEST_F(SyncE2eTest, WriteStampedFarAheadIsRejectedWithTheSkew) {
  int64_t year_ahead = sync::SystemTimeMs() + 365LL * 24 * 3600 * 1000;
  sync::Clock future(kDeviceA, [&] { return year_ahead; });
  auto good = NewActivity(clock_a_, "act-ok", kDesaA);
  auto bad = NewActivity(future, "act-future", kDesaA);
  v1::PushResponse pushed;
  ASSERT_TRUE(ani_->Push(MakePush(kDeviceA, {good, bad}), &pushed).ok());
  EXPECT_TRUE(pushed.results(0).applied());
  EXPECT_FALSE(pushed.results(1).applied());
  EXPECT_EQ(pushed.results(1).reason(), v1::CLOCK_AHEAD);
  EXPECT_NE(pushed.results(1).message().find("ahead of server time"), std::string::npos)
      << pushed.results(1).message();
}

TEST_F(SyncE2eTest, SecondServerOnSameDataDirFailsAtOnce) {
  absl::StatusOr<std::pair<int, std::string>> second = ServerProcess::RunToExit(
      ServerBinary(), {"--data_dir=" + server_->data_dir(), "--listen=127.0.0.1:0"});
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->first, 0);
  EXPECT_NE(second->second.find("in use by another kawal-server"), std::string::npos)
      << second->second;
}

TEST_F(SyncE2eTest, SigtermStopsCleanlyAndDataSurvives) {
  v1::PushResponse pushed;
  ASSERT_TRUE(ani_->Push(MakePush(kDeviceA, {NewActivity(clock_a_, "act-s", kDesaA)}), &pushed).ok());
  absl::StatusOr<int> code = server_->Stop();
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0);
  EXPECT_NE(server_->Stderr().find("stopped cleanly"), std::string::npos);
  ASSERT_TRUE(server_->Start().ok());
  TestClient admin = AdminClient(*server_);
  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin.PullAll(0, {kDesaA}, &records, &cursor).ok());
  bool found = false;
  for (const auto& r : records) found |= r.id() == "act-s";
  EXPECT_TRUE(found);
}

TEST_F(SyncE2eTest, GzipCompressedRequestsAreAccepted) {
  auto context = ani_->Context();
  context->set_compression_algorithm(GRPC_COMPRESS_GZIP);
  v1::PushResponse pushed;
  grpc::Status status = ani_->sync()->Push(
      context.get(), MakePush(kDeviceA, {NewActivity(clock_a_, "act-gz", kDesaA)}), &pushed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(pushed.results(0).applied());
}

TEST_F(SyncE2eTest, HealthServiceSaysServing) {
  auto stub = grpc::health::v1::Health::NewStub(admin_->channel());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(ServerFlagsTest, PlaintextOnANonLoopbackAddressIsRefused) {
  TempDir dir;
  auto result = ServerProcess::RunToExit(
      ServerBinary(), {"--data_dir=" + dir.path() + "/data", "--listen=0.0.0.0:0"});
  ASSERT_TRUE(result.ok());
  EXPECT_NE(result->first, 0);
  EXPECT_NE(result->second.find("refusing plaintext on non-loopback address"), std::string::npos)
      << result->second;
}

TEST(ServerFlagsTest, UnknownSeedRegionIsAClearError) {
  TempDir dir;
  auto result = ServerProcess::RunToExit(
      ServerBinary(),
      {"--data_dir=" + dir.path() + "/data", "--listen=127.0.0.1:0", "--seed_region=99.99"});
  ASSERT_TRUE(result.ok());
  EXPECT_NE(result->first, 0);
  EXPECT_NE(result->second.find("99.99"), std::string::npos) << result->second;
}

}  // namespace
}  // namespace kawal::testing
