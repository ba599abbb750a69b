// Restore drills with real processes: a server with data from two devices
// is backed up, both devices write more (synced), the server is stopped and
// the older backup restored; after the devices sync, the server holds every
// record and field value that existed before the restore, aggregates verify
// clean, no device lost anything, and what the devices re-sent and re-fetched
// is bounded by what the backup lacked. A second drill restores twice in a
// row (a lineage of two); a third restores while a device is in the middle
// of a sync; a fourth after a device's push was acknowledged but its pull
// failed.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "fault_proxy.h"
#include "restore_drill_fixture.h"

namespace kawal::testing {
namespace {

TEST_F(RestoreDrillTest, RestoringAnOlderBackupLosesNothingAnyDeviceHolds) {
  Work("awal", 10);
  auto [code, out] = Admin({"backup", "create"});
  ASSERT_EQ(code, 0) << out;
  const size_t at_backup = ServerContents().size();
  Work("sesudah", 5);
  const Contents before = ServerContents();
  const Contents a_before = DeviceContents(*a_), b_before = DeviceContents(*b_);
  const size_t lacking = before.size() - at_backup;  // new records; edited ones add to it

  Restore("latest");
  EXPECT_LT(ServerContents().size(), before.size()) << "the backup really is older";

  mobile::SyncReport ra = Sync(*a_);
  mobile::SyncReport rb = Sync(*b_);
  Sync(*a_);
  EXPECT_TRUE(ra.restore_detected);
  EXPECT_TRUE(rb.restore_detected);
  ExpectServerHolds(before);
  EXPECT_EQ(DeviceContents(*a_), ServerContents());
  EXPECT_EQ(DeviceContents(*b_), ServerContents(kDesaA));
  for (const auto& [key, text] : a_before) EXPECT_TRUE(DeviceContents(*a_).count(key)) << key;
  for (const auto& [key, text] : b_before) EXPECT_TRUE(DeviceContents(*b_).count(key)) << key;
  std::tie(code, out) = Admin({"aggregates", "verify"});
  EXPECT_EQ(code, 0) << out;

  // Bounded recovery: each device re-sent only records changed after the
  // backup, and re-fetched far less than everything.
  const uint64_t total = before.size();
  std::cout << "records " << total << ", lacking from backup >= " << lacking
            << "; re-sent: a " << ra.repushed_after_restore << ", b " << rb.repushed_after_restore
            << "; re-fetched: a " << ra.pulled << ", b " << rb.pulled << "\n";
  EXPECT_GT(ra.repushed_after_restore + rb.repushed_after_restore, 0u);
  EXPECT_LT(ra.repushed_after_restore, total / 2);
  EXPECT_LT(rb.repushed_after_restore, total / 2);
  EXPECT_LT(ra.pulled, total);
  EXPECT_LT(rb.pulled, total);
}

TEST_F(RestoreDrillTest, TwoRestoresInARowFollowTheLineage) {
  Work("satu", 6);
  ASSERT_EQ(Admin({"backup", "create"}).first, 0);
  Work("dua", 4);
  const Contents before = ServerContents();
  Restore("latest");  // lineage: I1 <- I0
  ASSERT_EQ(Admin({"backup", "create"}).first, 0);
  Restore("latest");  // lineage: I2 <- I1 <- I0; devices still know only I0
  v1::HandshakeResponse hello;
  TestClient admin = AdminClient(*server_);
  ASSERT_TRUE(admin.Handshake(v1::HandshakeRequest(), &hello).ok());
  EXPECT_EQ(hello.lineage_size(), 2);
  mobile::SyncReport ra = Sync(*a_);
  mobile::SyncReport rb = Sync(*b_);
  Sync(*a_);
  EXPECT_TRUE(ra.restore_detected);
  ExpectServerHolds(before);
  EXPECT_EQ(DeviceContents(*a_), ServerContents());
  EXPECT_EQ(DeviceContents(*b_), ServerContents(kDesaA));
  EXPECT_EQ(Admin({"aggregates", "verify"}).first, 0);
  std::cout << "lineage of two: re-sent a " << ra.repushed_after_restore << ", b "
            << rb.repushed_after_restore << " of " << before.size() << "\n";
}

// The server is restored while a device is syncing: its handshake saw the
// old incarnation, its pushes and pulls reach the restored one. A pending
// edit of a record the backup lacks must not come back as a rejection
// ("required field missing": the restored server has never seen the
// record), and the device must still recover what the backup lacks.
TEST_F(RestoreDrillTest, RestoreInTheMiddleOfASyncIsNoRejection) {
  Work("awal", 2);
  ASSERT_EQ(Admin({"backup", "create"}).first, 0);
  // After the backup: ani creates a record in budi's desa, budi pulls it and
  // edits it offline.
  const std::string id = NewActivity(*a_, kDesaA, "sesudah backup");
  Sync(*a_);
  Sync(*b_);
  ASSERT_TRUE(b_->Update("activity", id, {{"notes", std::string("diubah budi")}}).ok());

  // budi syncs through a proxy, so that the restored server (on a new port)
  // is reached at the same address; the restore happens as budi's push
  // starts, after its handshake.
  FaultProxy proxy(server_->address());
  ASSERT_TRUE(proxy.Start().ok());
  ASSERT_TRUE(b_->Configure(proxy.address(), "").ok());
  bool restored = false;
  auto report = b_->Sync(mobile::SyncOptions(), [&](const mobile::SyncProgress& p) {
    if (p.phase != "push" || restored) return;
    restored = true;
    RestoreBackup("latest");
    server_ = std::make_unique<ServerProcess>(
        data_dir_, std::vector<std::string>{"--backup_dir=" + backup_dir_});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    proxy.SetUpstream(server_->address());
  });
  ASSERT_FALSE(HasFatalFailure());
  ASSERT_TRUE(restored);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->restore_detected);
  auto rejections = b_->Rejections();
  ASSERT_TRUE(rejections.ok());
  for (const auto& r : *rejections) ADD_FAILURE() << r.collection << "/" << r.id << ": " << r.message;
  auto pending = b_->PendingCount();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(*pending, 0u);

  // The restored server holds the record whole, with budi's edit.
  ExpectHealed(id, {"\"diubah budi\"", "year=2026"});
}

// budi's edit reaches the server after the backup, but budi did not hold
// the latest version (ani had changed the record), so the server's answer
// is "applied", not "in sync", and budi's copy keeps its old sequence until
// a pull brings the new one. The pull fails (the link drops), then the server
// is restored: budi's copy looks as old as the backup by its sequence, yet
// holds an edit the backup lacks. It must be re-sent.
TEST_F(RestoreDrillTest, EditAcknowledgedButNotPulledBackIsResentAfterARestore) {
  Work("awal", 2);
  const std::string id = NewActivity(*a_, kDesaA, "bersama");
  Sync(*a_);
  Sync(*b_);
  ASSERT_EQ(Admin({"backup", "create"}).first, 0);

  ASSERT_TRUE(a_->Update("activity", id, {{"status", std::string("in_progress")}}).ok());
  Sync(*a_);
  ASSERT_TRUE(b_->Update("activity", id, {{"notes", std::string("dicatat budi")}}).ok());
  FaultProxy proxy(server_->address());
  ASSERT_TRUE(proxy.Start().ok());
  ASSERT_TRUE(b_->Configure(proxy.address(), "").ok());
  mobile::SyncOptions once;
  once.max_attempts = 1;
  auto cut = b_->Sync(once, [&](const mobile::SyncProgress& p) {
    if (p.phase != "pull") return;
    proxy.SetRefuse(true);  // the link drops after the push
    proxy.CutAll();
  });
  ASSERT_FALSE(cut.ok()) << "the pull was meant to fail";
  auto pending = b_->PendingCount();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(*pending, 0u) << "the edit was meant to be acknowledged";

  Restore("latest");
  ExpectHealed(id, {"\"dicatat budi\"", "\"in_progress\""});
}

TEST_F(RestoreDrillTest, BadBackupInputIsAClearErrorAndTouchesNothing) {
  Work("x", 2);
  ASSERT_EQ(Admin({"backup", "create"}).first, 0);
  ASSERT_TRUE(server_->Stop().ok());
  auto run = [&](std::vector<std::string> args) {
    const bool as_other_user = !args.empty() && args[0].rfind("--reuid", 0) == 0;
    auto r = as_other_user ? ServerProcess::RunToExit("/usr/bin/setpriv", args)
                           : ServerProcess::RunToExit(AdminBinary(), args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::make_pair(-1, r.status().ToString());
  };
  // A server holding the data dir.
  StartServer();
  auto held = run({"restore", "--backup_dir=" + backup_dir_, "--backup_id=1",
                   "--data_dir=" + data_dir_, "--force"});
  EXPECT_NE(held.first, 0);
  EXPECT_NE(held.second.find("stop it before restoring"), std::string::npos) << held.second;
  ASSERT_TRUE(server_->Stop().ok());
  // Non-empty data dir without --force.
  auto unforced = run({"restore", "--backup_dir=" + backup_dir_, "--backup_id=1",
                       "--data_dir=" + data_dir_});
  EXPECT_NE(unforced.second.find("--force"), std::string::npos) << unforced.second;
  // Missing backup id, wrong path.
  auto missing = run({"restore", "--backup_dir=" + backup_dir_, "--backup_id=9",
                      "--data_dir=" + data_dir_, "--force"});
  EXPECT_NE(missing.second.find("no backup 9"), std::string::npos) << missing.second;
  auto wrong = run({"restore", "--backup_dir=" + dir_.path() + "/nope", "--backup_id=1",
                    "--data_dir=" + data_dir_, "--force"});
  EXPECT_NE(wrong.second.find("does not exist"), std::string::npos) << wrong.second;
  // A backup dir this user may not read (run as an unprivileged user).
  if (::access("/usr/bin/setpriv", X_OK) == 0 && ::geteuid() == 0) {
    std::filesystem::permissions(backup_dir_, std::filesystem::perms::owner_all);
    auto denied = run({"--reuid=65534", "--regid=65534", "--clear-groups", AdminBinary(),
                       "restore", "--backup_dir=" + backup_dir_, "--backup_id=1",
                       "--data_dir=" + dir_.path() + "/elsewhere", "--force"});
    std::filesystem::permissions(backup_dir_, std::filesystem::perms::owner_all |
                                                  std::filesystem::perms::group_read |
                                                  std::filesystem::perms::group_exec |
                                                  std::filesystem::perms::others_read |
                                                  std::filesystem::perms::others_exec);
    EXPECT_NE(denied.first, 0);
    EXPECT_NE(denied.second.find("permission denied"), std::string::npos) << denied.second;
  }
  // A corrupt backup file: verify and restore name it, data dir untouched.
  std::string victim;
  for (const auto& e : std::filesystem::recursive_directory_iterator(backup_dir_)) {
    if (e.path().extension() == ".sst") victim = e.path().string();
  }
  ASSERT_FALSE(victim.empty());
  {
    std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(10);
    f.write("GARBAGE!", 8);
  }
  auto corrupt = run({"restore", "--backup_dir=" + backup_dir_, "--backup_id=1",
                      "--data_dir=" + data_dir_, "--force"});
  EXPECT_NE(corrupt.first, 0);
  const std::string file_name = std::filesystem::path(victim).filename().string();
  EXPECT_NE(corrupt.second.find(file_name.substr(0, 6)), std::string::npos) << corrupt.second;
  // A truncated backup file, likewise.
  std::filesystem::resize_file(victim, std::filesystem::file_size(victim) / 2);
  auto truncated = run({"restore", "--backup_dir=" + backup_dir_, "--backup_id=1",
                        "--data_dir=" + data_dir_, "--force"});
  EXPECT_NE(truncated.first, 0);
  EXPECT_NE(truncated.second.find(file_name.substr(0, 6)), std::string::npos) << truncated.second;
  StartServer();
  auto verify = Admin({"backup", "verify", "1"});
  EXPECT_NE(verify.first, 0);
  EXPECT_NE(verify.second.find("DATA_LOSS"), std::string::npos) << verify.second;
  EXPECT_NE(verify.second.find(file_name.substr(0, 6)), std::string::npos) << verify.second;
  EXPECT_FALSE(ServerContents().empty()) << "the data dir was left as it was";
}

}  // namespace
}  // namespace kawal::testing
