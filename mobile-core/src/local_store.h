// The device's local RocksDB store, tuned for a phone (small memtables and
// block cache, one background thread).
//
// Keys (one column family; first byte names the family):
//   'm' "state"                      kawal.device.v1.DeviceState
//   'm' "format"                     store format version, 4 bytes big-endian
//   'r' collection '\0' id           kawal.v1.Record: merged state incl. local changes
//   'p' collection '\0' id           kawal.device.v1.PendingRecord: unacknowledged changes
//   'j' collection '\0' id           kawal.device.v1.Rejection: refused by the server
//   'a' collection '\0' id           kawal.device.v1.Acknowledgement: laid over the 'r'
//                                    record on every read (acknowledgements.h)
//   'h' sha256-hex                   kawal.device.v1.PhotoUpload: photo bytes held here
//   'x' collection '\0' index ...     secondary index entries (local_indexes.h)
//   'm' "indexes"                    the index table the 'x' entries were built with
//
// Format history (kStoreFormat): 0 = before versioning (no "format" key);
// 1 = adds the "format" key and DeviceState.format_version; 2 = adds the
// secondary indexes. Opening an older format migrates it in place (2 builds
// the indexes from the records); a newer format is refused, never wiped. A
// store whose "indexes" key differs from this build's table rebuilds them.
//
// Index entries are written in the same atomic RocksDB write as their
// record: Commit swaps the entries of each changed record's stored state
// (which the caller read to make the change, and hands to the batch) for
// those of its new state, without reading the record back.
//
// An acknowledgement ('a') changes only the sequences of its record: it is
// laid over the record by GetRecord, ForEachRecord and RunQuery, and every
// PutRecord or DeleteRecord (whose `after` was made from such a read) drops
// it. Observers are not told of acknowledgements (no field changes). A
// build from before the 'a' family ignores it: the record's sequences stay
// as they were until a pull sends it again, which costs bytes, not data.
//
// Thread-safety: reads and Commit are safe concurrently (RocksDB; commits
// are serialized inside); callers serialize read-modify-write sequences
// themselves (Device's mutex).
#ifndef KAWAL_MOBILE_LOCAL_STORE_H_
#define KAWAL_MOBILE_LOCAL_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/mobile/query.h"
#include "kawal/sync/record.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace kawal::mobile {

inline constexpr uint32_t kStoreFormat = 2;

struct IndexPlan;

// One record a commit changed: its stored state before and after (nullopt:
// absent or removed).
struct RecordChange {
  std::string collection;
  std::string id;
  std::optional<sync::RecordState> before;
  std::optional<sync::RecordState> after;
};
// Told every commit's record changes, in commit order, right after the write.
using CommitListener = std::function<void(std::vector<RecordChange>)>;

class LocalStore {
 public:
  // Opens or creates the store in `dir`; migrates an older format.
  // FAILED_PRECONDITION when the store is newer than this app or locked by
  // another process.
  static absl::StatusOr<std::unique_ptr<LocalStore>> Open(const std::string& dir);
  ~LocalStore();

  // The device state; a fresh one (random node, format set) on a new store.
  absl::StatusOr<device::v1::DeviceState> LoadState() const;

  absl::StatusOr<sync::RecordState> GetRecord(const std::string& collection,
                                              const std::string& id) const;
  absl::StatusOr<std::optional<device::v1::PendingRecord>> GetPending(
      const std::string& collection, const std::string& id) const;
  absl::StatusOr<std::optional<device::v1::Rejection>> GetRejection(
      const std::string& collection, const std::string& id) const;

  // Visits records of `collection` ("" for all) in key order; stop by
  // returning false.
  absl::Status ForEachRecord(const std::string& collection,
                             const std::function<bool(const sync::RecordState&)>& visit) const;
  absl::Status ForEachPending(
      const std::function<bool(const device::v1::PendingRecord&)>& visit) const;
  absl::Status ForEachRejection(
      const std::function<bool(const device::v1::Rejection&)>& visit) const;
  absl::StatusOr<std::optional<device::v1::PhotoUpload>> GetPhotoUpload(
      const std::string& sha256) const;
  absl::Status ForEachPhotoUpload(
      const std::function<bool(const device::v1::PhotoUpload&)>& visit) const;

  // A set of changes committed atomically and durably.
  class Batch {
   public:
    void PutState(const device::v1::DeviceState& state);
    // `before` is the record as stored when the caller read it to make
    // this change (empty when absent); the caller holds Device's write mutex
    // from that read to the commit, so it is what the commit replaces. Its
    // index entries and the observers' "before" come from it. Putting one
    // record twice keeps the first `before`. `after` is kept until the
    // commit (index entries, observers): move it in when it is not needed.
    void PutRecord(const sync::RecordState& before, sync::RecordState after);
    void DeleteRecord(const sync::RecordState& before, const std::string& collection,
                      const std::string& id);
    // After any PutRecord of the same record in this batch (which drops it).
    void PutAcknowledgement(const std::string& collection, const std::string& id,
                            const device::v1::Acknowledgement& ack);
    void PutPending(const device::v1::PendingRecord& pending);
    void DeletePending(const std::string& collection, const std::string& id);
    void PutRejection(const device::v1::Rejection& rejection);
    void DeleteRejection(const std::string& collection, const std::string& id);
    void PutPhotoUpload(const device::v1::PhotoUpload& photo);
    bool empty() const { return batch_.Count() == 0; }

   private:
    friend class LocalStore;
    rocksdb::WriteBatch batch_;
    bool has_acknowledgements_ = false;
    RecordChange& ChangeOf(const sync::RecordState& before, const std::string& collection,
                           const std::string& id);
    // The records put or removed, for their index entries and observers.
    std::map<std::pair<std::string, std::string>, RecordChange> records_;
  };
  absl::Status Commit(Batch& batch);
  // Set once, before any commit.
  void SetCommitListener(CommitListener listener) { listener_ = std::move(listener); }

  // Answers an indexed query (local_indexes.h), all from one snapshot.
  absl::StatusOr<QueryPage> RunQuery(const IndexPlan& plan, uint32_t limit,
                                     const std::string& resume_token) const;
  absl::StatusOr<uint64_t> CountQuery(const IndexPlan& plan) const;

  // Bytes on disk (SST, WAL, manifest).
  uint64_t DiskBytes() const;
  const std::string& dir() const { return dir_; }

 private:
  LocalStore() = default;
  absl::Status Migrate();
  absl::Status RebuildIndexes();
  // Lays the record's acknowledgement, if any, over `record` (read from
  // `read`'s view).
  absl::Status LayOverAcknowledgement(const rocksdb::ReadOptions& read,
                                      sync::RecordState* record) const;

  std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions durable_;
  absl::Mutex commit_mu_;  // one commit at a time: listeners hear them in commit order
  CommitListener listener_;
  // False while the store holds no acknowledgement (a device that never
  // pushed): its reads skip the look-up.
  std::atomic<bool> may_hold_acknowledgements_{false};
};

std::string LocalRecordKey(char family, const std::string& collection, const std::string& id);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_LOCAL_STORE_H_
