// Field-level last-writer-wins merge with tombstones and conflict capture.
// See merge.h for the convergence invariant; the comments below say where
// each rule of docs/architecture.md §3 is kept.
#include "kawal/sync/merge.h"

#include <algorithm>
#include <tuple>

namespace kawal::sync {
namespace {

// The total order on a field's writes: stamp first; equal stamps (the same
// write, or a forged duplicate) fall back to value then base, so the max is
// unique and every replica picks the same one.
int CompareWrite(const Value& va, const Stamp& sa, const Stamp& ba, const Value& vb,
                 const Stamp& sb, const Stamp& bb) {
  if (sa != sb) return sa < sb ? -1 : 1;
  if (ValueLess(va, vb)) return -1;
  if (ValueLess(vb, va)) return 1;
  if (ba != bb) return ba < bb ? -1 : 1;
  return 0;
}

int CompareTombstone(const Stamp& ta, const Stamp& ba, const Stamp& tb, const Stamp& bb) {
  return std::tie(ta, ba) < std::tie(tb, bb) ? -1 : (std::tie(tb, bb) < std::tie(ta, ba) ? 1 : 0);
}

Conflict MakeConflict(const RecordState& state, const std::string& field, const Value& winner_value,
                      const Stamp& winner, const Value& loser_value, const Stamp& loser) {
  return Conflict{state.collection, state.id, state.scope, field,
                  winner_value,     loser_value, winner,  loser};
}

void Touch(RecordState& state, uint64_t seq) {
  if (seq == 0) return;
  state.seq = std::max(state.seq, seq);
  if (state.created_seq == 0) state.created_seq = seq;
}

// A field change meeting the pre-delta tombstone `tombstone` (deleter had
// seen up to `tombstone_base`): if the delete hides this write and the
// deleter never saw it, the write was lost to the delete.
void CheckHiddenByDelete(const RecordState& state, const std::string& field, const FieldChange& c,
                         const Stamp& tombstone, const Stamp& tombstone_base,
                         std::vector<Conflict>& out) {
  if (tombstone.IsZero() || !(c.stamp < tombstone)) return;
  if (tombstone_base < c.stamp) {
    out.push_back(MakeConflict(state, field, Null{}, tombstone, c.value, c.stamp));
  }
}

}  // namespace

MergeOutcome ApplyDelta(RecordState& state, const RecordDelta& delta, uint64_t seq) {
  MergeOutcome outcome;
  outcome.was_visible = state.Visible();
  if (state.IsEmpty()) {
    state.collection = delta.collection;
    state.id = delta.id;
    state.scope = delta.scope;
  }
  const Stamp old_tombstone = state.tombstone;
  const Stamp old_tombstone_base = state.tombstone_base;
  const bool had_fields = !state.fields.empty();
  // Pre-delta field states, needed only when a delete meets stored edits:
  // copied for deletes alone, never on the edit-only hot path.
  std::vector<std::pair<std::string, FieldState>> before_fields;
  if (!delta.tombstone.IsZero()) before_fields.assign(state.fields.begin(), state.fields.end());
  for (const FieldChange& c : delta.changes) {
    auto it = state.fields.find(c.name);
    if (it == state.fields.end()) {
      state.fields.emplace(c.name, FieldState{c.value, c.stamp, c.base, seq, Stamp{}});
      outcome.changed_fields.push_back(c.name);
      CheckHiddenByDelete(state, c.name, c, old_tombstone, old_tombstone_base, outcome.conflicts);
      continue;
    }
    FieldState& current = it->second;
    int cmp = CompareWrite(c.value, c.stamp, c.base, current.value, current.stamp, current.base);
    if (cmp == 0) continue;  // a replay: nothing changes, nothing is reported
    if (cmp > 0) {
      // The incoming write wins. It overwrote `current` unseen iff its base
      // is older than current's stamp.
      if (c.stamp != current.stamp && c.base < current.stamp) {
        outcome.conflicts.push_back(
            MakeConflict(state, c.name, c.value, c.stamp, current.value, current.stamp));
      }
      const Stamp displaced_base = std::max(current.base, current.displaced_base);
      current = FieldState{c.value, c.stamp, c.base, seq, displaced_base};
      outcome.changed_fields.push_back(c.name);
      CheckHiddenByDelete(state, c.name, c, old_tombstone, old_tombstone_base, outcome.conflicts);
    } else {
      outcome.all_incoming_won = false;
      // The incoming write lost to one that never saw it -- unless the
      // chain of writes the winner displaced had seen it (then the loss
      // happened, unseen-free, before; e.g. a superseded delta replayed).
      if (c.stamp != current.stamp && current.base < c.stamp &&
          current.displaced_base < c.stamp) {
        outcome.conflicts.push_back(
            MakeConflict(state, c.name, current.value, current.stamp, c.value, c.stamp));
      }
    }
  }

  if (!delta.tombstone.IsZero()) {
    int cmp = CompareTombstone(delta.tombstone, delta.tombstone_base, state.tombstone,
                               state.tombstone_base);
    if (cmp > 0) {
      state.tombstone = delta.tombstone;
      state.tombstone_base = delta.tombstone_base;
      state.tombstone_seq = seq;
      outcome.tombstone_changed = true;
      // Delete versus edits already stored (fields of this same delta were
      // seen by the deleter). Fields already hidden by the old tombstone
      // were lost before, not now.
      const FieldState* survivor = nullptr;
      for (const auto& [name, field] : before_fields) {
        if (!(field.stamp > old_tombstone)) continue;
        bool in_delta = std::any_of(delta.changes.begin(), delta.changes.end(),
                                    [&n = name](const FieldChange& c) { return c.name == n; });
        if (in_delta) continue;
        if (field.stamp < delta.tombstone) {
          if (delta.tombstone_base < field.stamp) {
            outcome.conflicts.push_back(MakeConflict(state, name, Null{}, delta.tombstone,
                                                     field.value, field.stamp));
          }
        } else if (field.stamp.node != delta.tombstone.node &&
                   (survivor == nullptr || survivor->stamp < field.stamp)) {
          survivor = &field;
        }
      }
      if (survivor != nullptr) {
        // An edit newer than the delete keeps the record visible; the
        // delete lost to a write its author had not seen.
        outcome.conflicts.push_back(MakeConflict(state, kDeletedField, survivor->value,
                                                 survivor->stamp, Null{}, delta.tombstone));
      }
    } else if (cmp < 0) {
      outcome.all_incoming_won = false;
    }
  }

  outcome.is_visible = state.Visible();
  // An edit that brings back a record deleted by a delete its writer had
  // not seen: the record is visible again, and the delete is the loser.
  if (!outcome.was_visible && outcome.is_visible && !old_tombstone.IsZero() &&
      had_fields && delta.base_tombstone < old_tombstone &&
      state.tombstone == old_tombstone) {
    Stamp winner;
    Value winner_value;
    for (const FieldChange& c : delta.changes) {
      if (c.stamp > winner) {
        winner = c.stamp;
        winner_value = c.value;
      }
    }
    outcome.conflicts.push_back(
        MakeConflict(state, kDeletedField, winner_value, winner, Null{}, old_tombstone));
  }

  if (outcome.changed()) {
    Touch(state, seq);
    state.echo_node = 0;
  }
  return outcome;
}

MergeOutcome MergeState(RecordState& state, const RecordState& other) {
  MergeOutcome outcome;
  outcome.was_visible = state.Visible();
  if (state.IsEmpty()) {
    state.collection = other.collection;
    state.id = other.id;
    state.scope = other.scope;
  }
  for (const auto& [name, incoming] : other.fields) {
    auto it = state.fields.find(name);
    if (it == state.fields.end()) {
      state.fields.emplace(name, incoming);
      outcome.changed_fields.push_back(name);
      continue;
    }
    FieldState& current = it->second;
    int cmp = CompareWrite(incoming.value, incoming.stamp, incoming.base, current.value,
                           current.stamp, current.base);
    if (cmp > 0) {
      current = incoming;
      outcome.changed_fields.push_back(name);
    } else if (cmp == 0) {
      // Same write: only the server's bookkeeping may be newer.
      current.changed_seq = std::max(current.changed_seq, incoming.changed_seq);
    } else {
      outcome.all_incoming_won = false;
    }
  }
  if (!other.tombstone.IsZero()) {
    int cmp = CompareTombstone(other.tombstone, other.tombstone_base, state.tombstone,
                               state.tombstone_base);
    if (cmp > 0) {
      state.tombstone = other.tombstone;
      state.tombstone_base = other.tombstone_base;
      state.tombstone_seq = other.tombstone_seq;
      outcome.tombstone_changed = true;
    } else if (cmp == 0) {
      state.tombstone_seq = std::max(state.tombstone_seq, other.tombstone_seq);
    } else {
      outcome.all_incoming_won = false;
    }
  }
  state.seq = std::max(state.seq, other.seq);
  if (state.created_seq == 0 || (other.created_seq != 0 && other.created_seq < state.created_seq)) {
    state.created_seq = other.created_seq;
  }
  outcome.is_visible = state.Visible();
  return outcome;
}

RecordDelta DeltaFromState(const RecordState& state) {
  RecordDelta delta;
  delta.collection = state.collection;
  delta.id = state.id;
  delta.scope = state.scope;
  for (const auto& [name, field] : state.fields) {
    delta.changes.push_back(FieldChange{name, field.value, field.stamp, field.base});
  }
  delta.tombstone = state.tombstone;
  delta.tombstone_base = state.tombstone_base;
  // The holder of the whole state has seen its own tombstone.
  delta.base_tombstone = state.tombstone;
  delta.known_seq = state.seq;
  return delta;
}

}  // namespace kawal::sync
