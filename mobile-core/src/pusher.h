// The push job of a sync (LiteCore's Pusher): pending changes go up in
// batches, and each batch's results are applied to the local store at once,
// so a cut repeats at most one batch. A field is acknowledged only if it did
// not change again while its batch was in flight; a refused change moves to
// the rejections with the server's reason.
//
// Batch sizes adapt to the link: halved after a failed attempt (a link that
// cuts every few KB still moves one small message at a time), doubled back
// after a success, and bounded in bytes by what the link moved in
// tuning::kPushBatchSeconds on the last batch.
//
// Thread-safety: used by the thread running the sync.
#ifndef KAWAL_MOBILE_PUSHER_H_
#define KAWAL_MOBILE_PUSHER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/record.h"
#include "kawal/v1/sync.pb.h"

namespace kawal::mobile {

class DeviceCore;
class SyncLink;

// Applies the results of a push of `pushed` to the store, in one commit:
// an applied delta leaves the pending changes (the parts that did not
// change again since), a refused one moves to the rejections with the
// server's reason. Used by Pusher and by a bundle reply (device_bundles.cc).
absl::Status ApplyPushResults(DeviceCore& core, const std::vector<sync::RecordDelta>& pushed,
                              const v1::PushResponse& response, SyncReport& report);

class Pusher {
 public:
  // `core` and `link` outlive the Pusher.
  Pusher(DeviceCore& core, SyncLink& link);

  // Pushes every pending change, retrying failed batches smaller. ABORTED
  // (and link.server_replaced()) when the server turned out to be another
  // incarnation than the handshake's.
  absl::Status PushAll();

 private:
  using Keys = std::vector<std::pair<std::string, std::string>>;
  // Pushes up to `max_count` pending records of `keys` starting at `from`
  // (fewer if the message would grow too big); returns how many it took.
  absl::StatusOr<size_t> PushBatch(const Keys& keys, size_t from, size_t max_count);

  DeviceCore& core_;
  SyncLink& link_;
  // Records per batch; kept across PushAll calls of one sync (the photo
  // job pushes records written meanwhile).
  uint32_t batch_ = 0;
  // Bytes of the next batch: what the link moved in kPushBatchSeconds on the
  // last one. A cut loses the batch in flight, so on a slow link a batch of
  // the full message size (minutes at 64 kbit/s) would never get through a
  // link that cuts every 30 s, and even a 200-record batch lost ~14 s of
  // sending per cut (bench/link_bench).
  uint64_t batch_bytes_ = 0;
  // Whether the last failed batch failed for a reason worth retrying.
  bool last_failure_retryable_ = false;
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_PUSHER_H_
