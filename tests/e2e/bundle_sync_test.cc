// Sync by bundle with a real kawal-server (docs/bundles.md): a device works
// offline and exports a bundle; kawal-admin imports it and writes a reply;
// the device imports the reply: its pending list empties, it receives
// another device's work, and its records equal what a network sync gives.
// Importing a bundle or a reply twice changes nothing; an altered bundle,
// one of a revoked user and one with another village's record are refused
// with nothing applied; a reply older than a network sync keeps the cursor.
// A facilitator of another village relays colleagues' bundles
// (kawal-field bundle relay): each applies under its own signer. A bundle
// split by size (--max_bytes) is imported whole from its parts, by
// kawal-admin and by relay, or refused whole naming a missing or altered part.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/common/bundle_part_files.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/codec.h"
#include "server_process.h"
#include "test_client.h"

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

}  // namespace
}  // namespace kawal::testing
