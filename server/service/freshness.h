// Freshness: the last successful sync per village and per facilitator, so
// officers can list villages silent for more than N days.
//
// Thread-safety: OnSynced may be called concurrently (RocksDB writes).
#ifndef KAWAL_SERVER_SERVICE_FRESHNESS_H_
#define KAWAL_SERVER_SERVICE_FRESHNESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "aggregates/region_directory.h"
#include "service/sync_service.h"
#include "store/database.h"

namespace kawal::server {

class FreshnessRecorder final : public SyncObserver {
 public:
  // `regions` (may be null) lists the desa of a kecamatan a facilitator
  // pulls; it is read at each sync, so a desa added later counts too.
  explicit FreshnessRecorder(Database* database, const RegionDirectory* regions = nullptr)
      : database_(database), regions_(regions) {}
  // Remembers the name a facilitator's device gives, for its entries.
  void OnHandshake(const Caller& caller, uint64_t device_node,
                   const std::string& device_name) override ABSL_LOCKS_EXCLUDED(seen_mu_);
  // Records `now_ms` for the caller, each desa it synced and the device in
  // each of those desa (facilitators; a kecamatan scope counts for every
  // desa of it in the region list).
  void OnSynced(const Caller& caller, uint64_t device_node, const std::vector<std::string>& scopes,
                int64_t now_ms, SyncKind kind) override ABSL_LOCKS_EXCLUDED(seen_mu_);
  // Devices that synced at or after `since_ms` while this server ran (the
  // kawal_devices_seen_24h metric; a restart starts the count anew).
  size_t DevicesSeenSince(int64_t since_ms) const ABSL_LOCKS_EXCLUDED(seen_mu_);

 private:
  Database* const database_;
  const RegionDirectory* const regions_;
  mutable absl::Mutex seen_mu_;
  absl::flat_hash_map<uint64_t, int64_t> last_seen_ms_ ABSL_GUARDED_BY(seen_mu_);  // by node
  // From handshakes while this server ran; written into the device entries,
  // which keep it across restarts.
  absl::flat_hash_map<uint64_t, std::string> device_names_ ABSL_GUARDED_BY(seen_mu_);
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_FRESHNESS_H_
