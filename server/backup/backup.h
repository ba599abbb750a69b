// Online, incremental backups with RocksDB's backup engine, and restores
// that give the database a new incarnation remembering where it came from
// (docs/architecture.md §5–6). docs/backup.md is the runbook.
//
// Thread-safety: BackupManager serializes its operations internally and
// may be used while the server serves. RestoreBackup runs with the server
// stopped (it refuses otherwise).
#ifndef KAWAL_SERVER_BACKUP_BACKUP_H_
#define KAWAL_SERVER_BACKUP_BACKUP_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "store/database.h"
#include "kawal/v1/admin.pb.h"
#include "store/sequencer.h"

namespace kawal::server {

class BackupManager {
 public:
  BackupManager(Database* database, Sequencer* sequencer, std::string backup_dir);
  ~BackupManager();

  // Takes a backup now; the server keeps serving. Records the incarnation
  // and the last sequence it surely holds (the watermark before it began).
  absl::StatusOr<v1::BackupInfo> Create();
  absl::StatusOr<std::vector<v1::BackupInfo>> List();
  // Re-reads every file of backup `id` and checks sizes and checksums.
  absl::StatusOr<v1::VerifyBackupResponse> Verify(uint32_t id);
  // Keeps the newest `keep` backups.
  absl::Status Purge(uint32_t keep);

  // Takes a backup every `interval_ms` and keeps the newest `keep`, on a
  // background thread until Stop().
  void StartSchedule(int64_t interval_ms, uint32_t keep);
  void Stop();

  const std::string& backup_dir() const { return backup_dir_; }

 private:
  Database* const database_;
  Sequencer* const sequencer_;
  const std::string backup_dir_;
  // True when Stop() was called, or after waiting `timeout` for it.
  bool WaitForStop(absl::Duration timeout);

  absl::Mutex mu_;  // one backup-engine operation at a time

  absl::Mutex schedule_mu_;
  bool stopping_ ABSL_GUARDED_BY(schedule_mu_) = false;
  std::thread scheduler_;
};

struct RestoreResult {
  uint32_t backup_id = 0;
  std::string new_incarnation;
  std::string parent_incarnation;
  uint64_t parent_seq = 0;
  std::string old_data_kept_at;  // "" when the data dir was empty
};

// Restores backup `backup_id` (0: the latest) from `backup_dir` into
// `data_dir`. Refuses while a server holds `data_dir`, and refuses a
// non-empty `data_dir` unless `force` (then the old one is moved aside,
// never deleted). Verifies the backup first: a corrupt or truncated backup
// fails naming the bad file, and nothing in `data_dir` is touched.
absl::StatusOr<RestoreResult> RestoreBackup(const std::string& backup_dir, uint32_t backup_id,
                                            const std::string& data_dir, bool force);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_BACKUP_BACKUP_H_
