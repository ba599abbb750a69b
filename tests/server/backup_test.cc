// Tests for server/src/backup.cc, in process against a RocksDB in a
// temporary dir: backups are created (recording the incarnation and the
// watermark), listed, verified and purged; a restore brings back exactly
// what the backup holds under a new incarnation whose parent is the old
// one; a corrupt backup is reported naming the damaged file, and restoring
// it touches nothing.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "backup/backup.h"
#include "store/database.h"
#include "kawal/sync/schema.h"
#include "engine/push_applier.h"
#include "store/sequencer.h"
#include "server_process.h"
#include "status_assert.h"
#include "test_client.h"

namespace kawal::server {
namespace {

using kawal::testing::NewActivity;
using kawal::testing::TempDir;
using ::testing::HasSubstr;

constexpr char kDesa[] = "62.10.01.2001";

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = dir_.path() + "/data";
    backup_dir_ = dir_.path() + "/backups";
    ASSERT_NO_FATAL_FAILURE(OpenServer(data_dir_));
  }

  // Opens the database in `data_dir` and what writes and backs it up.
  void OpenServer(const std::string& data_dir) {
    CloseServer();
    ASSERT_OK_AND_ASSIGN(database_, Database::Open(data_dir));
    sequencer_ = std::make_unique<Sequencer>(database_.get());
    applier_ = std::make_unique<PushApplier>(database_.get(), sequencer_.get(), &server_clock_,
                                             &sync::Schema::Default());
    backups_ = std::make_unique<BackupManager>(database_.get(), sequencer_.get(), backup_dir_);
  }

  void CloseServer() {
    backups_.reset();
    applier_.reset();
    sequencer_.reset();
    database_.reset();
  }

  void Push(const std::string& id) {
    ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> outcomes,
                         applier_->Apply({NewActivity(device_clock_, id, kDesa)},
                                         sync::Writer::kDevice, 7));
    ASSERT_OK(outcomes[0].status);
  }

  bool Holds(const std::string& id) {
    absl::StatusOr<sync::RecordState> r = applier_->Get("activity", id);
    EXPECT_OK(r);
    return r.ok() && !r->IsEmpty();
  }

  static std::vector<uint32_t> Ids(const std::vector<v1::BackupInfo>& infos) {
    std::vector<uint32_t> ids;
    for (const v1::BackupInfo& info : infos) ids.push_back(info.id());
    return ids;
  }

  // The largest file of the backup dir: flipping a byte of it damages a
  // backup without changing any file's size.
  std::filesystem::path LargestBackupFile() const {
    std::filesystem::path largest;
    uintmax_t size = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(backup_dir_)) {
      if (!entry.is_regular_file() || entry.path().parent_path().filename() == "meta") continue;
      if (entry.file_size() > size) {
        size = entry.file_size();
        largest = entry.path();
      }
    }
    return largest;
  }

  TempDir dir_;
  std::string data_dir_, backup_dir_;
  sync::Clock server_clock_{1};
  sync::Clock device_clock_{7};
  std::unique_ptr<Database> database_;
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<PushApplier> applier_;
  std::unique_ptr<BackupManager> backups_;
};

TEST_F(BackupTest, CreateListVerifyPurge) {
  ASSERT_OK_AND_ASSIGN(std::vector<v1::BackupInfo> none, backups_->List());
  EXPECT_TRUE(none.empty()) << "no backup dir yet: an empty list";
  ASSERT_NO_FATAL_FAILURE(Push("a1"));
  ASSERT_OK_AND_ASSIGN(v1::BackupInfo first, backups_->Create());
  EXPECT_EQ(first.incarnation(), database_->incarnation());
  EXPECT_EQ(first.last_seq(), sequencer_->Watermark()) << "everything pushed is in it";
  EXPECT_GT(first.files(), 0u);
  ASSERT_NO_FATAL_FAILURE(Push("a2"));
  ASSERT_OK_AND_ASSIGN(v1::BackupInfo second, backups_->Create());
  EXPECT_GT(second.id(), first.id());
  EXPECT_GT(second.last_seq(), first.last_seq());

  ASSERT_OK_AND_ASSIGN(std::vector<v1::BackupInfo> listed, backups_->List());
  EXPECT_EQ(Ids(listed), (std::vector<uint32_t>{first.id(), second.id()}));
  ASSERT_OK_AND_ASSIGN(v1::VerifyBackupResponse verified, backups_->Verify(first.id()));
  EXPECT_TRUE(verified.ok()) << verified.problem();
  EXPECT_EQ(verified.backup().id(), first.id());
  EXPECT_EQ(backups_->Verify(99).status().code(), absl::StatusCode::kNotFound);

  EXPECT_EQ(backups_->Purge(0).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_OK(backups_->Purge(1));
  ASSERT_OK_AND_ASSIGN(listed, backups_->List());
  EXPECT_EQ(Ids(listed), std::vector<uint32_t>{second.id()}) << "the newest is kept";
}

// Backups hold every record and token hash: owner-only whatever the umask,
// also when the folder existed with a looser mode.
TEST_F(BackupTest, EveryBackupFileIsOwnerOnlyWhateverTheUmask) {
  namespace fs = std::filesystem;
  ASSERT_TRUE(fs::create_directories(backup_dir_));
  fs::permissions(backup_dir_, fs::perms::all);  // 0777
  ASSERT_NO_FATAL_FAILURE(Push("a1"));
  const mode_t previous_umask = ::umask(0);  // the engine would create 0666/0777
  absl::StatusOr<v1::BackupInfo> first = backups_->Create();
  ASSERT_NO_FATAL_FAILURE(Push("a2"));
  absl::StatusOr<v1::BackupInfo> second = backups_->Create();
  ::umask(previous_umask);
  ASSERT_OK(first.status());
  ASSERT_OK(second.status());

  EXPECT_EQ(fs::status(backup_dir_).permissions(), fs::perms::owner_all);
  int files = 0;
  bool saw_backup_folder = false;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(backup_dir_)) {
    const fs::perms mode = entry.symlink_status().permissions();
    if (entry.is_directory()) {
      EXPECT_EQ(mode, fs::perms::owner_all) << entry.path();
      if (entry.path().parent_path().filename() == "private") saw_backup_folder = true;
    } else {
      ++files;
      EXPECT_EQ(mode, fs::perms::owner_read | fs::perms::owner_write) << entry.path();
    }
  }
  EXPECT_GT(files, 0);
  EXPECT_TRUE(saw_backup_folder) << "each backup's own folder was checked";
}

TEST_F(BackupTest, RestoreBringsBackTheBackupUnderANewIncarnation) {
  ASSERT_NO_FATAL_FAILURE(Push("before"));
  ASSERT_OK_AND_ASSIGN(v1::BackupInfo backup, backups_->Create());
  ASSERT_NO_FATAL_FAILURE(Push("after"));
  const std::string old_incarnation = database_->incarnation();
  CloseServer();

  const std::string restored_dir = dir_.path() + "/restored";
  ASSERT_OK_AND_ASSIGN(RestoreResult result,
                       RestoreBackup(backup_dir_, /*backup_id=*/0, restored_dir, false));
  EXPECT_EQ(result.backup_id, backup.id()) << "0 means the latest";
  EXPECT_EQ(result.parent_incarnation, old_incarnation);
  EXPECT_EQ(result.parent_seq, backup.last_seq());
  EXPECT_NE(result.new_incarnation, old_incarnation);
  EXPECT_EQ(result.old_data_kept_at, "");

  ASSERT_NO_FATAL_FAILURE(OpenServer(restored_dir));
  EXPECT_EQ(database_->incarnation(), result.new_incarnation);
  EXPECT_TRUE(Holds("before"));
  EXPECT_FALSE(Holds("after")) << "written after the backup";

  // Over a non-empty data dir only with force, which keeps the old one.
  CloseServer();
  auto refused = RestoreBackup(backup_dir_, backup.id(), data_dir_, false);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(RestoreResult forced,
                       RestoreBackup(backup_dir_, backup.id(), data_dir_, true));
  EXPECT_NE(forced.old_data_kept_at, "");
  EXPECT_TRUE(std::filesystem::exists(forced.old_data_kept_at));
}

TEST_F(BackupTest, CorruptBackupIsNamedAndRestoresNothing) {
  ASSERT_NO_FATAL_FAILURE(Push("a1"));
  ASSERT_OK_AND_ASSIGN(v1::BackupInfo backup, backups_->Create());
  const std::filesystem::path damaged = LargestBackupFile();
  ASSERT_FALSE(damaged.empty());
  {
    std::fstream file(damaged, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(static_cast<std::streamoff>(std::filesystem::file_size(damaged) / 2));
    char byte = 0;
    file.read(&byte, 1);
    file.seekp(static_cast<std::streamoff>(std::filesystem::file_size(damaged) / 2));
    byte = static_cast<char>(byte ^ 0x5A);
    file.write(&byte, 1);
  }

  ASSERT_OK_AND_ASSIGN(v1::VerifyBackupResponse verified, backups_->Verify(backup.id()));
  EXPECT_FALSE(verified.ok());
  EXPECT_THAT(verified.problem(), HasSubstr(damaged.filename().string()));

  CloseServer();
  const std::string target = dir_.path() + "/target";
  auto restored = RestoreBackup(backup_dir_, backup.id(), target, false);
  EXPECT_EQ(restored.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(restored.status().message()), HasSubstr(damaged.filename().string()));
  EXPECT_FALSE(std::filesystem::exists(target)) << "nothing restored";
}

}  // namespace
}  // namespace kawal::server
