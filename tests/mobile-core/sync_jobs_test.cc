// Unit tests for the jobs of a sync (mobile-core/src/pusher.cc, puller.cc)
// against a fake SyncService on 127.0.0.1 whose answers each test scripts:
// the Pusher acknowledges only what did not change in flight, keeps refused
// writes as rejections and honours the batch limit; the Puller saves the
// cursor with each page, asks again for the same page after a failure, asks
// for a record whole only when its copy cannot be completed, and applies
// nothing from a server restored during the sync. The PhotoUploader resumes
// at the server's offset in bounded calls, records first. RestoreRecovery
// re-stamps writes made while the device clock was ahead of the server's.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "device_core.h"
#include "kawal/sync/schema.h"
#include "kawal/v1/photo.grpc.pb.h"
#include "kawal/v1/sync.grpc.pb.h"
#include "photo_uploader.h"
#include "puller.h"
#include "pusher.h"
#include "restore_recovery.h"
#include "server_process.h"
#include "status_assert.h"
#include "sync_link.h"

namespace kawal::mobile {
namespace {

using kawal::testing::TempDir;

constexpr char kDesa[] = "62.10.01.2001";
constexpr char kIncarnation[] = "inc-1";
constexpr uint64_t kServerNode = 0x5e5e;

FieldValues Activity(const std::string& name) {
  return {{"name", name}, {"year", int64_t{2026}}, {"sector", int64_t{2}},
          {"status", std::string("planned")}};
}

// A SyncService whose Push and Pull answer as the test says; it records
// every request.
class FakeSync final : public v1::SyncService::Service {
 public:
  using PushHandler = std::function<grpc::Status(const v1::PushRequest&, v1::PushResponse*)>;
  using PullHandler = std::function<grpc::Status(const v1::PullRequest&, v1::PullResponse*)>;

  void OnPush(PushHandler handler) { push_ = std::move(handler); }
  void OnPull(PullHandler handler) { pull_ = std::move(handler); }
  std::vector<v1::PushRequest> pushes() {
    absl::MutexLock lock(&mu_);
    return pushes_;
  }
  std::vector<v1::PullRequest> pulls() {
    absl::MutexLock lock(&mu_);
    return pulls_;
  }

  grpc::Status Push(grpc::ServerContext*, const v1::PushRequest* request,
                    v1::PushResponse* response) override {
    {
      absl::MutexLock lock(&mu_);
      pushes_.push_back(*request);
    }
    return push_(*request, response);
  }
  grpc::Status Pull(grpc::ServerContext*, const v1::PullRequest* request,
                    v1::PullResponse* response) override {
    {
      absl::MutexLock lock(&mu_);
      pulls_.push_back(*request);
    }
    return pull_(*request, response);
  }

 private:
  PushHandler push_;
  PullHandler pull_;
  absl::Mutex mu_;
  std::vector<v1::PushRequest> pushes_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::PullRequest> pulls_ ABSL_GUARDED_BY(mu_);
};

// A PhotoService holding one photo's bytes as they arrive, from what Hold()
// says it stored before (an upload a cut interrupted). Its log of events
// also takes the test's own (Log).
class FakePhotos final : public v1::PhotoService::Service {
 public:
  void Hold(std::string stored) {
    absl::MutexLock lock(&mu_);
    bytes_ = std::move(stored);
  }
  std::string bytes() {
    absl::MutexLock lock(&mu_);
    return bytes_;
  }
  void Log(std::string event) {
    absl::MutexLock lock(&mu_);
    events_.push_back(std::move(event));
  }
  std::vector<std::string> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }

  grpc::Status PhotoStatus(grpc::ServerContext*, const v1::PhotoStatusRequest* request,
                           v1::PhotoStatusResponse* response) override {
    absl::MutexLock lock(&mu_);
    for (const v1::PhotoRef& ref : request->photos()) {
      v1::PhotoStatusEntry* entry = response->add_photos();
      entry->set_sha256(ref.sha256());
      entry->set_state(bytes_.empty() ? v1::PHOTO_MISSING : v1::PHOTO_PARTIAL);
      entry->set_received_offset(bytes_.size());
    }
    return grpc::Status::OK;
  }
  grpc::Status UploadPhoto(grpc::ServerContext*, grpc::ServerReader<v1::UploadPhotoRequest>* reader,
                           v1::UploadPhotoResponse* response) override {
    v1::UploadPhotoRequest message;
    uint64_t size = 0;
    absl::MutexLock lock(&mu_);
    while (reader->Read(&message)) {
      if (message.has_start()) {
        if (message.start().offset() != bytes_.size()) {
          return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "wrong offset");
        }
        size = message.start().size();
        events_.push_back("upload from " + std::to_string(message.start().offset()));
        continue;
      }
      bytes_ += message.data();
    }
    response->set_received_offset(bytes_.size());
    response->set_complete(size > 0 && bytes_.size() == size);
    return grpc::Status::OK;
  }

 private:
  absl::Mutex mu_;
  std::string bytes_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> events_ ABSL_GUARDED_BY(mu_);
};

// Applies every delta of a push, in sync, at consecutive sequences.
grpc::Status AcceptAll(const v1::PushRequest& request, v1::PushResponse* response,
                       uint64_t* seq) {
  response->set_incarnation(kIncarnation);
  for (const v1::RecordDelta& delta : request.deltas()) {
    v1::PushResult* result = response->add_results();
    result->set_collection(delta.collection());
    result->set_id(delta.id());
    result->set_applied(true);
    result->set_in_sync(true);
    result->set_seq(++*seq);
  }
  return grpc::Status::OK;
}

// An activity as the server sends it: whole, or only the changes after
// `partial_since`.
v1::Record ServerActivity(const std::string& id, const std::string& name, uint64_t seq,
                          uint64_t partial_since = 0) {
  v1::Record record;
  record.set_collection("activity");
  record.set_id(id);
  record.set_scope(kDesa);
  record.set_seq(seq);
  record.set_created_seq(1);
  record.set_whole(partial_since == 0);
  record.set_partial_since(partial_since);
  auto add = [&](const std::string& field, auto set_value) {
    v1::FieldState* f = record.add_fields();
    f->set_name(field);
    set_value(f->mutable_value());
    f->mutable_stamp()->set_wall_ms(1700000000000 + static_cast<int64_t>(seq));
    f->mutable_stamp()->set_node(kServerNode);
    f->set_changed_seq(seq);
  };
  add("name", [&](v1::Value* v) { v->set_string_value(name); });
  if (partial_since == 0) {
    add("year", [](v1::Value* v) { v->set_int_value(2026); });
    add("sector", [](v1::Value* v) { v->set_int_value(2); });
    add("status", [](v1::Value* v) { v->set_string_value("planned"); });
  }
  return record;
}

class SyncJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&fake_);
    builder.RegisterService(&photos_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    address_ = "127.0.0.1:" + std::to_string(port);

    DeviceOptions options;
    options.home = dir_.path();
    auto core = DeviceCore::Open(options);
    ASSERT_TRUE(core.ok()) << core.status();
    core_ = *std::move(core);
    device::v1::DeviceState state = core_->State();
    state.set_server(address_);
    state.set_token("kd1_test");
    state.set_incarnation(kIncarnation);
    ASSERT_TRUE(core_->SaveState(state).ok());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // A link whose server takes at most `max_batch` records per push (the
  // device would send 100).
  std::unique_ptr<SyncLink> LinkWithMaxBatch(uint32_t max_batch) {
    SyncOptions options;
    options.push_batch = 100;
    v1::Limits limits;
    limits.set_max_batch(max_batch);
    return Link(options, limits);
  }

  // A link to the fake server, as after a handshake with `limits`.
  std::unique_ptr<SyncLink> Link(SyncOptions options, const v1::Limits& limits = {}) {
    options.backoff_base_ms = 1;  // retries here test the logic, not the wait
    options.backoff_cap_ms = 2;
    auto link = std::make_unique<SyncLink>(*core_, options, nullptr);
    device::v1::DeviceState state;
    state.set_server(address_);  // loopback: plaintext
    EXPECT_TRUE(link->Connect(state).ok());
    v1::HandshakeResponse handshake;
    *handshake.mutable_limits() = limits;
    handshake.set_incarnation(kIncarnation);
    link->SetHandshake(handshake);
    return link;
  }

  std::string Create(const std::string& name) {
    std::string id = NewRecordId();
    absl::Status s = core_->Write({LocalWrite{"activity", id, kDesa, Activity(name)}}).status();
    EXPECT_TRUE(s.ok()) << s;
    return id;
  }

  TempDir dir_;
  FakeSync fake_;
  FakePhotos photos_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::unique_ptr<DeviceCore> core_;
};

TEST_F(SyncJobsTest, PusherAcknowledgesOnlyFieldsUnchangedInFlight) {
  const std::string id = Create("Jalan");
  uint64_t seq = 0;
  fake_.OnPush([&](const v1::PushRequest& request, v1::PushResponse* response) {
    // The facilitator renames the activity while the push is on the wire.
    absl::Status s = core_->Write(
        {LocalWrite{"activity", id, "", {{"name", std::string("Jalan desa")}}, false, true}})
                         .status();
    EXPECT_TRUE(s.ok()) << s;
    return AcceptAll(request, response, &seq);
  });
  auto link = Link(SyncOptions{});
  Pusher pusher(*core_, *link);
  ASSERT_TRUE(pusher.PushAll().ok());

  EXPECT_EQ(link->report().pushed, 1u);
  auto pending = core_->store().GetPending("activity", id);
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_TRUE(pending->has_value()) << "the rename was never sent: it must stay pending";
  std::vector<std::string> left;
  for (const auto& c : (*pending)->delta().changes()) left.push_back(c.name());
  EXPECT_EQ(left, std::vector<std::string>{"name"});
  EXPECT_EQ((*pending)->delta().changes(0).value().string_value(), "Jalan desa");
}

TEST_F(SyncJobsTest, PusherKeepsARefusedWriteAsARejection) {
  const std::string id = Create("Jalan");
  fake_.OnPush([&](const v1::PushRequest& request, v1::PushResponse* response) {
    response->set_incarnation(kIncarnation);
    v1::PushResult* result = response->add_results();
    result->set_collection(request.deltas(0).collection());
    result->set_id(request.deltas(0).id());
    result->set_applied(false);
    result->set_reason(v1::SCOPE_DENIED);
    result->set_message("not your desa");
    return grpc::Status::OK;
  });
  auto link = Link(SyncOptions{});
  Pusher pusher(*core_, *link);
  ASSERT_TRUE(pusher.PushAll().ok());

  EXPECT_EQ(link->report().rejected, 1u);
  EXPECT_EQ(*core_->PendingCount(), 0u);
  auto rejection = core_->store().GetRejection("activity", id);
  ASSERT_TRUE(rejection.ok()) << rejection.status();
  ASSERT_TRUE(rejection->has_value());
  EXPECT_EQ((*rejection)->reason(), v1::SCOPE_DENIED);
  EXPECT_EQ((*rejection)->message(), "not your desa");
  EXPECT_TRUE(core_->store().GetRecord("activity", id)->Visible()) << "kept locally";
}

TEST_F(SyncJobsTest, PusherSendsBatchesWithinTheServersLimit) {
  for (int i = 0; i < 5; ++i) Create("Jalan " + std::to_string(i));
  uint64_t seq = 0;
  fake_.OnPush([&](const v1::PushRequest& request, v1::PushResponse* response) {
    return AcceptAll(request, response, &seq);
  });
  auto link = LinkWithMaxBatch(2);
  Pusher pusher(*core_, *link);
  ASSERT_TRUE(pusher.PushAll().ok());

  std::vector<v1::PushRequest> pushes = fake_.pushes();
  ASSERT_EQ(pushes.size(), 3u);
  for (const v1::PushRequest& request : pushes) {
    EXPECT_LE(request.deltas_size(), 2);
    EXPECT_EQ(request.incarnation(), kIncarnation);
    EXPECT_EQ(request.device_node(), core_->node());
  }
  EXPECT_EQ(link->report().pushed, 5u);
  EXPECT_EQ(*core_->PendingCount(), 0u);
}

// When a batch fails, exactly the answered batches are acknowledged.
TEST_F(SyncJobsTest, PusherAcknowledgesOnlyAnsweredBatches) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(Create("Jalan " + std::to_string(i)));
  uint64_t seq = 0;
  int calls = 0;
  fake_.OnPush([&](const v1::PushRequest& request, v1::PushResponse* response) {
    if (++calls > 1) return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "revoked");
    return AcceptAll(request, response, &seq);
  });
  auto link = LinkWithMaxBatch(2);
  Pusher pusher(*core_, *link);
  EXPECT_EQ(pusher.PushAll().code(), absl::StatusCode::kPermissionDenied);

  EXPECT_EQ(link->report().pushed, 2u);
  EXPECT_EQ(*core_->PendingCount(), 2u);
  std::set<std::string> acknowledged;
  for (const std::string& id : ids) {
    ASSERT_OK_AND_ASSIGN(sync::RecordState r, core_->store().GetRecord("activity", id));
    ASSERT_OK_AND_ASSIGN(auto pending, core_->store().GetPending("activity", id));
    EXPECT_EQ(r.seq > 0, !pending.has_value()) << id;
    if (r.seq > 0) acknowledged.insert(id);
  }
  const std::vector<v1::PushRequest> pushes = fake_.pushes();
  ASSERT_GE(pushes.size(), 1u);
  std::set<std::string> first;
  for (const auto& d : pushes[0].deltas()) first.insert(d.id());
  EXPECT_EQ(acknowledged, first);
}

TEST_F(SyncJobsTest, PullerSavesTheCursorWithEachPage) {
  fake_.OnPull([&](const v1::PullRequest& request, v1::PullResponse* response) {
    response->set_incarnation(kIncarnation);
    if (request.cursor().empty()) {
      *response->add_records() = ServerActivity("a1", "Jalan", 1);
      response->set_cursor("c1");
      response->set_has_more(true);
    } else {
      // The first page and its cursor are durable before the second is asked.
      EXPECT_EQ(request.cursor(), "c1");
      EXPECT_EQ(core_->State().cursor(), "c1");
      EXPECT_TRUE(core_->store().GetRecord("activity", "a1")->Visible());
      *response->add_records() = ServerActivity("a2", "Sumur", 2);
      response->set_cursor("c2");
    }
    return grpc::Status::OK;
  });
  auto link = Link(SyncOptions{});
  Puller puller(*core_, *link);
  ASSERT_TRUE(puller.PullAll().ok());

  EXPECT_EQ(fake_.pulls().size(), 2u);
  EXPECT_EQ(core_->State().cursor(), "c2");
  EXPECT_EQ(link->report().pulled, 2u);
  auto a2 = core_->store().GetRecord("activity", "a2");
  ASSERT_TRUE(a2.ok()) << a2.status();
  EXPECT_EQ(a2->GetString("name"), "Sumur");
}

// When a page fails, what is committed is exactly the pages before it,
// each with its cursor.
TEST_F(SyncJobsTest, PullerKeepsTheCommittedPagesWhenTheNextFails) {
  fake_.OnPull([&](const v1::PullRequest& request, v1::PullResponse* response) {
    response->set_incarnation(kIncarnation);
    if (!request.cursor().empty()) return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no");
    *response->add_records() = ServerActivity("a1", "Jalan", 1);
    response->set_cursor("c1");
    response->set_has_more(true);
    return grpc::Status::OK;
  });
  auto link = Link(SyncOptions{});
  Puller puller(*core_, *link);
  EXPECT_EQ(puller.PullAll().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(core_->State().cursor(), "c1");
  EXPECT_TRUE(core_->store().GetRecord("activity", "a1")->Visible());
  EXPECT_EQ(link->report().pulled, 1u);
}

TEST_F(SyncJobsTest, PullerAsksForTheSamePageAgainAfterAFailure) {
  int calls = 0;
  fake_.OnPull([&](const v1::PullRequest& request, v1::PullResponse* response) {
    response->set_incarnation(kIncarnation);
    ++calls;
    if (request.cursor().empty()) {
      *response->add_records() = ServerActivity("a1", "Jalan", 1);
      response->set_cursor("c1");
      response->set_has_more(true);
      return grpc::Status::OK;
    }
    if (calls == 2) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "link cut");
    *response->add_records() = ServerActivity("a2", "Sumur", 2);
    response->set_cursor("c2");
    return grpc::Status::OK;
  });
  SyncOptions options;
  options.pull_page = 100;
  auto link = Link(options);
  Puller puller(*core_, *link);
  ASSERT_TRUE(puller.PullAll().ok());

  std::vector<v1::PullRequest> pulls = fake_.pulls();
  ASSERT_EQ(pulls.size(), 3u);
  EXPECT_EQ(pulls[1].cursor(), "c1");
  EXPECT_EQ(pulls[2].cursor(), "c1") << "the failed page is asked for again";
  EXPECT_LT(pulls[2].max_records(), pulls[1].max_records()) << "and smaller";
  EXPECT_EQ(link->report().retries, 1);
  EXPECT_EQ(core_->State().cursor(), "c2");
}

TEST_F(SyncJobsTest, PullerAsksForARecordWholeOnlyWhenItsCopyCannotBeCompleted) {
  // The device holds a1 up to seq 5 and has never seen a2.
  fake_.OnPull([&](const v1::PullRequest&, v1::PullResponse* response) {
    response->set_incarnation(kIncarnation);
    *response->add_records() = ServerActivity("a1", "Jalan", 5);
    response->set_cursor("c1");
    return grpc::Status::OK;
  });
  auto link = Link(SyncOptions{});
  ASSERT_TRUE(Puller(*core_, *link).PullAll().ok());

  fake_.OnPull([&](const v1::PullRequest& request, v1::PullResponse* response) {
    response->set_incarnation(kIncarnation);
    // Changes after seq 4: a1's copy (seq 5) completes it, a2 has no copy.
    *response->add_records() = ServerActivity("a1", "Jalan raya", 6, 4);
    *response->add_records() = ServerActivity("a2", "Sumur bor", 7, 4);
    for (const v1::RecordRef& ref : request.want_whole()) {
      *response->add_records() = ServerActivity(ref.id(), "Sumur bor", 7);
    }
    response->set_cursor("c2");
    return grpc::Status::OK;
  });
  ASSERT_TRUE(Puller(*core_, *link).PullAll().ok());

  std::vector<v1::PullRequest> pulls = fake_.pulls();
  ASSERT_EQ(pulls.size(), 3u);
  EXPECT_EQ(pulls[1].want_whole_size(), 0);
  ASSERT_EQ(pulls[2].want_whole_size(), 1) << "only a2 is asked for whole";
  EXPECT_EQ(pulls[2].want_whole(0).id(), "a2");
  EXPECT_EQ(pulls[2].cursor(), "c1") << "the same page, with the whole record";
  EXPECT_EQ(core_->store().GetRecord("activity", "a1")->GetString("name"), "Jalan raya");
  auto a2 = core_->store().GetRecord("activity", "a2");
  ASSERT_TRUE(a2.ok()) << a2.status();
  EXPECT_EQ(a2->GetString("status"), "planned") << "a2 arrived whole";
  EXPECT_EQ(core_->State().cursor(), "c2");
}

TEST_F(SyncJobsTest, PullerAppliesNothingFromARestoredServer) {
  fake_.OnPull([&](const v1::PullRequest&, v1::PullResponse* response) {
    response->set_incarnation("inc-2");
    *response->add_records() = ServerActivity("a1", "Jalan", 1);
    response->set_cursor("c1");
    return grpc::Status::OK;
  });
  auto link = Link(SyncOptions{});
  absl::Status s = Puller(*core_, *link).PullAll();
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  EXPECT_TRUE(link->server_replaced());
  EXPECT_EQ(core_->State().cursor(), "");
  EXPECT_TRUE(core_->store().GetRecord("activity", "a1")->IsEmpty());
}

TEST_F(SyncJobsTest, PhotoUploaderResumesAtTheServersOffsetRecordsFirst) {
  // A 10,000-byte photo held here, of which the server stored 4,000 before
  // a cut, and an activity written since.
  std::string content(10000, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7);
  const std::string sha256(64, 'a');  // the fake does not check it
  std::filesystem::create_directories(dir_.path() + "/photos");
  std::ofstream(dir_.path() + "/photos/" + sha256, std::ios::binary) << content;
  device::v1::PhotoUpload upload;
  upload.set_sha256(sha256);
  upload.set_size(content.size());
  upload.set_content_type("image/jpeg");
  upload.set_record_id(NewRecordId());
  {
    absl::MutexLock lock(&core_->write_mu());
    LocalStore::Batch batch;
    batch.PutPhotoUpload(upload);
    ASSERT_TRUE(core_->store().Commit(batch).ok());
  }
  photos_.Hold(content.substr(0, 4000));
  Create("Jalan");
  uint64_t seq = 0;
  fake_.OnPush([&](const v1::PushRequest& request, v1::PushResponse* response) {
    photos_.Log("push");
    return AcceptAll(request, response, &seq);
  });

  SyncOptions options;
  options.photo_chunk_bytes = 1000;
  options.photo_call_bytes = 3000;
  auto link = Link(options);
  Pusher pusher(*core_, *link);
  PhotoUploader uploader(*core_, *link, pusher);
  ASSERT_TRUE(uploader.UploadAll().ok());

  EXPECT_EQ(photos_.bytes(), content);
  EXPECT_EQ(photos_.events(),
            (std::vector<std::string>{"push", "upload from 4000", "upload from 7000"}));
  EXPECT_EQ(link->report().photos_uploaded, 1u);
  EXPECT_EQ(link->report().photo_bytes_sent, 6000u) << "nothing the server held was resent";
  auto saved = core_->store().GetPhotoUpload(sha256);
  ASSERT_TRUE(saved.ok()) << saved.status();
  ASSERT_TRUE(saved->has_value());
  EXPECT_TRUE((*saved)->uploaded());
}

TEST(RestoreRecoveryTest, RestampsWritesStampedAheadOfTheServer) {
  constexpr int64_t kServerNow = 1700000000000;
  constexpr int64_t kSkew = 60000;
  constexpr int64_t kDeviceNow = kServerNow + 400LL * 86400 * 1000;  // a year ahead
  TempDir dir;
  DeviceOptions options;
  options.home = dir.path();
  options.time_source = [] { return kDeviceNow; };
  auto core = DeviceCore::Open(options);
  ASSERT_TRUE(core.ok()) << core.status();
  const std::string id = NewRecordId();
  ASSERT_TRUE((*core)->Write({LocalWrite{"activity", id, kDesa, Activity("Jalan")}}).ok());

  // As the handshake does: the clock learns the server's time first.
  (*core)->clock().SetOffsetMs(kServerNow - kDeviceNow);
  ASSERT_TRUE(RestoreRecovery(**core).RestampFutureWrites(kServerNow, kSkew).ok());

  auto pending = (*core)->store().GetPending("activity", id);
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_TRUE(pending->has_value());
  auto record = (*core)->store().GetRecord("activity", id);
  ASSERT_TRUE(record.ok()) << record.status();
  ASSERT_GT((*pending)->delta().changes_size(), 0);
  for (const auto& change : (*pending)->delta().changes()) {
    EXPECT_LE(change.stamp().wall_ms(), kServerNow + kSkew) << change.name();
    EXPECT_EQ(record->fields.at(change.name()).stamp.wall_ms, change.stamp().wall_ms())
        << "the record carries the new stamp too";
  }
  EXPECT_LE((*core)->clock().Last().wall_ms, kServerNow + kSkew);
}

}  // namespace
}  // namespace kawal::mobile
