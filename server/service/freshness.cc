#include "service/freshness.h"

#include <algorithm>

#include "kawal/storage/v1/storage.pb.h"
#include "kawal/sync/region.h"
#include "base/server_log.h"
#include "store/storage_keys.h"

namespace kawal::server {
namespace {

// A device name is shown to officers; a longer one is cut here.
constexpr size_t kMaxDeviceNameBytes = 64;

}  // namespace

void FreshnessRecorder::OnHandshake(const Caller& caller, uint64_t device_node,
                                    const std::string& device_name) {
  if (caller.role != v1::FACILITATOR || device_name.empty()) return;
  absl::MutexLock lock(&seen_mu_);
  device_names_[device_node] = device_name.substr(0, kMaxDeviceNameBytes);
}

void FreshnessRecorder::OnSynced(const Caller& caller, uint64_t device_node,
                                 const std::vector<std::string>& scopes, int64_t now_ms,
                                 SyncKind kind) {
  if (caller.role != v1::FACILITATOR) return;  // officers' reads are not field activity
  std::string device_name;
  {
    absl::MutexLock lock(&seen_mu_);
    last_seen_ms_[device_node] = now_ms;
    auto it = device_names_.find(device_node);
    if (it != device_names_.end()) device_name = it->second;
  }
  storage::v1::FreshnessEntry entry;
  entry.set_last_sync_ms(now_ms);
  entry.set_user(caller.name);
  entry.set_device_node(device_node);
  entry.set_device_name(device_name);
  std::vector<std::string> desas;
  for (const std::string& scope : scopes.empty() ? caller.scopes : scopes) {
    if (sync::ValidateDesaScope(scope).ok()) {
      desas.push_back(scope);
    } else if (regions_ != nullptr) {
      absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(scope);
      if (code.ok() && code->level() == sync::RegionLevel::kKecamatan) {
        for (const std::string& desa : regions_->Children(scope, 4)) desas.push_back(desa);
      }
    }
  }
  // A push names one scope per record: each desa once (one read, two writes).
  std::sort(desas.begin(), desas.end());
  desas.erase(std::unique(desas.begin(), desas.end()), desas.end());
  rocksdb::WriteBatch batch;
  const std::string value = entry.SerializeAsString();
  batch.Put(UserFreshnessKey(caller.name), value);
  for (const std::string& desa : desas) {
    batch.Put(VillageFreshnessKey(desa), value);
    // The device's entry keeps the time of the other kind of sync.
    const std::string key = DeviceFreshnessKey(desa, device_node);
    storage::v1::FreshnessEntry device = entry;
    std::string old;
    storage::v1::FreshnessEntry previous;
    if (database_->db()->Get(rocksdb::ReadOptions(), key, &old).ok() &&
        previous.ParseFromString(old)) {
      device.set_last_push_ms(previous.last_push_ms());
      device.set_last_pull_ms(previous.last_pull_ms());
      if (device_name.empty()) device.set_device_name(previous.device_name());
    }
    if (kind == SyncKind::kPush) {
      device.set_last_push_ms(now_ms);
    } else {
      device.set_last_pull_ms(now_ms);
    }
    batch.Put(key, device.SerializeAsString());
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
