#include "store/device_keys.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "kawal/common/rocks_status.h"
#include "store/storage_keys.h"

namespace kawal::server {

namespace {
constexpr size_t kPublicKeyBytes = 32;
}  // namespace

absl::StatusOr<std::optional<std::string>> DeviceKeys::Find(const std::string& user,
                                                            uint64_t device_node) const {
  std::string value;
  rocksdb::Status s =
      database_->db()->Get(rocksdb::ReadOptions(), DeviceKeyKey(user, device_node), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return common::FromRocks(s, "reading a device's bundle key");
  return value;
}

absl::Status DeviceKeys::Bind(const std::string& user, uint64_t device_node,
                              const std::string& public_key) {
  if (public_key.size() != kPublicKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat("a device bundle key has ", kPublicKeyBytes,
                                                   " bytes, not ", public_key.size()));
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<std::string>> bound = Find(user, device_node);
  if (!bound.ok()) return bound.status();
  if (bound->has_value()) {
    if (**bound == public_key) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrFormat(
        "device %016x of user %s already has another bundle key; bundles signed by a "
        "different key are refused",
        device_node, user));
  }
  return common::FromRocks(database_->db()->Put(database_->durable(),
                                                DeviceKeyKey(user, device_node), public_key),
                           "storing a device's bundle key");
}

}  // namespace kawal::server
