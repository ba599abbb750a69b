// Acknowledgements of pushed records, kept beside the records instead of
// rewriting each acknowledged record (bench/FINDINGS.md: that rewrite was a
// third of a push's client CPU).
//
// An acknowledgement says: the fields (and tombstone) pushed with these
// stamps are stored on the server at `seq`. Laying it over the record gives
// what the rewrite used to store: those fields' changed_seq, the record's
// seq and created_seq. It stays right however late it is laid over: a field
// written again since carries another stamp and is left alone, and every
// write of the record (local, pulled, restore recovery) stores the record
// with the acknowledgement laid over and drops it (LocalStore::Batch).
//
// Thread-safety: pure functions.
#ifndef KAWAL_MOBILE_ACKNOWLEDGEMENTS_H_
#define KAWAL_MOBILE_ACKNOWLEDGEMENTS_H_

#include <cstdint>

#include "kawal/device/v1/device_store.pb.h"
#include "kawal/sync/record.h"

namespace kawal::mobile {

// The acknowledgement of `pushed`, stored by the server at `seq`.
device::v1::Acknowledgement AcknowledgementOf(const sync::RecordDelta& pushed, uint64_t seq);

// Sets in `record` the sequences `ack` tells.
void LayOver(const device::v1::Acknowledgement& ack, sync::RecordState* record);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_ACKNOWLEDGEMENTS_H_
