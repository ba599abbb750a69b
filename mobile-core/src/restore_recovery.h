// Recovering from what the server or the device clock did while the device
// was away, run by the handshake of a sync: a server restored from an older
// backup (docs/architecture.md §6), and writes stamped by a clock
// that was far ahead before its first handshake.
//
// Thread-safety: each call takes the device's write lock for its whole
// read-modify-write; used by the thread running the sync.
#ifndef KAWAL_MOBILE_RESTORE_RECOVERY_H_
#define KAWAL_MOBILE_RESTORE_RECOVERY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "kawal/v1/sync.pb.h"

namespace kawal::mobile {

class DeviceCore;

// True when the server database `from` was restored, directly or through
// restores of restores, into `to` by the steps of `lineage` (or is `to`).
bool LineageLeads(const std::string& from, const std::string& to,
                  const google::protobuf::RepeatedPtrField<v1::LineageStep>& lineage);

class RestoreRecovery {
 public:
  // `core` outlives the RestoreRecovery.
  explicit RestoreRecovery(DeviceCore& core) : core_(core) {}

  // The server answered the handshake with another incarnation than the
  // one this device last synced with: every record the backup may lack goes
  // back to pending (with its original stamps), sequence numbers of the
  // lost history are forgotten, and the cursor is reset when the lineage
  // does not say what the backup holds. Returns the records queued again.
  absl::StatusOr<uint64_t> Recover(const v1::HandshakeResponse& response);

  // Pending writes stamped more than `max_skew_ms` after `server_time_ms`
  // (the device clock was ahead before its first handshake) are stamped
  // again now, and the clock forgets the future.
  absl::Status RestampFutureWrites(int64_t server_time_ms, int64_t max_skew_ms);

 private:
  DeviceCore& core_;
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_RESTORE_RECOVERY_H_
