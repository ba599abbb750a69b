// Applies push batches to the record store: merge, conflicts, change index,
// all in one durable WriteBatch per push (docs/architecture.md §5).
//
// Read-modify-write of a record is serialized by lock striping on the
// record key; sequences are taken while the stripes are held, so a record's
// sequence only grows and its old index entry is always the one removed.
//
// Thread-safety: Apply may be called concurrently.
#ifndef KAWAL_SERVER_PUSH_APPLIER_H_
#define KAWAL_SERVER_PUSH_APPLIER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/database.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/record.h"
#include "kawal/sync/schema.h"
#include "rocksdb/write_batch.h"
#include "store/sequencer.h"
#include "store/stored_record.h"

namespace kawal::server {

// Sees every record change of one push and writes what it derives into
// the push's batch, so derived data (aggregates) commits atomically with the
// changes. One per push: pushes run concurrently, so whatever an observer
// gathers over a push (e.g. row deltas it folds before writing) lives here.
class PushObserver {
 public:
  virtual ~PushObserver() = default;
  // `before` is the stored state (empty for a new record).
  virtual absl::Status OnChange(const sync::RecordState& before, const sync::RecordState& after,
                                rocksdb::WriteBatch& batch) = 0;
  // After the push's last change, before its batch is written.
  virtual absl::Status Finish(rocksdb::WriteBatch& batch) = 0;
};

class ChangeObserver {
 public:
  virtual ~ChangeObserver() = default;
  virtual std::unique_ptr<PushObserver> StartPush() = 0;
};

// What happened to one delta.
struct DeltaOutcome {
  absl::Status status;    // not OK: rejected (carries a RejectCode)
  uint64_t seq = 0;       // the record's latest sequence after the push
  bool in_sync = false;   // the writer holds exactly the stored version
};

class PushApplier {
 public:
  PushApplier(Database* database, Sequencer* sequencer, sync::Clock* server_clock,
              const sync::Schema* schema);

  void AddObserver(ChangeObserver* observer) { observers_.push_back(observer); }

  // Applies `deltas` (already checked on their own: schema, scope rights,
  // clock) written by `writer` from device `device_node`. Returns one
  // outcome per delta; a non-OK return means nothing was stored.
  absl::StatusOr<std::vector<DeltaOutcome>> Apply(const std::vector<sync::RecordDelta>& deltas,
                                                  sync::Writer writer, uint64_t device_node);
  // The same with a writer per delta (restore recovery mixes device writes
  // with the server's own conflict records).
  absl::StatusOr<std::vector<DeltaOutcome>> Apply(const std::vector<sync::RecordDelta>& deltas,
                                                  const std::vector<sync::Writer>& writers,
                                                  uint64_t device_node);

  // Blocks pushes while the returned lock is held (aggregate rebuilds).
  std::unique_lock<std::shared_mutex> PauseWrites() {
    return std::unique_lock<std::shared_mutex>(pause_);
  }

  // Reads the stored state of a record; an empty state when absent.
  absl::StatusOr<sync::RecordState> Get(const std::string& collection,
                                        const std::string& id) const;

 private:
  static constexpr size_t kStripes = 1024;
  size_t StripeOf(const std::string& key) const;
  // The key of the record a conflict record (delta `d`) is about, whose
  // stripe its writers hold.
  absl::StatusOr<std::string> ConflictSubjectKey(const sync::RecordDelta& d) const;
  // The stored record with its bookkeeping; empty when absent.
  absl::StatusOr<StoredRecord> LoadStored(const std::string& collection,
                                          const std::string& id) const;

  Database* const database_;
  Sequencer* const sequencer_;
  sync::Clock* const server_clock_;
  const sync::Schema* const schema_;
  std::vector<ChangeObserver*> observers_;
  std::array<std::mutex, kStripes> stripes_;
  std::shared_mutex pause_;  // shared by pushes, exclusive for rebuilds
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_PUSH_APPLIER_H_
