// Device's private half, as leveldb's DBImpl is DB's: the local store, the
// hybrid logical clock, the device state, the write lock and the node id.
// Device forwards its API here, and each job of a sync (Pusher, Puller,
// PhotoUploader, RestoreRecovery) is handed the DeviceCore it works on.
// Internal to mobile-core (and its unit tests).
//
// Thread-safety: store() and clock() are safe to use concurrently; the
// device state is guarded by write_mu(), and every read-modify-write of the
// store holds write_mu() from its first read to its commit. One sync or
// photo download runs at a time (SyncSlot); CancelSync() may be called from
// any thread.
#ifndef KAWAL_MOBILE_DEVICE_CORE_H_
#define KAWAL_MOBILE_DEVICE_CORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/clock.h"
#include "change_notifier.h"
#include "local_store.h"
#include "local_writes.h"

namespace kawal::mobile {

class SyncLink;

class DeviceCore {
 public:
  // Opens (or creates) the store in options.home and restores the clock
  // from the saved state. Never discards data.
  static absl::StatusOr<std::unique_ptr<DeviceCore>> Open(DeviceOptions options);
  // Delivers the observers' last changes before the store closes.
  ~DeviceCore();

  const DeviceOptions& options() const { return options_; }
  uint64_t node() const { return node_; }
  // The device's bundle signing key (<home>/bundle_key, docs/bundles.md),
  // made at the first open of the store.
  const common::SigningKeyPair& bundle_key() const { return bundle_key_; }
  LocalStore& store() const { return *store_; }
  sync::Clock& clock() const { return *clock_; }
  // Every commit of the store reaches the observers through it.
  ChangeNotifier& notifier() const { return *notifier_; }
  absl::Mutex& write_mu() const ABSL_LOCK_RETURNED(write_mu_) { return write_mu_; }

  // A copy of the device state.
  device::v1::DeviceState State() const ABSL_LOCKS_EXCLUDED(write_mu_);
  const device::v1::DeviceState& state() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    return state_;
  }
  // Commits `batch` with `next` as the new device state, atomically.
  absl::Status CommitWithState(LocalStore::Batch& batch, const device::v1::DeviceState& next)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Commits `batch` of local writes with the clock's latest stamp in the
  // state, so the clock continues after them when the app restarts.
  absl::Status CommitWrites(LocalStore::Batch& batch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Persists `state` as the new device state.
  absl::Status SaveState(const device::v1::DeviceState& state) ABSL_LOCKS_EXCLUDED(write_mu_);

  // Validated local writes (local_writes.h) in one commit, durable on
  // return; their ids in order. All or nothing: the first invalid write's
  // error is returned, prefixed with "op N: " when `name_ops`, and nothing
  // is stored. Without `commit` the writes are only validated.
  absl::StatusOr<std::vector<std::string>> Write(const std::vector<LocalWrite>& writes,
                                                 bool name_ops = false, bool commit = true)
      ABSL_LOCKS_EXCLUDED(write_mu_);
  // Records with unacknowledged local changes.
  absl::StatusOr<uint64_t> PendingCount() const;

  // Holds the device's one slot for a sync or a photo download while it
  // lives (a second one waits), and lets CancelSync() reach `link`.
  class ABSL_SCOPED_LOCKABLE SyncSlot {
   public:
    SyncSlot(DeviceCore& core, SyncLink& link) ABSL_EXCLUSIVE_LOCK_FUNCTION(core.sync_mu_);
    ~SyncSlot() ABSL_UNLOCK_FUNCTION();
    SyncSlot(const SyncSlot&) = delete;
    SyncSlot& operator=(const SyncSlot&) = delete;

   private:
    DeviceCore& core_;
  };
  // Cancels the running sync or download, if any (a later one starts
  // normally).
  void CancelSync() ABSL_LOCKS_EXCLUDED(link_mu_);

 private:
  DeviceCore() = default;

  DeviceOptions options_;
  std::unique_ptr<ChangeNotifier> notifier_;
  std::unique_ptr<LocalStore> store_;
  std::unique_ptr<sync::Clock> clock_;
  uint64_t node_ = 0;
  common::SigningKeyPair bundle_key_;
  mutable absl::Mutex write_mu_;
  device::v1::DeviceState state_ ABSL_GUARDED_BY(write_mu_);
  absl::Mutex sync_mu_;  // held by the SyncSlot of the running sync
  absl::Mutex link_mu_ ABSL_ACQUIRED_AFTER(sync_mu_);
  SyncLink* link_ ABSL_GUARDED_BY(link_mu_) = nullptr;
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_DEVICE_CORE_H_
