// The devices' bundle public keys (docs/bundles.md): (user, device node) ->
// Ed25519 public key, bound once, at the device's first handshake or first
// bundle, and never replaced, so a bundle signed by another key is refused.
//
// Thread-safety: thread-safe; Bind's check and write are one step.
#ifndef KAWAL_SERVER_STORE_DEVICE_KEYS_H_
#define KAWAL_SERVER_STORE_DEVICE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "store/database.h"

namespace kawal::server {

class DeviceKeys {
 public:
  explicit DeviceKeys(Database* database) : database_(database) {}

  // The key bound to the device; nullopt when none is.
  absl::StatusOr<std::optional<std::string>> Find(const std::string& user,
                                                  uint64_t device_node) const;
  // Binds `public_key` (32 bytes) to the device, durably, unless one is
  // bound: OK when it is the same key, FAILED_PRECONDITION naming the user
  // and device when it is another. INVALID_ARGUMENT for a key of another size.
  absl::Status Bind(const std::string& user, uint64_t device_node, const std::string& public_key)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  Database* const database_;
  absl::Mutex mu_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_DEVICE_KEYS_H_
