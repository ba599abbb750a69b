// A RocksDB snapshot held for one scope: taken on construction, released on
// destruction, so every return path of a multi-step read releases it.
// Declare it before the iterators that read at it; they are then destroyed
// first, as RocksDB requires.
//
// Thread-safety: one guard per reader; the snapshot itself may be read from
// any thread while the guard lives.
#ifndef KAWAL_SERVER_STORE_SNAPSHOT_H_
#define KAWAL_SERVER_STORE_SNAPSHOT_H_

#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace kawal::server {

class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->ReleaseSnapshot(snapshot_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;

  const rocksdb::Snapshot* get() const { return snapshot_; }
  // Read options that read at this snapshot.
  rocksdb::ReadOptions ReadOptions() const {
    rocksdb::ReadOptions read;
    read.snapshot = snapshot_;
    return read;
  }

 private:
  rocksdb::DB* const db_;
  const rocksdb::Snapshot* const snapshot_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_SNAPSHOT_H_
