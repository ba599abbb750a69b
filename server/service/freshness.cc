#include "service/freshness.h"

#include "kawal/storage/v1/storage.pb.h"
#include "kawal/sync/region.h"
#include "base/server_log.h"
#include "store/storage_keys.h"

namespace kawal::server {

void FreshnessRecorder::OnSynced(const Caller& caller, uint64_t device_node,
                                 const std::vector<std::string>& scopes, int64_t now_ms) {
  if (caller.role != v1::FACILITATOR) return;  // officers' reads are not field activity
  {
    absl::MutexLock lock(&seen_mu_);
    last_seen_ms_[device_node] = now_ms;
  }
  storage::v1::FreshnessEntry entry;
  entry.set_last_sync_ms(now_ms);
  entry.set_user(caller.name);
  entry.set_device_node(device_node);
  rocksdb::WriteBatch batch;
  const std::string value = entry.SerializeAsString();
  batch.Put(UserFreshnessKey(caller.name), value);
  for (const std::string& scope : scopes.empty() ? caller.scopes : scopes) {
    if (sync::ValidateDesaScope(scope).ok()) {
      batch.Put(VillageFreshnessKey(scope), value);
    } else if (regions_ != nullptr && caller.role == v1::FACILITATOR) {
      absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(scope);
      if (code.ok() && code->level() == sync::RegionLevel::kKecamatan) {
        for (const std::string& desa : regions_->Children(scope, 4)) {
          batch.Put(VillageFreshnessKey(desa), value);
        }
      }
    }
  }
  // Freshness is a hint for officers, not user data: no fsync needed.
  rocksdb::Status s = database_->db()->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) LogError("recording freshness: " + s.ToString());
}

size_t FreshnessRecorder::DevicesSeenSince(int64_t since_ms) const {
  absl::MutexLock lock(&seen_mu_);
  size_t count = 0;
  for (const auto& [node, seen_ms] : last_seen_ms_) count += seen_ms >= since_ms ? 1 : 0;
  return count;
}

}  // namespace kawal::server
