// The device's local RocksDB store, tuned for a phone (small memtables and
// block cache, one background thread).
//
// Keys (one column family; first byte names the family):
//   'm' "state"                      kawal.device.v1.DeviceState
//   'm' "format"                     store format version, 4 bytes big-endian
//   'r' collection '\0' id           kawal.v1.Record: merged state incl. local changes
//   'p' collection '\0' id           kawal.device.v1.PendingRecord: unacknowledged changes
//   'j' collection '\0' id           kawal.device.v1.Rejection: refused by the server
//   'h' sha256-hex                   kawal.device.v1.PhotoUpload: photo bytes held here
//
// Format history (kStoreFormat): 0 = before versioning (no "format" key);
// 1 = adds the "format" key and DeviceState.format_version. Opening an older
// format migrates it in place; a newer format is refused, never wiped.
//
// Thread-safety: reads and Commit are safe concurrently (RocksDB); callers
// serialize read-modify-write sequences themselves (Device's mutex).
#ifndef KAWAL_MOBILE_LOCAL_STORE_H_
#define KAWAL_MOBILE_LOCAL_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/sync/record.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace kawal::mobile {

inline constexpr uint32_t kStoreFormat = 1;

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
    void PutRecord(const sync::RecordState& state);
    void DeleteRecord(const std::string& collection, const std::string& id);
    void PutPending(const device::v1::PendingRecord& pending);
    void DeletePending(const std::string& collection, const std::string& id);
    void PutRejection(const device::v1::Rejection& rejection);
    void DeleteRejection(const std::string& collection, const std::string& id);
    void PutPhotoUpload(const device::v1::PhotoUpload& photo);
    bool empty() const { return batch_.Count() == 0; }

   private:
    friend class LocalStore;
    rocksdb::WriteBatch batch_;
  };
  absl::Status Commit(Batch& batch);

  // Bytes on disk (SST, WAL, manifest).
  uint64_t DiskBytes() const;
  const std::string& dir() const { return dir_; }

 private:
  LocalStore() = default;
  absl::Status Migrate();

  std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions durable_;
};

std::string LocalRecordKey(char family, const std::string& collection, const std::string& id);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_LOCAL_STORE_H_
