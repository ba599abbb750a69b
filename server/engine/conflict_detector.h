// Conflict detection and the server's per-record bookkeeping: the server
// side of the merge (docs/architecture.md §3).
//
// The shared merge (kawal/sync/merge.h) decides states and reports what
// each write met. Here the server, which sees every write in one arrival
// order, decides which meetings were losses its author had not seen:
//   - an incoming write that overwrote a value its author had not seen;
//   - an incoming write that lost to one that had not seen it, unless the
//     chain of writes the winner displaced had seen it (displaced_base:
//     then the loss was resolved before, e.g. a superseded delta replayed);
//   - edits hidden by a delete whose author had not seen them, a delete
//     that loses to a newer edit, and an edit that revives a record
//     deleted by a delete its author had not seen (field kDeletedField).
// Conflicts never change the merged state.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SERVER_ENGINE_CONFLICT_DETECTOR_H_
#define KAWAL_SERVER_ENGINE_CONFLICT_DETECTOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/conflict.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/record.h"
#include "store/stored_record.h"

namespace kawal::server {

struct StoredMerge {
  sync::MergeOutcome outcome;
  std::vector<Conflict> conflicts;
};

// Merges `delta` into `stored` at sequence `seq`, detects the conflicts it
// causes and keeps displaced_base up to date. A change clears echo_node
// (the caller sets it again for an in-sync push).
StoredMerge MergeIntoStored(StoredRecord& stored, const sync::RecordDelta& delta, uint64_t seq);

// The conflicts of one ApplyDelta: `after` is the merged state, `outcome`
// what ApplyDelta returned, `displaced_base` the record's bookkeeping from
// before it (StoredRecord::displaced_base).
std::vector<Conflict> DetectConflicts(const sync::RecordState& after,
                                      const sync::RecordDelta& delta,
                                      const sync::MergeOutcome& outcome,
                                      const std::map<std::string, sync::Stamp>& displaced_base);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_ENGINE_CONFLICT_DETECTOR_H_
