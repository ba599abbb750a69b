// Folding local writes into a record's pending (unacknowledged) changes,
// and taking acknowledged ones out again.
//
// A field changed twice offline keeps the base of its first change: the
// intermediate value was never seen by anyone else, so the server judges
// the write against what the device had last received.
//
// Thread-safety: pure functions.
#ifndef KAWAL_MOBILE_PENDING_CHANGES_H_
#define KAWAL_MOBILE_PENDING_CHANGES_H_

#include "kawal/device/v1/device_store.pb.h"
#include "kawal/sync/record.h"

namespace kawal::mobile {

// Adds `delta` (made against `before`, the local state before the write) to
// `pending`; records the prior field states the first time a field changes.
void FoldIntoPending(const sync::RecordState& before, const sync::RecordDelta& delta,
                     device::v1::PendingRecord* pending);

// Removes from `pending` the parts that `pushed` carried and that did not
// change again since (same stamps). Returns true when nothing is left.
bool AcknowledgePending(const sync::RecordDelta& pushed, device::v1::PendingRecord* pending);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_PENDING_CHANGES_H_
