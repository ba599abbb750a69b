// Restore drills with sync bundles (docs/bundles.md "Restores"), real
// kawal-server and kawal-admin: devices sync over the network, a backup is
// taken, more work is synced, a device works offline and exports a bundle,
// the server is restored from the older backup; the bundle is imported at
// the office and its reply on the device, which learns of the restore and
// queues again what the backup lacks (the bounded recovery of a network
// sync). Afterwards the server holds everything any device held, once.
// Also: a device that recovered over the network first takes the old
// bundle's reply harmlessly, and a reply from before the restore changes
// nothing.
#include <fstream>
#include <iterator>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "restore_drill_fixture.h"

namespace kawal::testing {
namespace {

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class BundleRestoreTest : public RestoreDrillTest {
 protected:
  // Exports a_'s bundle to dir_/name; returns the path.
  std::string ExportA(const std::string& name) {
    absl::StatusOr<mobile::BundleExport> exported = a_->ExportBundle({});
    EXPECT_TRUE(exported.ok()) << exported.status();
    const std::string path = dir_.path() + "/" + name;
    if (exported.ok()) std::ofstream(path, std::ios::binary) << exported->files.front();
    return path;
  }

  // kawal-admin bundle import at the office; the output.
  std::string Import(const std::string& path) {
    auto [code, out] = Admin({"bundle", "import", path});
    EXPECT_EQ(code, 0) << out;
    return out;
  }

  mobile::BundleReplyReport ImportReply(const std::string& bundle) {
    absl::StatusOr<mobile::BundleReplyReport> report =
        a_->ImportBundleReply(ReadBytes(bundle + ".reply"));
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : mobile::BundleReplyReport();
  }

  // Offline on ani's device: a new activity, and an edit of `lost`, a record
  // the backup lacks (the restored server would refuse the edit alone).
  void OfflineWork(const std::string& lost) {
    offline_id_ = NewActivity(*a_, kDesaB, "luring");
    ASSERT_TRUE(a_->Update("activity", lost, {{"notes", std::string("diubah luring")}}).ok());
  }

  // After network syncs of both devices: every record any device held
  // before (`held`) is on the server, unchanged and once; the devices hold
  // what the server holds; aggregates verify.
  void ExpectNothingLost(const Contents& held) {
    ASSERT_TRUE(a_->Configure(server_->address(), "").ok());
    ASSERT_TRUE(b_->Configure(server_->address(), "").ok());
    Sync(*b_);
    Sync(*a_);
    Sync(*b_);
    const Contents server = ServerContents();  // asserts each record once
    for (const auto& [key, text] : held) {
      auto it = server.find(key);
      ASSERT_NE(it, server.end()) << key << " lost";
      EXPECT_EQ(it->second, text) << key;
    }
    EXPECT_EQ(server.size(), held.size()) << "a record was made twice";
    EXPECT_EQ(DeviceContents(*a_), server);
    EXPECT_EQ(DeviceContents(*b_), ServerContents(kDesaA));
    auto [code, out] = Admin({"aggregates", "verify"});
    EXPECT_EQ(code, 0) << out;
  }

  // What both devices hold (ani's view wins where both hold a record: it
  // holds the offline edits).
  Contents Held() {
    Contents held = DeviceContents(*b_);
    for (const auto& [key, text] : DeviceContents(*a_)) held[key] = text;
    return held;
  }

  std::string offline_id_;
};

TEST_F(BundleRestoreTest, BundleImportedAfterARestoreRecoversWhatTheBackupLacks) {
  Work("awal", 10);
  ASSERT_EQ(Admin({"backup", "create"}).first, 0);
  Work("sesudah", 3);
  const std::string lost = ids_.back();  // budi's, in desa A: ani holds it too
  ASSERT_NO_FATAL_FAILURE(OfflineWork(lost));
  const Contents held = Held();
  const uint64_t total = held.size();
  const std::string bundle = ExportA("ani.bundle");

  Restore("latest");
  EXPECT_EQ(ServerContents().count("activity/" + lost), 0u) << "the backup really is older";
  const std::string out = Import(bundle);
  EXPECT_NE(out.find("2 changes (1 applied, 1 rejected)"), std::string::npos) << out;
  EXPECT_NE(out.find("the server was restored from a backup"), std::string::npos) << out;

  // The reply tells the device: it queues again what the backup lacks, and
  // keeps the edit the restored server refused (it goes again, whole).
  mobile::BundleReplyReport reply = ImportReply(bundle);
  EXPECT_TRUE(reply.server_restored);
  EXPECT_FALSE(reply.outdated);
  EXPECT_EQ(reply.acknowledged, 1u);
  EXPECT_EQ(reply.kept_pending, 1u);
  EXPECT_EQ(reply.rejected, 0u);
  EXPECT_GT(reply.requeued, 0u);
  EXPECT_LT(reply.requeued, total / 2) << "bounded: only what changed after the backup";
  EXPECT_TRUE(reply.cursor_advanced);
  ASSERT_OK_AND_ASSIGN(auto rejections, a_->Rejections());
  EXPECT_TRUE(rejections.empty()) << rejections.front().message;

  // A second bundle carries the recovery; its reply is an ordinary one.
  const std::string again = ExportA("ani-2.bundle");
  Import(again);
  mobile::BundleReplyReport second = ImportReply(again);
  EXPECT_FALSE(second.server_restored);
  EXPECT_EQ(second.rejected, 0u);
  EXPECT_THAT(a_->PendingCount(), IsOkAndHolds(0u));
  // The server has ani's offline edit of the record it had lost.
  const Contents server = ServerContents();
  ASSERT_EQ(server.count("activity/" + lost), 1u);
  EXPECT_NE(server.at("activity/" + lost).find("diubah luring"), std::string::npos);

  // Then the network: ani's device already recovered (no second recovery);
  // budi's recovers as usual, bounded.
  ASSERT_TRUE(a_->Configure(server_->address(), "").ok());
  mobile::SyncReport ra = Sync(*a_);
  EXPECT_FALSE(ra.restore_detected);
  EXPECT_EQ(ra.pushed, 0u);
  ASSERT_TRUE(b_->Configure(server_->address(), "").ok());
  mobile::SyncReport rb = Sync(*b_);
  EXPECT_TRUE(rb.restore_detected);
  EXPECT_LT(rb.repushed_after_restore, total / 2);
  ExpectNothingLost(held);
}

// The device recovers over the network before the old bundle reaches the
// office: the bundle (made before the restore) is imported after it, and
// its reply, from the restored server, changes nothing the device needs.
TEST_F(BundleRestoreTest, BundleMadeBeforeTheRestoreImportedAfterTheDeviceRecovered) {
  Work("awal", 4);
  ASSERT_EQ(Admin({"backup", "create"}).first, 0);
  Work("sesudah", 2);
  ASSERT_NO_FATAL_FAILURE(OfflineWork(ids_.back()));
  const Contents held = Held();
  const std::string bundle = ExportA("ani.bundle");
  Restore("latest");
  mobile::SyncReport recovered = Sync(*a_);
  EXPECT_TRUE(recovered.restore_detected);
  EXPECT_THAT(a_->PendingCount(), IsOkAndHolds(0u));
  const auto synced = DeviceSnapshot(*a_);

  Import(bundle);  // applies again what the recovery sent: idempotent
  mobile::BundleReplyReport reply = ImportReply(bundle);
  EXPECT_FALSE(reply.outdated);
  EXPECT_TRUE(reply.server_restored);
  EXPECT_FALSE(reply.cursor_advanced) << "the network sync's cursor is newer";
  EXPECT_EQ(reply.rejected, 0u);
  EXPECT_THAT(a_->PendingCount(), IsOkAndHolds(0u));
  EXPECT_EQ(DeviceSnapshot(*a_), synced);
  ExpectNothingLost(held);
}

// A reply written before the restore, imported after the device recovered
// from it: the server that wrote it lost part of what it acknowledged, so
// nothing of it is applied.
TEST_F(BundleRestoreTest, ReplyFromBeforeTheRestoreChangesNothing) {
  Work("awal", 4);
  ASSERT_EQ(Admin({"backup", "create"}).first, 0);
  ASSERT_NO_FATAL_FAILURE(OfflineWork(ids_.back()));
  const Contents held = Held();
  const std::string bundle = ExportA("ani.bundle");
  Import(bundle);  // the reply waits on the stick
  Restore("latest");
  Sync(*a_);
  const auto recovered = DeviceSnapshot(*a_);
  mobile::BundleReplyReport reply = ImportReply(bundle);
  EXPECT_TRUE(reply.outdated);
  EXPECT_EQ(reply.acknowledged, 0u);
  EXPECT_EQ(reply.pulled, 0u);
  EXPECT_EQ(DeviceSnapshot(*a_), recovered);
  ExpectNothingLost(held);
}

}  // namespace
}  // namespace kawal::testing
