// The pull job of a sync (LiteCore's Puller): pages of records changed on
// the server since the device's cursor, each merged into the local store
// together with the new cursor in one atomic commit, so a cut repeats at
// most the page in flight. A partial record (only the changes after
// partial_since) that this device cannot complete is asked for again whole.
//
// Page sizes adapt to the link: halved (in records and bytes) after a
// failed attempt, doubled back after a success.
//
// Thread-safety: used by the thread running the sync.
#ifndef KAWAL_MOBILE_PULLER_H_
#define KAWAL_MOBILE_PULLER_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kawal/v1/sync.pb.h"

namespace kawal::mobile {

class DeviceCore;
class SyncLink;

// Merges the records of one pull page into the store, with the page's
// cursor when `advance_cursor`, in one atomic commit; returns how many
// records (not copies) it merged. Used by Puller and by a bundle reply.
absl::StatusOr<size_t> MergePulledPage(DeviceCore& core, const v1::PullResponse& response,
                                       bool advance_cursor);

class Puller {
 public:
  // `core` and `link` outlive the Puller.
  Puller(DeviceCore& core, SyncLink& link);

  // Pulls until the server has no more. ABORTED (and
  // link.server_replaced()) when the server turned out to be another
  // incarnation than the handshake's; that page is not applied.
  absl::Status PullAll();

 private:
  DeviceCore& core_;
  SyncLink& link_;
  uint32_t page_records_;  // max_records of the next page
  uint32_t page_bytes_;    // max_bytes of the next page
  uint64_t pulled_bytes_ = 0;  // bytes of the pages merged so far
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_PULLER_H_
