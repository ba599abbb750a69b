// Freshness: the last successful sync per village and per facilitator, so
// officers can list villages silent for more than N days.
//
// Thread-safety: OnSynced may be called concurrently (RocksDB writes).
#ifndef KAWAL_SERVER_SERVICE_FRESHNESS_H_
#define KAWAL_SERVER_SERVICE_FRESHNESS_H_

#include "store/database.h"
#include "service/sync_service.h"

namespace kawal::server {

class FreshnessRecorder final : public SyncObserver {
 public:
  explicit FreshnessRecorder(Database* database) : database_(database) {}
  // Records `now_ms` for the caller and each desa it synced (facilitators).
  void OnSynced(const Caller& caller, uint64_t device_node, const std::vector<std::string>& scopes,
                int64_t now_ms) override;

 private:
  Database* const database_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_FRESHNESS_H_
