// The merge of docs/architecture.md §3: field-level last-writer-wins with
// tombstones.
//
// Invariant (proved by tests/sync/merge_property_test.cc): the merged state
// of a record is a function of the *set* of writes applied to it. Each field
// holds the maximum of its writes under the total order (stamp, value, base);
// the tombstone holds the maximum of (tombstone, tombstone_base). A maximum
// is commutative, associative and idempotent, so replicas that applied the
// same writes in any order, with any duplicates, hold the same state.
//
// The merge is pure: it decides states and reports what each write met
// (MergeOutcome). Deciding which of those meetings are conflicts is the
// server's job (server/engine/conflict_detector.h), because only the server
// sees writes in one arrival order and keeps the bookkeeping for it.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SYNC_MERGE_H_
#define KAWAL_SYNC_MERGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kawal/sync/record.h"

namespace kawal::sync {

// What one incoming field change met in ApplyDelta.
enum class ChangeFate {
  kNewField,  // the record had no such field
  kWon,       // it replaced the field's state (see ChangeResult::displaced)
  kLost,      // the field's current write is greater; nothing changed
  kReplay,    // the identical write was already there
};

struct ChangeResult {
  ChangeFate fate = ChangeFate::kReplay;
  FieldState displaced;  // kWon only: the state the change replaced
};

struct MergeOutcome {
  // Names of fields whose state changed (value, stamp or base).
  std::vector<std::string> changed_fields;
  bool tombstone_changed = false;
  // Every incoming field change and tombstone is now part of the state
  // (won or was already there).
  bool all_incoming_won = true;
  bool was_visible = false;
  bool is_visible = false;

  // ApplyDelta only: what the record held before, for conflict detection.
  std::vector<ChangeResult> change_results;  // one per delta.changes[i]
  Stamp old_tombstone;
  Stamp old_tombstone_base;
  bool had_fields = false;

  bool changed() const { return !changed_fields.empty() || tombstone_changed; }
};

// Merges `delta` into `state` (which may be empty; then it takes the
// delta's collection, id and scope). Changed fields and the tombstone get
// `seq` as their changed_seq, and state.seq/created_seq follow. The caller
// has checked that the delta's key and scope match `state`.
MergeOutcome ApplyDelta(RecordState& state, const RecordDelta& delta, uint64_t seq);

// Merges another replica's state of the same record into `state` (how a
// device takes in a pulled record). Sequence numbers come from `other`
// for the parts it wins. Conflicts are not detected here: the server
// detects them and ships them as `conflict` records. change_results and
// the old_* members stay empty.
MergeOutcome MergeState(RecordState& state, const RecordState& other);

// The delta that carries all of `state` (for re-pushing a whole record).
RecordDelta DeltaFromState(const RecordState& state);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_MERGE_H_
