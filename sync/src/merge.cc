// Field-level last-writer-wins merge with tombstones.
// See merge.h for the convergence invariant; the comments below say where
// each rule of docs/architecture.md §3 is kept.
#include "kawal/sync/merge.h"

#include <algorithm>
#include <tuple>
#include <utility>

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

void Touch(RecordState& state, uint64_t seq) {
  if (seq == 0) return;
  state.seq = std::max(state.seq, seq);
  if (state.created_seq == 0) state.created_seq = seq;
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
  outcome.old_tombstone = state.tombstone;
  outcome.old_tombstone_base = state.tombstone_base;
  outcome.had_fields = !state.fields.empty();
  outcome.change_results.resize(delta.changes.size());
  for (size_t i = 0; i < delta.changes.size(); ++i) {
    const FieldChange& c = delta.changes[i];
    ChangeResult& result = outcome.change_results[i];
    auto [it, inserted] = state.fields.try_emplace(c.name);
    FieldState& current = it->second;
    if (inserted) {
      current = FieldState{c.value, c.stamp, c.base, seq};
      result.fate = ChangeFate::kNewField;
      outcome.changed_fields.push_back(c.name);
      continue;
    }
    const int cmp = CompareWrite(c.value, c.stamp, c.base, current.value, current.stamp, current.base);
    if (cmp == 0) {
      result.fate = ChangeFate::kReplay;
    } else if (cmp > 0) {
      result.fate = ChangeFate::kWon;
      result.displaced = std::move(current);
      current = FieldState{c.value, c.stamp, c.base, seq};
      outcome.changed_fields.push_back(c.name);
    } else {
      result.fate = ChangeFate::kLost;
      outcome.all_incoming_won = false;
    }
  }

  if (!delta.tombstone.IsZero()) {
    const int cmp = CompareTombstone(delta.tombstone, delta.tombstone_base, state.tombstone,
                                     state.tombstone_base);
    if (cmp > 0) {
      state.tombstone = delta.tombstone;
      state.tombstone_base = delta.tombstone_base;
      state.tombstone_seq = seq;
      outcome.tombstone_changed = true;
    } else if (cmp < 0) {
      outcome.all_incoming_won = false;
    }
  }

  outcome.is_visible = state.Visible();
  if (outcome.changed()) Touch(state, seq);
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
