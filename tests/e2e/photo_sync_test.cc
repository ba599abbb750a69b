// Photos as evidence, end to end with the real server (docs/photos.md): a
// 5 MB photo through a link cut every 64 KB arrives intact with little
// resent; the same picture from two devices is sent once; a server killed
// mid-upload resumes where it stored; backups keep photos, and a device
// re-sends what an older backup lacked; bad requests get clear errors and
// leave nothing half-written visible.
#include <filesystem>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "fault_proxy.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/sha256.h"
#include "kawal/v1/photo.grpc.pb.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using ::testing::HasSubstr;
using mobile::Device;
constexpr char kDesa[] = "62.10.01.2001";
constexpr char kOtherDesa[] = "62.10.01.2002";

// A "JPEG" of `size` pseudo-random bytes (incompressible, like a photo).
std::string Picture(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  bytes.replace(0, 4, "\xFF\xD8\xFF\xE0");
  return bytes;
}

std::string WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class PhotoSyncTest : public DeviceFixture {
 protected:
  void StartServer(std::vector<std::string> flags = {}) {
    flags.push_back("--backup_dir=" + dir_.path() + "/backups");
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server", flags);
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    TestClient admin = AdminClient(*server_);
    if (ani_token_.empty()) {
      ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &ani_token_).ok());
      ASSERT_TRUE(admin.AddUser("budi", v1::FACILITATOR, {kDesa}, &budi_token_).ok());
      ASSERT_TRUE(admin.AddUser("citra", v1::FACILITATOR, {kOtherDesa}, &citra_token_).ok());
    }
  }

  absl::StatusOr<std::unique_ptr<Device>> Open(const std::string& name,
                                                const std::string& address,
                                                const std::string& token) {
    return OpenDevice(name, address, token);
  }

  static mobile::SyncOptions Patient() {
    mobile::SyncOptions options;
    options.max_attempts = 50;
    options.backoff_base_ms = 5;
    options.backoff_cap_ms = 100;
    return options;
  }

  // An activity and a report with one photo of `bytes` at `stage`; returns
  // the report id.
  std::string Report(Device& device, const std::string& bytes, const std::string& stage,
                     const std::string& name) {
    auto activity = device.Create("activity", kDesa,
                                  {{"name", std::string("Jalan usaha tani")},
                                   {"year", int64_t{2026}},
                                   {"sector", int64_t{2}},
                                   {"status", std::string("in_progress")}});
    EXPECT_TRUE(activity.ok()) << activity.status();
    if (!activity.ok()) return "";
    mobile::PhotoAttachment photo;
    photo.file = WriteFile(dir_.path() + "/" + name + ".jpg", bytes);
    photo.stage = stage;
    photo.lat = -1.2345;
    photo.lon = 113.5;
    photo.taken_at_ms = 1'790'000'000'000;
    auto report = device.CreateReport(kDesa,
                                      {{"activity_id", *activity},
                                       {"visit_date", std::string("2026-11-20")},
                                       {"physical_progress_pct", 50.0}},
                                      {photo});
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : "";
  }

  void TearDown() override {
    if (HasFailure() && server_ != nullptr) std::cerr << "server log:\n" << server_->Stderr();
  }

  std::unique_ptr<ServerProcess> server_;
  std::string ani_token_, budi_token_, citra_token_;
};

TEST_F(PhotoSyncTest, FiveMegabytesThroughCutsEvery64KBArriveIntactWithLittleResent) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  FaultProxy proxy(server_->address());
  ASSERT_TRUE(proxy.Start().ok());
  const std::string bytes = Picture(5 << 20, 1);
  ASSERT_OK_AND_ASSIGN(auto phone, Open("phone", proxy.address(), ani_token_));
  Report(*phone, bytes, "50", "five");

  // Records first (their own sync), then count the photo's bytes alone.
  mobile::SyncOptions records_only = Patient();
  records_only.photos = false;
  ASSERT_TRUE(phone->Sync(records_only, nullptr).ok());
  proxy.ResetCounters();
  // A link that drops every 64 KB moves bytes over time, not in one
  // instant: at 1 MB/s the server stores each message as it arrives. (With
  // no rate at all, 64 KB land in the same instant as the reset, and gRPC
  // drops the messages its handler had not yet read.)
  proxy.SetBandwidth(1 << 20);
  proxy.SetCutAfterBytes(64 * 1024);
  uint64_t last_progress = 0, progress_total = 0;
  auto report = phone->Sync(Patient(), [&](const mobile::SyncProgress& p) {
    last_progress = p.photo_bytes_sent;
    progress_total = p.photo_bytes_to_send;
  });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->photos_uploaded, 1u);
  EXPECT_EQ(progress_total, bytes.size()) << "progress knows the total";
  EXPECT_EQ(last_progress, bytes.size());
  EXPECT_GT(proxy.Cuts(), 50) << "the link really was cut";
  const double ratio = static_cast<double>(proxy.BytesUpstream()) / bytes.size();
  std::cout << "5 MB photo: " << proxy.Cuts() << " cuts, " << proxy.BytesUpstream()
            << " bytes up (" << ratio << "x)\n";
  EXPECT_LE(ratio, 1.1);
  ASSERT_OK_AND_ASSIGN(auto photos, phone->Photos());
  ASSERT_EQ(photos.size(), 1u);
  EXPECT_TRUE(photos.front().uploaded);

  // Another device of the desa gets the metadata by sync and the bytes on
  // demand, through the same link.
  ASSERT_OK_AND_ASSIGN(auto laptop, Open("laptop", proxy.address(), budi_token_));
  ASSERT_TRUE(laptop->Sync(Patient(), nullptr).ok());
  ASSERT_OK_AND_ASSIGN(auto theirs, laptop->Photos());
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_FALSE(theirs.front().local) << "bytes come only on demand";
  EXPECT_EQ(theirs.front().stage, "50");
  const std::string out = dir_.path() + "/fetched.jpg";
  ASSERT_TRUE(laptop->FetchPhoto(theirs.front().sha256, out, Patient()).ok());
  EXPECT_TRUE(ReadFile(out) == bytes) << "downloaded bytes differ";
  EXPECT_FALSE(std::filesystem::exists(out + ".part"));

  // The activity carries the evidence mark, so reports count it.
  mobile::ListQuery activities;
  ASSERT_OK_AND_ASSIGN(auto listed, laptop->List(activities));
  ASSERT_EQ(listed.size(), 1u);
  const sync::Value* mark = listed.front().Get("has_photo_50");
  ASSERT_NE(mark, nullptr);
  EXPECT_TRUE(std::get<bool>(*mark));
}

TEST_F(PhotoSyncTest, TheSamePictureFromTwoDevicesIsStoredAndSentOnce) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const std::string bytes = Picture(300 << 10, 2);
  ASSERT_OK_AND_ASSIGN(auto a, Open("a", server_->address(), ani_token_));
  ASSERT_OK_AND_ASSIGN(auto b, Open("b", server_->address(), budi_token_));
  Report(*a, bytes, "0", "a");
  Report(*b, bytes, "0", "b");
  auto ra = a->Sync(Patient(), nullptr);
  ASSERT_TRUE(ra.ok()) << ra.status();
  EXPECT_EQ(ra->photos_uploaded, 1u);
  EXPECT_EQ(ra->photo_bytes_sent, bytes.size());
  auto rb = b->Sync(Patient(), nullptr);
  ASSERT_TRUE(rb.ok()) << rb.status();
  EXPECT_EQ(rb->photo_bytes_sent, 0u) << "the server already held it";
  ASSERT_OK_AND_ASSIGN(auto photos, b->Photos());
  ASSERT_EQ(photos.size(), 2u);  // two records (one per report), one content
  EXPECT_EQ(photos[0].sha256, photos[1].sha256);
  for (const auto& p : photos) {
    EXPECT_TRUE(p.local) << "b took this picture too";
    EXPECT_TRUE(p.uploaded) << "the server's copy counts for b";
  }
}

TEST_F(PhotoSyncTest, ServerKilledMidUploadResumesFromWhatItStored) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  FaultProxy proxy(server_->address());
  ASSERT_TRUE(proxy.Start().ok());
  const std::string bytes = Picture(3 << 20, 3);
  ASSERT_OK_AND_ASSIGN(auto phone, Open("phone", proxy.address(), ani_token_));
  Report(*phone, bytes, "100", "kill");
  bool killed = false;
  auto report = phone->Sync(Patient(), [&](const mobile::SyncProgress& p) {
    if (!killed && p.photo_bytes_sent >= (1u << 20)) {
      killed = true;
      server_->Kill();  // SIGKILL mid-upload
      server_ = std::make_unique<ServerProcess>(dir_.path() + "/server");
      ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
      proxy.SetUpstream(server_->address());
      proxy.CutAll();
    }
  });
  ASSERT_TRUE(killed);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->photos_uploaded, 1u);
  EXPECT_LT(report->photo_bytes_sent, bytes.size() + (1u << 20))
      << "resumed, not started again";
  ASSERT_OK_AND_ASSIGN(auto laptop, Open("laptop", server_->address(), budi_token_));
  ASSERT_TRUE(laptop->Sync(Patient(), nullptr).ok());
  const std::string out = dir_.path() + "/after-kill.jpg";
  ASSERT_OK_AND_ASSIGN(auto photos, laptop->Photos());
  ASSERT_EQ(photos.size(), 1u);
  ASSERT_TRUE(laptop->FetchPhoto(photos.front().sha256, out, Patient()).ok());
  EXPECT_TRUE(ReadFile(out) == bytes);
}

TEST_F(PhotoSyncTest, RestoreKeepsPhotosAndDevicesResendWhatTheBackupLacked) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  ASSERT_OK_AND_ASSIGN(auto phone, Open("phone", server_->address(), ani_token_));
  const std::string before = Picture(200 << 10, 4), after = Picture(150 << 10, 5);
  Report(*phone, before, "0", "before");
  ASSERT_TRUE(phone->Sync(Patient(), nullptr).ok());
  auto created = server_->RunAdmin({"backup", "create"});
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->first, 0) << created->second;
  Report(*phone, after, "50", "after");
  ASSERT_TRUE(phone->Sync(Patient(), nullptr).ok());

  ASSERT_TRUE(server_->Stop().ok());
  auto restored = ServerProcess::RunToExit(
      AdminBinary(), {"restore", "--backup_dir=" + dir_.path() + "/backups", "--backup_id=latest",
                      "--data_dir=" + server_->data_dir(), "--force"});
  ASSERT_TRUE(restored.ok()) << restored.status();
  ASSERT_EQ(restored->first, 0) << restored->second;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  ASSERT_TRUE(phone->Configure(server_->address(), "").ok());
  auto report = phone->Sync(Patient(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->restore_detected);
  EXPECT_EQ(report->photos_uploaded, 1u) << "only the photo the backup lacked";
  EXPECT_EQ(report->photo_bytes_sent, after.size());

  ASSERT_OK_AND_ASSIGN(auto laptop, Open("laptop", server_->address(), budi_token_));
  ASSERT_TRUE(laptop->Sync(Patient(), nullptr).ok());
  ASSERT_OK_AND_ASSIGN(auto photos, laptop->Photos());
  ASSERT_EQ(photos.size(), 2u);
  for (const auto& p : photos) {
    const std::string out = dir_.path() + "/restored-" + p.sha256;
    ASSERT_TRUE(laptop->FetchPhoto(p.sha256, out, Patient()).ok()) << p.sha256;
    EXPECT_TRUE(ReadFile(out) == (p.stage == "0" ? before : after));
  }
}

// Raw PhotoService calls with bad input.
class PhotoBadInputTest : public PhotoSyncTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        StartServer({"--max_photo_bytes=400000", "--photo_uploads_per_user=1"}));
    ASSERT_OK_AND_ASSIGN(phone_, Open("phone", server_->address(), ani_token_));
    big_ = Picture(500000, 6);
    small_ = Picture(100000, 7);
    other_ = Picture(100000, 8);
    Report(*phone_, small_, "0", "small");
    Report(*phone_, other_, "50", "other");
    Report(*phone_, big_, "100", "big");
    mobile::SyncOptions records_only = Patient();
    records_only.photos = false;
    ASSERT_TRUE(phone_->Sync(records_only, nullptr).ok());
    ASSERT_OK_AND_ASSIGN(auto photos, phone_->Photos());
    ASSERT_EQ(photos.size(), 3u);
    for (const auto& p : photos) {
      if (p.sha256 == sync::Sha256Hex(small_)) small_ref_ = p;
      if (p.sha256 == sync::Sha256Hex(other_)) other_ref_ = p;
      if (p.sha256 == sync::Sha256Hex(big_)) big_ref_ = p;
    }
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    stub_ = v1::PhotoService::NewStub(channel_);
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + token);
    return context;
  }

  static v1::PhotoRef Ref(const mobile::PhotoView& p) {
    v1::PhotoRef ref;
    ref.set_record_id(p.record_id);
    ref.set_sha256(p.sha256);
    return ref;
  }

  // One upload call: start at `offset`, then `data` in 4 KB messages.
  grpc::Status Upload(const std::string& token, const v1::PhotoRef& ref, uint64_t size,
                      uint64_t offset, const std::string& data, v1::UploadPhotoResponse* response,
                      const std::string& content_type = "image/jpeg") {
    auto context = Context(token);
    auto writer = stub_->UploadPhoto(context.get(), response);
    v1::UploadPhotoRequest start;
    *start.mutable_start()->mutable_photo() = ref;
    start.mutable_start()->set_offset(offset);
    start.mutable_start()->set_size(size);
    start.mutable_start()->set_content_type(content_type);
    bool open = writer->Write(start);
    for (size_t at = 0; open && at < data.size(); at += 4096) {
      v1::UploadPhotoRequest message;
      message.set_data(data.substr(at, 4096));
      open = writer->Write(message);
    }
    if (open) writer->WritesDone();
    return writer->Finish();
  }

  // Downloads from `offset` into `data` (when given); the call's status.
  grpc::Status Download(const std::string& token, const v1::PhotoRef& ref, uint64_t offset,
                        std::string* data = nullptr) {
    v1::DownloadPhotoRequest request;
    *request.mutable_photo() = ref;
    request.set_offset(offset);
    auto context = Context(token);
    auto reader = stub_->DownloadPhoto(context.get(), request);
    v1::DownloadPhotoResponse chunk;
    while (reader->Read(&chunk)) {
      if (data != nullptr) data->append(chunk.data());
    }
    return reader->Finish();
  }

  v1::PhotoStatusEntry Status(const mobile::PhotoView& p) {
    v1::PhotoStatusRequest request;
    *request.add_photos() = Ref(p);
    v1::PhotoStatusResponse response;
    auto context = Context(ani_token_);
    grpc::Status s = stub_->PhotoStatus(context.get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.photos_size() == 1 ? response.photos(0) : v1::PhotoStatusEntry{};
  }

  std::unique_ptr<Device> phone_;
  std::string big_, small_, other_;
  mobile::PhotoView small_ref_, other_ref_, big_ref_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PhotoService::Stub> stub_;
};

TEST_F(PhotoBadInputTest, EachBadRequestGetsAClearErrorAndLeavesNothingHalfWritten) {
  v1::UploadPhotoResponse response;
  // A corrupted byte in one chunk: caught at the end, everything discarded.
  std::string corrupted = small_;
  corrupted[50000] ^= 0x01;
  grpc::Status s = Upload(ani_token_, Ref(small_ref_), small_.size(), 0, corrupted, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("does not match its SHA-256"));
  EXPECT_EQ(Status(small_ref_).state(), v1::PHOTO_MISSING) << "nothing half-written visible";

  // Bytes of another picture under this hash: the same.
  s = Upload(ani_token_, Ref(small_ref_), small_.size(), 0, other_, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Status(small_ref_).state(), v1::PHOTO_MISSING);

  // Over the server's size limit.
  s = Upload(ani_token_, Ref(big_ref_), big_.size(), 0, big_.substr(0, 8192), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(s.error_message(), HasSubstr("over this server's limit of 400000 bytes"));

  // A size or type other than the record's.
  s = Upload(ani_token_, Ref(small_ref_), small_.size() + 1, 0, "", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("says 100000 bytes"));
  s = Upload(ani_token_, Ref(small_ref_), small_.size(), 0, "", &response, "image/png");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // An offset beyond the size, and one not where the server is.
  s = Upload(ani_token_, Ref(small_ref_), small_.size(), small_.size() + 1, "", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("beyond the photo's size"));
  s = Upload(ani_token_, Ref(small_ref_), small_.size(), 4096, small_.substr(4096, 4096),
             &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("must start at offset 0"));

  // A hash the record does not vouch for; a record the server lacks.
  v1::PhotoRef wrong = Ref(small_ref_);
  wrong.set_sha256(other_ref_.sha256);
  s = Upload(ani_token_, wrong, other_.size(), 0, other_, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("is of SHA-256"));
  v1::PhotoRef unknown = Ref(small_ref_);
  unknown.set_record_id("no-such-photo");
  s = Upload(ani_token_, unknown, small_.size(), 0, small_, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("push records first"));

  // Another desa's facilitator may neither upload nor read it.
  s = Upload(citra_token_, Ref(small_ref_), small_.size(), 0, small_, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("may not upload photos of region 62.10.01.2001"));

  // Half an upload, then the quota (one in progress) refuses a second.
  s = Upload(ani_token_, Ref(small_ref_), small_.size(), 0, small_.substr(0, 40960), &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.received_offset(), 40960u);
  EXPECT_FALSE(response.complete());
  EXPECT_EQ(Status(small_ref_).state(), v1::PHOTO_PARTIAL);
  s = Upload(ani_token_, Ref(other_ref_), other_.size(), 0, other_.substr(0, 4096), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(s.error_message(), HasSubstr("uploads in progress (limit 1)"));
  // A partial photo cannot be downloaded.
  s = Download(budi_token_, Ref(small_ref_), 0);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("not on the server yet"));

  // The device finishes the small one from where it is, and the other one.
  auto report = phone_->Sync(Patient(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->photos_uploaded, 2u);
  EXPECT_EQ(report->photos_failed, 1u) << "the big one is over the limit";
  EXPECT_EQ(Status(small_ref_).state(), v1::PHOTO_COMPLETE);
  EXPECT_EQ(Status(other_ref_).state(), v1::PHOTO_COMPLETE);
  ASSERT_OK_AND_ASSIGN(auto photos, phone_->Photos());
  for (const auto& p : photos) {
    if (p.sha256 == big_ref_.sha256) {
      EXPECT_FALSE(p.uploaded);
      EXPECT_THAT(p.last_error, HasSubstr("over this server's limit"));
    }
  }
  // Download from an offset beyond the end.
  s = Download(budi_token_, Ref(small_ref_), small_.size() + 10);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("beyond the photo's size"));
  std::string fetched;
  ASSERT_TRUE(Download(budi_token_, Ref(small_ref_), 1000, &fetched).ok());
  EXPECT_TRUE(fetched == small_.substr(1000)) << "a download from an offset";

  // Purging: admins only, real hashes only; the bytes go, the record stays.
  v1::PurgePhotosRequest purge;
  purge.add_sha256(small_ref_.sha256);
  v1::PurgePhotosResponse purged;
  {
    auto context = Context(ani_token_);
    s = stub_->PurgePhotos(context.get(), purge, &purged);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(Status(small_ref_).state(), v1::PHOTO_COMPLETE) << "a refused purge deletes nothing";
  {
    v1::PurgePhotosRequest bad;
    bad.add_sha256("not-a-hash");
    ASSERT_OK_AND_ASSIGN(std::string admin_token, server_->AdminToken());
    auto context = Context(admin_token);
    s = stub_->PurgePhotos(context.get(), bad, &purged);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("SHA-256"));
  }
  auto admin_purge = server_->RunAdmin({"photo", "purge", small_ref_.sha256});
  ASSERT_TRUE(admin_purge.ok()) << admin_purge.status();
  EXPECT_EQ(admin_purge->first, 0) << admin_purge->second;
  EXPECT_THAT(admin_purge->second, HasSubstr("purged the bytes of 1 of 1 photos"));
  // Status answers only for a record on the server: the record stays.
  EXPECT_EQ(Status(small_ref_).state(), v1::PHOTO_MISSING);
  EXPECT_EQ(Status(other_ref_).state(), v1::PHOTO_COMPLETE) << "only the one named";
}

}  // namespace
}  // namespace kawal::testing
