// Sync by bundle with a real kawal-server (docs/bundles.md): a device works
// offline and exports a bundle; kawal-admin imports it and writes a reply;
// the device imports the reply: its pending list empties, it receives
// another device's work, and its records equal what a network sync gives.
// Importing a bundle or a reply twice changes nothing; an altered bundle,
// one of a revoked user and one with another village's record are refused
// with nothing applied; a reply older than a network sync keeps the cursor.
// A facilitator of another village relays colleagues' bundles
// (kawal-field bundle relay): each applies under its own signer; an officer
// imports with their own admin-issued token. A bundle split by size
// (--max_bytes) is imported whole from its parts, by kawal-admin and by
// relay, or refused whole naming a missing or altered part. The issue's
// month: the same offline month by network to one server and by bundle to
// another gives the same records and aggregates; the reply brings another
// device's edits and a conflict.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/common/bundle_part_files.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/codec.h"
#include "kawal/v1/report.grpc.pb.h"
#include "server_process.h"
#include "test_client.h"
#include "token_file.h"

namespace kawal::testing {
namespace {

using mobile::Device;
using ::testing::HasSubstr;

constexpr char kDesa[] = "62.10.01.2001";
constexpr char kOtherDesa[] = "62.10.01.2002";

mobile::FieldValues Activity(const std::string& name) {
  return {{"name", name},
          {"year", int64_t{2026}},
          {"sector", int64_t{2}},
          {"status", std::string("planned")}};
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class BundleSyncTest : public DeviceFixture {
 protected:
  void SetUp() override {
    StartSeededServer();
    if (HasFatalFailure()) return;
    AddFacilitator("ani", {kDesa}, &ani_token_);
    AddFacilitator("budi", {kDesa}, &budi_token_);
    ASSERT_OK_AND_ASSIGN(ani_, OpenDevice("ani", server_->address(), ani_token_));
    SyncOk(*ani_);  // learns the server's bundle key, then goes offline
  }

  void TearDown() override {
    if (HasFailure() && server_ != nullptr) std::cerr << "server log:\n" << server_->Stderr();
  }

  // Exports ani's bundle to dir_/name; returns the path.
  std::string Export(const std::string& name, bool photos = true) {
    mobile::BundleExportOptions options;
    options.photos = photos;
    absl::StatusOr<mobile::BundleExport> exported = ani_->ExportBundle(options);
    EXPECT_TRUE(exported.ok()) << exported.status();
    const std::string path = dir_.path() + "/" + name;
    if (exported.ok()) WriteBytes(path, exported->files.front());
    return path;
  }

  // kawal-admin bundle import; exit code and output.
  std::pair<int, std::string> AdminImport(const std::string& path) {
    return AdminImport(std::vector<std::string>{path});
  }
  std::pair<int, std::string> AdminImport(const std::vector<std::string>& paths) {
    std::vector<std::string> args = {"bundle", "import"};
    args.insert(args.end(), paths.begin(), paths.end());
    absl::StatusOr<std::pair<int, std::string>> run = server_->RunAdmin(args);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : std::make_pair(-1, std::string());
  }

  // Citra, a facilitator of another village, with a device at dir_/citra
  // that synced once, then closed: the store is kawal-field's.
  void AddCarrierCitra() {
    std::string token;
    AddFacilitator("citra", {kOtherDesa}, &token);
    ASSERT_OK_AND_ASSIGN(auto citra, OpenDevice("citra", server_->address(), token));
    SyncOk(*citra);
  }

  // kawal-field bundle relay `folder` on citra's device; exit code and output.
  std::pair<int, std::string> RelayByCitra(const std::string& folder, const std::string& lang) {
    absl::StatusOr<std::pair<int, std::string>> run = ServerProcess::RunToExit(
        KAWAL_FIELD_BINARY,
        {"--home=" + dir_.path() + "/citra", "--lang=" + lang, "bundle", "relay", folder});
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : std::make_pair(-1, std::string());
  }

  // Everything the server holds, whole, as an admin reads it.
  std::vector<std::string> ServerRecords() {
    TestClient admin = AdminClient(*server_);
    admin.set_whole_records(true);
    std::vector<v1::Record> records;
    std::string cursor;
    EXPECT_TRUE(admin.PullAll(1, {}, &records, &cursor).ok());
    std::vector<std::string> out;
    for (const v1::Record& r : records) out.push_back(r.SerializeAsString());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string ani_token_, budi_token_;
  std::unique_ptr<Device> ani_;
};

TEST_F(BundleSyncTest, OfflineWorkTravelsByBundleAndTheReplyBringsItHome) {
  ASSERT_OK_AND_ASSIGN(const std::string first, ani_->Create("activity", kDesa, Activity("Embung")));
  ASSERT_OK(ani_->Create("activity", kDesa, Activity("Jalan tani")).status());
  ASSERT_OK(ani_->Update("activity", first, {{"status", std::string("in_progress")}}));
  // Another facilitator's work reaches the server over the network.
  ASSERT_OK_AND_ASSIGN(auto budi, OpenDevice("budi", server_->address(), budi_token_));
  ASSERT_OK_AND_ASSIGN(const std::string budis, budi->Create("activity", kDesa, Activity("Posyandu")));
  SyncOk(*budi);

  ASSERT_THAT(ani_->PendingCount(), IsOkAndHolds(2u));
  const std::string bundle = Export("ani.bundle");
  // Exporting again without edits: the same content, and nothing leaves
  // the pending list before the server's answer.
  ASSERT_OK_AND_ASSIGN(mobile::BundleExport again, ani_->ExportBundle({}));
  ASSERT_OK_AND_ASSIGN(mobile::BundleExport once_more, ani_->ExportBundle({}));
  EXPECT_EQ(again.bundle_id, once_more.bundle_id);
  EXPECT_EQ(again.deltas, 2u);
  EXPECT_THAT(ani_->PendingCount(), IsOkAndHolds(2u));

  auto [code, out] = AdminImport(bundle);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("user ani"));
  EXPECT_THAT(out, HasSubstr("2 changes (2 applied, 0 rejected)"));
  const std::vector<std::string> after_import = ServerRecords();

  // The same bundle twice changes nothing on the server.
  auto [code2, out2] = AdminImport(bundle);
  ASSERT_EQ(code2, 0) << out2;
  EXPECT_EQ(ServerRecords(), after_import);

  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport report,
                       ani_->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_EQ(report.acknowledged, 2u);
  EXPECT_EQ(report.rejected, 0u);
  EXPECT_TRUE(report.cursor_advanced);
  EXPECT_THAT(ani_->PendingCount(), IsOkAndHolds(0u));
  EXPECT_OK(ani_->Get("activity", budis).status()) << "the reply brings budi's activity";

  // A reply applied twice changes nothing.
  const auto before_again = DeviceSnapshot(*ani_);
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport twice,
                       ani_->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_EQ(twice.acknowledged, 0u);
  EXPECT_EQ(DeviceSnapshot(*ani_), before_again);

  // What the bundle did equals what a network sync gives: a network sync
  // now has nothing to send, and a fresh device of the same user pulling
  // over the network holds exactly what this one holds.
  mobile::SyncReport sync = SyncOk(*ani_);
  EXPECT_EQ(sync.pushed, 0u);
  ASSERT_OK_AND_ASSIGN(auto fresh, OpenDevice("fresh", server_->address(), ani_token_));
  SyncOk(*fresh);
  EXPECT_EQ(DeviceSnapshot(*fresh), DeviceSnapshot(*ani_));
  EXPECT_EQ(ServerRecords(), after_import);
}

TEST_F(BundleSyncTest, ReplyOlderThanANetworkSyncIsHarmless) {
  ASSERT_OK(ani_->Create("activity", kDesa, Activity("Embung")).status());
  const std::string bundle = Export("ani.bundle");
  auto [code, out] = AdminImport(bundle);
  ASSERT_EQ(code, 0) << out;
  // Signal came back first: the network sync acknowledges and moves on.
  ASSERT_OK_AND_ASSIGN(auto budi, OpenDevice("budi", server_->address(), budi_token_));
  ASSERT_OK(budi->Create("activity", kDesa, Activity("Posyandu")).status());
  SyncOk(*budi);
  SyncOk(*ani_);
  const auto synced = DeviceSnapshot(*ani_);
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport report,
                       ani_->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_FALSE(report.cursor_advanced);
  EXPECT_EQ(report.acknowledged, 0u);
  EXPECT_THAT(ani_->PendingCount(), IsOkAndHolds(0u));
  EXPECT_EQ(DeviceSnapshot(*ani_), synced);
  mobile::SyncReport after = SyncOk(*ani_);
  EXPECT_EQ(after.pulled, 0u) << "the cursor did not go back";
}

TEST_F(BundleSyncTest, AlteredRevokedAndOutOfScopeBundlesAreRefusedWithNothingApplied) {
  ASSERT_OK(ani_->Create("activity", kDesa, Activity("Embung")).status());
  const std::string bundle = Export("ani.bundle");
  const std::vector<std::string> before = ServerRecords();

  std::string bytes = ReadBytes(bundle);
  bytes[bytes.size() / 2] ^= 0x01;
  WriteBytes(dir_.path() + "/flipped.bundle", bytes);
  auto [flipped_code, flipped_out] = AdminImport(dir_.path() + "/flipped.bundle");
  EXPECT_EQ(flipped_code, 1) << flipped_out;
  EXPECT_THAT(flipped_out, HasSubstr("altered"));

  // One record of a village that is not ani's refuses the whole bundle.
  ASSERT_OK(ani_->Create("activity", kOtherDesa, Activity("Bukan desanya")).status());
  const std::string mixed = Export("mixed.bundle");
  auto [scope_code, scope_out] = AdminImport(mixed);
  EXPECT_EQ(scope_code, 1) << scope_out;
  EXPECT_THAT(scope_out, HasSubstr("may not write"));
  EXPECT_THAT(scope_out, HasSubstr("nothing of the bundle was applied"));
  EXPECT_EQ(ServerRecords(), before);

  TestClient admin = AdminClient(*server_);
  ASSERT_TRUE(admin.RevokeUser("ani").ok());
  auto [revoked_code, revoked_out] = AdminImport(bundle);
  EXPECT_EQ(revoked_code, 1) << revoked_out;
  EXPECT_THAT(revoked_out, HasSubstr("unknown or revoked"));
  EXPECT_EQ(ServerRecords(), before);
  EXPECT_FALSE(std::ifstream(bundle + ".reply").good()) << "no reply for a refused bundle";
}

// Import at the district office needs no admin: an officer with an
// admin-issued token carries the bundle with kawal-admin; what is applied
// is the signer's (ani's) work, in ani's village, written by ani's device.
TEST_F(BundleSyncTest, AnOfficerImportsWithTheirOwnToken) {
  ASSERT_OK_AND_ASSIGN(const std::string id, ani_->Create("activity", kDesa, Activity("Embung")));
  const std::string bundle = Export("ani.bundle");
  std::string officer_token;
  ASSERT_TRUE(AdminClient(*server_)
                  .AddUser("dina", v1::DISTRICT_OFFICER, {"62.10"}, &officer_token)
                  .ok());
  const std::string token_file = WriteTokenFile(dir_.path() + "/dina.token", officer_token);
  absl::StatusOr<std::pair<int, std::string>> run = ServerProcess::RunToExit(
      AdminBinary(), {"--server=" + server_->address(), "--token_file=" + token_file, "bundle",
                      "import", bundle});
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->first, 0) << run->second;
  EXPECT_THAT(run->second, HasSubstr("user ani"));
  EXPECT_THAT(run->second, HasSubstr("1 changes (1 applied, 0 rejected)"));
  TestClient admin = AdminClient(*server_);
  admin.set_whole_records(true);
  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin.PullAll(1, {}, &records, &cursor).ok());
  bool found = false;
  for (const v1::Record& r : records) {
    if (r.id() != id) continue;
    found = true;
    EXPECT_EQ(r.scope(), kDesa);
    for (const v1::FieldState& f : r.fields()) EXPECT_EQ(f.stamp().node(), ani_->node()) << f.name();
  }
  EXPECT_TRUE(found) << "ani's activity reached the server";
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport report,
                       ani_->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_EQ(report.acknowledged, 1u);
  // A revoked officer carries nothing.
  ASSERT_TRUE(admin.RevokeUser("dina").ok());
  ASSERT_OK(ani_->Create("activity", kDesa, Activity("Jalan")).status());
  const std::string later = Export("ani-2.bundle");
  run = ServerProcess::RunToExit(AdminBinary(), {"--server=" + server_->address(),
                                                 "--token_file=" + token_file, "bundle",
                                                 "import", later});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_NE(run->first, 0) << run->second;
  EXPECT_FALSE(std::filesystem::exists(later + ".reply"));
}

// ani's device bound its key at its first handshake (SetUp); a bundle of
// the same device signed by another key (its key file replaced) is refused
// whole, and nothing is bound anew.
TEST_F(BundleSyncTest, ABundleSignedByAnotherKeyOfABoundDeviceIsRefused) {
  ani_.reset();
  ASSERT_EQ(std::remove((dir_.path() + "/ani/bundle_key").c_str()), 0);
  ASSERT_OK_AND_ASSIGN(ani_, OpenDevice("ani", server_->address(), ani_token_));
  ASSERT_OK(ani_->Create("activity", kDesa, Activity("Embung")).status());
  const std::vector<std::string> before = ServerRecords();
  auto [code, out] = AdminImport(Export("rekeyed.bundle"));
  EXPECT_EQ(code, 1) << out;
  EXPECT_THAT(out, HasSubstr("signed by a key other than"));
  EXPECT_EQ(ServerRecords(), before);
}

TEST_F(BundleSyncTest, PhotosTravelInTheBundleAndAreVerified) {
  ASSERT_OK_AND_ASSIGN(const std::string activity,
                       ani_->Create("activity", kDesa, Activity("Embung")));
  std::string picture(200 * 1024, '\x5a');
  picture.replace(0, 4, "\xFF\xD8\xFF\xE0");
  mobile::PhotoAttachment photo;
  photo.file = dir_.path() + "/embung.jpg";
  WriteBytes(photo.file, picture);
  photo.stage = "50";
  ASSERT_OK(ani_->CreateReport(kDesa,
                               {{"activity_id", activity},
                                {"visit_date", std::string("2026-11-20")},
                                {"physical_progress_pct", 50.0}},
                               {photo})
                .status());
  ASSERT_OK_AND_ASSIGN(mobile::BundleExport without, ani_->ExportBundle({.photos = false}));
  EXPECT_EQ(without.photos, 0u);
  const std::string bundle = Export("ani.bundle");
  auto [code, out] = AdminImport(bundle);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("1 of 1 photos stored"));
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport report,
                       ani_->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_EQ(report.photos_stored, 1u);
  ASSERT_OK_AND_ASSIGN(auto photos, ani_->Photos());
  ASSERT_EQ(photos.size(), 1u);
  EXPECT_TRUE(photos[0].uploaded);
  // Another device downloads it from the server: the bytes arrived whole.
  ASSERT_OK_AND_ASSIGN(auto budi, OpenDevice("budi", server_->address(), budi_token_));
  SyncOk(*budi);
  ASSERT_OK(budi->FetchPhoto(photos[0].sha256, dir_.path() + "/fetched.jpg", {}));
  EXPECT_EQ(ReadBytes(dir_.path() + "/fetched.jpg"), picture);
}

TEST_F(BundleSyncTest, KawalFieldExportsAndImportsByCommandLine) {
  ASSERT_OK(ani_->Create("activity", kDesa, Activity("Embung")).status());
  ani_.reset();  // the store is the command's now
  const std::string home = dir_.path() + "/ani";
  const std::string bundle = dir_.path() + "/cli.bundle";
  absl::StatusOr<std::pair<int, std::string>> exported = ServerProcess::RunToExit(
      KAWAL_FIELD_BINARY, {"--home=" + home, "--lang=id", "bundle", "export", "--out=" + bundle});
  ASSERT_TRUE(exported.ok()) << exported.status();
  ASSERT_EQ(exported->first, 0) << exported->second;
  EXPECT_THAT(exported->second, HasSubstr("Paket ditulis"));
  auto [code, out] = AdminImport(bundle);
  ASSERT_EQ(code, 0) << out;
  absl::StatusOr<std::pair<int, std::string>> imported = ServerProcess::RunToExit(
      KAWAL_FIELD_BINARY, {"--home=" + home, "--lang=en", "bundle", "import", bundle + ".reply"});
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->first, 0) << imported->second;
  EXPECT_THAT(imported->second, HasSubstr("1 changes accepted by the server"));
  // The device's own bundle is not a reply: refused, nothing changed.
  absl::StatusOr<std::pair<int, std::string>> wrong = ServerProcess::RunToExit(
      KAWAL_FIELD_BINARY, {"--home=" + home, "--lang=en", "bundle", "import", bundle});
  ASSERT_TRUE(wrong.ok()) << wrong.status();
  EXPECT_EQ(wrong->first, 1) << wrong->second;
  EXPECT_THAT(wrong->second, HasSubstr("not a reply bundle"));
}

// The record `id` as the server holds it (an empty record when absent).
v1::Record ServerRecord(const std::vector<v1::Record>& records, const std::string& id) {
  for (const v1::Record& r : records) {
    if (r.id() == id) return r;
  }
  return v1::Record();
}

// The stamp node of field `name` of `record` (0 when absent).
uint64_t WriterOf(const v1::Record& record, const std::string& name) {
  for (const v1::FieldState& f : record.fields()) {
    if (f.name() == name) return f.stamp().node();
  }
  return 0;
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_F(BundleSyncTest, AFacilitatorOfAnotherVillageRelaysColleaguesBundles) {
  // Three devices of two facilitators of kDesa learn the server's key
  // online, then work offline and export into one folder (the USB stick).
  ASSERT_OK_AND_ASSIGN(auto ani_tablet, OpenDevice("ani-tablet", server_->address(), ani_token_));
  SyncOk(*ani_tablet);
  ASSERT_OK_AND_ASSIGN(auto budi, OpenDevice("budi", server_->address(), budi_token_));
  SyncOk(*budi);
  const std::string stick = dir_.path() + "/stick";
  std::filesystem::create_directories(stick);
  struct Work {
    Device* device;
    std::string file, id;
  };
  std::vector<Work> work = {{ani_.get(), stick + "/ani-phone.bundle", ""},
                            {ani_tablet.get(), stick + "/ani-tablet.bundle", ""},
                            {budi.get(), stick + "/budi.bundle", ""}};
  for (Work& w : work) {
    ASSERT_OK_AND_ASSIGN(w.id, w.device->Create("activity", kDesa, Activity("Kerja " + w.file)));
    ASSERT_OK_AND_ASSIGN(mobile::BundleExport exported, w.device->ExportBundle({}));
    WriteBytes(w.file, exported.files.front());
  }
  // A tampered copy of budi's bundle travels in the same folder.
  std::string tampered = ReadBytes(stick + "/budi.bundle");
  tampered[tampered.size() / 2] ^= 0x01;
  WriteBytes(stick + "/zz-tampered.bundle", tampered);

  // Citra, a facilitator of another village, reaches signal and relays the
  // folder through her own device's connection.
  ASSERT_NO_FATAL_FAILURE(AddCarrierCitra());
  auto [relay_code, out] = RelayByCitra(stick, "en");
  EXPECT_EQ(relay_code, 1) << "one bundle was refused:\n" << out;
  EXPECT_EQ(Occurrences(out, ": applied for user ani "), 2u) << out;
  EXPECT_EQ(Occurrences(out, ": applied for user budi "), 1u) << out;
  // Its header cannot be read, so it is not sent at all.
  EXPECT_THAT(out, HasSubstr("zz-tampered.bundle: not sent, nothing applied:"));
  EXPECT_THAT(out, HasSubstr("altered"));
  EXPECT_FALSE(std::filesystem::exists(stick + "/zz-tampered.bundle.reply"));

  // The server holds each record in kDesa (which citra may not write),
  // written by the device that signed its bundle.
  TestClient admin = AdminClient(*server_);
  admin.set_whole_records(true);
  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin.PullAll(1, {}, &records, &cursor).ok());
  for (const Work& w : work) {
    const v1::Record record = ServerRecord(records, w.id);
    EXPECT_EQ(record.scope(), kDesa) << w.file;
    EXPECT_EQ(WriterOf(record, "name"), w.device->node()) << w.file;
  }

  // Each device takes its reply back: its pending list empties.
  for (const Work& w : work) {
    ASSERT_THAT(w.device->PendingCount(), IsOkAndHolds(1u)) << w.file;
    ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport report,
                         w.device->ImportBundleReply(ReadBytes(w.file + ".reply")));
    EXPECT_EQ(report.acknowledged, 1u) << w.file;
    EXPECT_THAT(w.device->PendingCount(), IsOkAndHolds(0u)) << w.file;
  }
  // A folder without bundles, or no folder: said plainly.
  const std::string empty = dir_.path() + "/empty-stick";
  std::filesystem::create_directories(empty);
  for (const auto& [folder, said] :
       {std::make_pair(empty, "No bundle (*.bundle) in folder"),
        std::make_pair(dir_.path() + "/no-such-stick", "Cannot read folder")}) {
    auto [none_code, none_out] = RelayByCitra(folder, "en");
    EXPECT_EQ(none_code, 1) << none_out;
    EXPECT_THAT(none_out, HasSubstr(said));
  }
  // The carrier's token only let the call in: a carrier without a valid
  // token relays nothing.
  ASSERT_TRUE(admin.RevokeUser("citra").ok());
  auto [revoked_code, revoked_out] = RelayByCitra(stick, "id");
  EXPECT_EQ(revoked_code, 1) << revoked_out;
  EXPECT_THAT(revoked_out, HasSubstr("ditolak server"));
  EXPECT_EQ(Occurrences(revoked_out, "diterapkan untuk pengguna"), 0u) << revoked_out;
}

// The bytes of a picture of `kib` KiB for a report.
mobile::PhotoAttachment Picture(const std::string& path, size_t kib, char fill) {
  std::string picture(kib * 1024, fill);
  picture.replace(0, 4, "\xFF\xD8\xFF\xE0");
  WriteBytes(path, picture);
  mobile::PhotoAttachment photo;
  photo.file = path;
  photo.stage = "50";
  return photo;
}

// On `device`: an activity `name` and a progress report with a photo of
// `kib` KiB (saved at `photo_path`): three records and one photo to send.
void WorkWithPhoto(Device& device, const std::string& name, size_t kib,
                   const std::string& photo_path) {
  ASSERT_OK_AND_ASSIGN(const std::string activity,
                       device.Create("activity", kDesa, Activity(name)));
  ASSERT_OK(device.CreateReport(kDesa,
                                {{"activity_id", activity},
                                 {"visit_date", std::string("2026-11-20")},
                                 {"physical_progress_pct", 50.0}},
                                {Picture(photo_path, kib, name[0])})
                .status());
}

TEST_F(BundleSyncTest, BundlesSplitBySizeReassemble) {
  // ani's work: an activity and a report with a 200 KiB photo, split in
  // parts of at most 64 KiB.
  constexpr uint64_t kMaxBytes = 64 * 1024;
  ASSERT_NO_FATAL_FAILURE(WorkWithPhoto(*ani_, "Embung", 200, dir_.path() + "/embung.jpg"));
  const std::string stick = dir_.path() + "/stick";
  std::filesystem::create_directories(stick);
  ASSERT_OK_AND_ASSIGN(mobile::BundleExport split, ani_->ExportBundle({.max_bytes = kMaxBytes}));
  ASSERT_GE(split.files.size(), 4u);
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> parts,
                       common::WriteBundleFiles(stick + "/ani.bundle", split.files));
  const std::string count = std::to_string(parts.size());
  for (size_t k = 0; k < parts.size(); ++k) {
    EXPECT_EQ(parts[k], stick + "/ani.part" + std::to_string(k + 1) + "of" + count + ".bundle");
    EXPECT_LE(std::filesystem::file_size(parts[k]), kMaxBytes) << parts[k];
  }
  ASSERT_OK_AND_ASSIGN(mobile::BundleExport whole, ani_->ExportBundle({}));
  EXPECT_EQ(whole.bundle_id, split.bundle_id) << "the id of the whole body";
  ASSERT_EQ(whole.files.size(), 1u);
  WriteBytes(dir_.path() + "/ani-whole.bundle", whole.files[0]);
  const std::vector<std::string> before = ServerRecords();

  // A part missing: refused naming it, nothing applied, no reply.
  std::vector<std::string> without_two = parts;
  without_two.erase(without_two.begin() + 1);
  auto [missing_code, missing_out] = AdminImport(without_two);
  EXPECT_EQ(missing_code, 1) << missing_out;
  EXPECT_THAT(missing_out, HasSubstr("part 2 of " + count + " is missing"));
  EXPECT_EQ(ServerRecords(), before);
  EXPECT_FALSE(std::filesystem::exists(stick + "/ani.bundle.reply"));
  // The same through the server's own check (a relaying device's call):
  // a part missing, then a part with a flipped byte.
  ASSERT_OK_AND_ASSIGN(auto carrier, OpenDevice("carrier", server_->address(), budi_token_));
  std::vector<std::string> files = split.files;
  files.erase(files.begin() + 1);
  absl::StatusOr<mobile::BundleRelay> relayed = carrier->RelayBundle(files, {});
  ASSERT_FALSE(relayed.ok());
  EXPECT_THAT(relayed.status().message(), HasSubstr("part 2 of " + count + " is missing"));
  files = split.files;
  files[2][files[2].size() / 2] ^= 0x01;
  relayed = carrier->RelayBundle(files, {});
  ASSERT_FALSE(relayed.ok());
  EXPECT_THAT(relayed.status().message(), HasSubstr("file 3 of " + count));
  EXPECT_THAT(relayed.status().message(), HasSubstr("altered"));
  EXPECT_EQ(ServerRecords(), before);

  // All parts, in any order: applied whole; one reply, named as the
  // unsplit bundle's.
  std::vector<std::string> reversed(parts.rbegin(), parts.rend());
  auto [code, out] = AdminImport(reversed);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr(stick + "/ani.bundle [" + count + "/" + count + " parts]: user ani"));
  EXPECT_THAT(out, HasSubstr("3 changes (3 applied, 0 rejected), 1 of 1 photos stored"));
  const std::vector<std::string> after_split = ServerRecords();
  EXPECT_NE(after_split, before);
  // The unsplit bundle of the same work finds nothing left to do: the
  // server holds what an unsplit import gives.
  auto [whole_code, whole_out] = AdminImport(dir_.path() + "/ani-whole.bundle");
  ASSERT_EQ(whole_code, 0) << whole_out;
  EXPECT_THAT(whole_out, HasSubstr("3 changes (3 applied, 0 rejected), 1 of 1 photos stored"));
  EXPECT_EQ(ServerRecords(), after_split);
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport report,
                       ani_->ImportBundleReply(ReadBytes(stick + "/ani.bundle.reply")));
  EXPECT_EQ(report.acknowledged, 3u) << "the activity, the report and its photo record";
  EXPECT_EQ(report.photos_stored, 1u);
  EXPECT_THAT(ani_->PendingCount(), IsOkAndHolds(0u));

  // Relay of a folder holding the parts of two bundles (ani's again, and
  // budi's) and a damaged copy of one part: each bundle goes in one call
  // and gets one reply; the damaged copy is set aside, named.
  ASSERT_OK_AND_ASSIGN(auto budi, OpenDevice("budi", server_->address(), budi_token_));
  SyncOk(*budi);
  ASSERT_NO_FATAL_FAILURE(WorkWithPhoto(*budi, "Posyandu", 100, dir_.path() + "/posyandu.jpg"));
  ASSERT_OK_AND_ASSIGN(mobile::BundleExport budi_split,
                       budi->ExportBundle({.max_bytes = kMaxBytes}));
  ASSERT_GE(budi_split.files.size(), 2u);
  ASSERT_OK(common::WriteBundleFiles(stick + "/budi.bundle", budi_split.files).status());
  std::string damaged = split.files[0];
  damaged[damaged.size() / 3] ^= 0x80;
  WriteBytes(stick + "/copy-of-ani.part1of" + count + ".bundle", damaged);
  std::filesystem::remove(stick + "/ani.bundle.reply");
  ASSERT_NO_FATAL_FAILURE(AddCarrierCitra());
  auto [relay_code, relay_out] = RelayByCitra(stick, "en");
  EXPECT_EQ(relay_code, 1) << "the damaged copy was not sent:\n" << relay_out;
  EXPECT_THAT(relay_out, HasSubstr("copy-of-ani.part1of" + count + ".bundle: not sent"));
  EXPECT_THAT(relay_out, HasSubstr(stick + "/ani.bundle [" + count + "/" + count +
                                   " parts]: applied for user ani"));
  EXPECT_THAT(relay_out, HasSubstr(stick + "/budi.bundle [" +
                                   std::to_string(budi_split.files.size()) + "/" +
                                   std::to_string(budi_split.files.size()) +
                                   " parts]: applied for user budi"));
  EXPECT_THAT(relay_out, HasSubstr("reply written to " + stick + "/budi.bundle.reply"));
  EXPECT_TRUE(std::filesystem::exists(stick + "/ani.bundle.reply"));
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport budi_report,
                       budi->ImportBundleReply(ReadBytes(stick + "/budi.bundle.reply")));
  EXPECT_EQ(budi_report.acknowledged, 3u);
  EXPECT_EQ(budi_report.photos_stored, 1u);
  EXPECT_THAT(budi->PendingCount(), IsOkAndHolds(0u));

  // A part missing from the folder: the relay sends nothing of that
  // bundle, naming the part.
  std::filesystem::remove(stick + "/copy-of-ani.part1of" + count + ".bundle");
  std::filesystem::remove(parts[1]);
  const std::vector<std::string> before_incomplete = ServerRecords();
  auto [incomplete_code, incomplete_out] = RelayByCitra(stick, "id");
  EXPECT_EQ(incomplete_code, 1) << incomplete_out;
  EXPECT_THAT(incomplete_out, HasSubstr("tidak dikirim"));
  EXPECT_THAT(incomplete_out, HasSubstr("part 2 of " + count + " is missing"));
  EXPECT_EQ(ServerRecords(), before_incomplete);
}

// kawal-field bundle export --max_bytes: parts named after --out; a
// maximum too small to hold one part is refused, nothing written.
TEST_F(BundleSyncTest, KawalFieldSplitsByMaxBytes) {
  mobile::FieldValues long_notes = Activity("Embung");
  long_notes.emplace_back("notes", std::string(1900, 'x'));
  ASSERT_OK(ani_->Create("activity", kDesa, long_notes).status());
  ani_.reset();  // the store is the command's now
  const std::string home = dir_.path() + "/ani";
  const std::string out = dir_.path() + "/cli.bundle";
  auto export_with = [&](const std::string& lang, const std::string& max_bytes) {
    absl::StatusOr<std::pair<int, std::string>> run = ServerProcess::RunToExit(
        KAWAL_FIELD_BINARY, {"--home=" + home, "--lang=" + lang, "bundle", "export",
                             "--out=" + out, "--max_bytes=" + max_bytes});
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : std::make_pair(-1, std::string());
  };
  auto [small_code, small_out] = export_with("en", "100");
  EXPECT_EQ(small_code, 1) << small_out;
  EXPECT_THAT(small_out, HasSubstr("--max_bytes=100 cannot be used, nothing was written"));
  EXPECT_THAT(small_out, HasSubstr("use a maximum of at least"));
  EXPECT_FALSE(std::filesystem::exists(out));
  auto [split_code, split_out] = export_with("id", "1500");
  ASSERT_EQ(split_code, 0) << split_out;
  EXPECT_THAT(split_out, HasSubstr("Paket ditulis dalam "));
  std::vector<std::string> parts;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    if (entry.path().filename().string().rfind("cli.part", 0) == 0) {
      parts.push_back(entry.path().string());
      EXPECT_LE(entry.file_size(), 1500u) << entry.path();
    }
  }
  ASSERT_GE(parts.size(), 2u);
  auto [code, imported] = AdminImport(parts);
  ASSERT_EQ(code, 0) << imported;
  EXPECT_THAT(imported, HasSubstr("1 changes (1 applied, 0 rejected)"));
  EXPECT_TRUE(std::filesystem::exists(out + ".reply"));
}

// The reply brings another device's edits and a conflict: ani edits offline
// a record budi edits online (the same field, and another one); the reply
// delivers budi's other edit, budi's new activity and the conflict record.
// Applied twice, or again after a network sync (older than the device's
// state), the reply changes nothing.
TEST_F(BundleSyncTest, TheReplyBringsAnotherDevicesEditsAndAConflict) {
  ASSERT_OK_AND_ASSIGN(const std::string shared,
                       ani_->Create("activity", kDesa, Activity("Embung")));
  SyncOk(*ani_);
  ASSERT_OK_AND_ASSIGN(auto budi, OpenDevice("budi", server_->address(), budi_token_));
  SyncOk(*budi);
  ASSERT_OK(ani_->Update("activity", shared, {{"notes", std::string("dicatat ani")}}));
  ASSERT_OK(budi->Update("activity", shared, {{"notes", std::string("dicatat budi")}}));
  ASSERT_OK(budi->Update("activity", shared, {{"status", std::string("in_progress")}}));
  ASSERT_OK_AND_ASSIGN(const std::string budis, budi->Create("activity", kDesa, Activity("Posyandu")));
  SyncOk(*budi);

  const std::string bundle = Export("ani.bundle");
  auto [code, out] = AdminImport(bundle);
  ASSERT_EQ(code, 0) << out;
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport report,
                       ani_->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_EQ(report.acknowledged, 1u);
  EXPECT_THAT(ani_->PendingCount(), IsOkAndHolds(0u));
  EXPECT_OK(ani_->Get("activity", budis).status()) << "budi's new activity";
  ASSERT_OK_AND_ASSIGN(sync::RecordState edited, ani_->Get("activity", shared));
  EXPECT_EQ(sync::ValueToJson(edited.fields.at("status").value), "\"in_progress\"")
      << "budi's other edit";
  mobile::ListQuery conflicts;
  conflicts.collection = "conflict";
  ASSERT_OK_AND_ASSIGN(std::vector<sync::RecordState> held, ani_->List(conflicts));
  ASSERT_EQ(held.size(), 1u) << "the conflict record came with the reply";

  const auto replied = DeviceSnapshot(*ani_);
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport twice,
                       ani_->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_EQ(twice.acknowledged, 0u);
  EXPECT_EQ(DeviceSnapshot(*ani_), replied);
  // The devices converge over the network; the old reply then is harmless.
  SyncOk(*budi);
  SyncOk(*ani_);
  EXPECT_EQ(DeviceSnapshot(*ani_), DeviceSnapshot(*budi));
  const auto synced = DeviceSnapshot(*ani_);
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport late,
                       ani_->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_FALSE(late.cursor_advanced);
  EXPECT_EQ(DeviceSnapshot(*ani_), synced);
  EXPECT_EQ(SyncOk(*ani_).pulled, 0u) << "the cursor did not go back";
}

// Records of `server` written by device `node`: "collection/id" -> the whole
// record without its server sequences (which differ between two servers).
std::map<std::string, std::string> RecordsOf(ServerProcess& server, uint64_t node) {
  TestClient admin = AdminClient(server);
  admin.set_whole_records(true);
  std::vector<v1::Record> records;
  std::string cursor;
  EXPECT_TRUE(admin.PullAll(1, {}, &records, &cursor).ok());
  std::map<std::string, std::string> out;
  for (v1::Record r : records) {
    bool written_by_node = false;
    for (const v1::FieldState& f : r.fields()) written_by_node |= f.stamp().node() == node;
    if (!written_by_node) continue;
    r.clear_seq();
    r.clear_created_seq();
    for (v1::FieldState& f : *r.mutable_fields()) f.clear_changed_seq();
    r.clear_tombstone_seq();
    out[r.collection() + "/" + r.id()] = r.DebugString();
  }
  return out;
}

// The aggregates of `server`'s progress report for kabupaten 62.10 (per
// desa, and per sector), without the time it was made.
std::vector<std::string> ProgressOf(ServerProcess& server) {
  TestClient admin = AdminClient(server);
  auto reports = v1::ReportService::NewStub(admin.channel());
  std::vector<std::string> out;
  for (const char* by : {"", "sector", "source"}) {
    v1::ProgressRequest request;
    request.set_region("62.10");
    request.set_year(2026);
    request.set_level("desa");
    request.set_by(by);
    v1::ProgressResponse progress;
    grpc::Status status = reports->Progress(admin.Context().get(), request, &progress);
    EXPECT_TRUE(status.ok()) << status.error_message();
    progress.clear_generated_at_ms();
    out.push_back(progress.DebugString());
  }
  return out;
}

// The month: a month of offline work (activities, edits, a delete,
// reports with photos) on one device, copied before it travels: one copy
// syncs over the network to one server, the other goes by bundle only to a
// second server. Both servers then hold the same records and the same
// aggregates.
TEST_F(BundleSyncTest, AMonthByBundleLandsAsANetworkSyncDoes) {
  ServerProcess second(dir_.path() + "/server2", {"--seed_region=62.10"});
  ASSERT_TRUE(second.Start().ok()) << second.Stderr();
  std::string second_token;
  ASSERT_TRUE(AdminClient(second).AddUser("ani", v1::FACILITATOR, {kDesa}, &second_token).ok());
  uint64_t node = 0;
  {
    ASSERT_OK_AND_ASSIGN(auto month, OpenDevice("month"));
    node = month->node();
    std::vector<std::string> ids;
    for (int day = 0; day < 30; ++day) {
      const mobile::FieldValues values = {
          {"name", "Kegiatan hari " + std::to_string(day)},
          {"year", int64_t{2026}},
          {"sector", int64_t{1 + day % 5}},
          {"status", std::string("planned")},
          {"budget", sync::AmountMap{{"DDS", int64_t{1000000} * (day + 1)}, {"ADD", 250000}}}};
      ASSERT_OK_AND_ASSIGN(const std::string id, month->Create("activity", kDesa, values));
      ids.push_back(id);
      if (day % 3 == 0) ASSERT_OK(month->Update("activity", id, {{"status", std::string("in_progress")}}));
    }
    ASSERT_OK(month->Delete("activity", ids[29]));
    std::string picture(20 * 1024, '\x33');
    picture.replace(0, 4, "\xFF\xD8\xFF\xE0");
    for (int i = 0; i < 5; ++i) {
      picture[100] = static_cast<char>(i);  // five different photos
      mobile::PhotoAttachment photo;
      photo.file = dir_.path() + "/foto-" + std::to_string(i) + ".jpg";
      WriteBytes(photo.file, picture);
      photo.stage = "50";
      ASSERT_OK(month->CreateReport(kDesa,
                                    {{"activity_id", ids[i]},
                                     {"visit_date", std::string("2026-11-2") + std::to_string(i)},
                                     {"physical_progress_pct", 50.0},
                                     {"spent", sync::AmountMap{{"DDS", 400000}}}},
                                    {photo})
                    .status());
    }
  }  // closed: its folder is copied as it is
  for (const char* copy : {"month-net", "month-bundle"}) {
    std::filesystem::copy(dir_.path() + "/month", dir_.path() + "/" + copy,
                          std::filesystem::copy_options::recursive);
  }

  ASSERT_OK_AND_ASSIGN(auto by_network,
                       OpenTestDevice(TestDeviceOptions(dir_.path() + "/month-net", "month"),
                                      server_->address(), ani_token_));
  SyncOk(*by_network);
  EXPECT_THAT(by_network->PendingCount(), IsOkAndHolds(0u));

  ASSERT_OK_AND_ASSIGN(auto by_bundle,
                       OpenTestDevice(TestDeviceOptions(dir_.path() + "/month-bundle", "month"),
                                      second.address(), second_token));
  absl::StatusOr<std::pair<int, std::string>> key = second.RunAdmin({"bundle", "server-key"});
  ASSERT_TRUE(key.ok() && key->first == 0) << key.status();
  ASSERT_OK(by_bundle->TrustServerBundleKey(key->second));
  ASSERT_OK_AND_ASSIGN(mobile::BundleExport exported, by_bundle->ExportBundle({}));
  EXPECT_EQ(exported.photos, 5u);
  const std::string bundle = dir_.path() + "/month.bundle";
  WriteBytes(bundle, exported.files.front());
  absl::StatusOr<std::pair<int, std::string>> imported =
      second.RunAdmin({"bundle", "import", bundle});
  ASSERT_TRUE(imported.ok() && imported->first == 0) << imported.status() << imported->second;
  ASSERT_OK_AND_ASSIGN(mobile::BundleReplyReport report,
                       by_bundle->ImportBundleReply(ReadBytes(bundle + ".reply")));
  EXPECT_EQ(report.rejected, 0u);
  EXPECT_EQ(report.photos_stored, 5u);
  EXPECT_THAT(by_bundle->PendingCount(), IsOkAndHolds(0u));

  const std::map<std::string, std::string> network_records = RecordsOf(*server_, node);
  EXPECT_EQ(network_records.size(), 40u);  // 30 activities, 5 reports, their 5 photos
  EXPECT_EQ(RecordsOf(second, node), network_records);
  EXPECT_EQ(ProgressOf(second), ProgressOf(*server_));
  ASSERT_OK_AND_ASSIGN(auto network_photos, by_network->Photos());
  ASSERT_OK_AND_ASSIGN(auto bundle_photos, by_bundle->Photos());
  ASSERT_EQ(bundle_photos.size(), 5u);
  auto uploaded = [](const std::vector<mobile::PhotoView>& photos) {
    std::set<std::string> out;
    for (const mobile::PhotoView& p : photos) {
      if (p.uploaded) out.insert(p.sha256);
    }
    return out;
  };
  EXPECT_EQ(uploaded(bundle_photos).size(), 5u);
  EXPECT_EQ(uploaded(bundle_photos), uploaded(network_photos));
  ASSERT_TRUE(second.Stop().ok());
}

}  // namespace
}  // namespace kawal::testing
