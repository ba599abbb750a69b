#include "engine/conflict_detector.h"

#include <algorithm>
#include <utility>

namespace kawal::server {
namespace {

Conflict MakeConflict(const sync::RecordState& state, const std::string& field,
                      const sync::Value& winner_value, const sync::Stamp& winner,
                      const sync::Value& loser_value, const sync::Stamp& loser) {
  return Conflict{state.collection, state.id, state.scope, field,
                  winner_value,     loser_value, winner,  loser};
}

sync::Stamp Lookup(const std::map<std::string, sync::Stamp>& stamps, const std::string& name) {
  auto it = stamps.find(name);
  return it == stamps.end() ? sync::Stamp{} : it->second;
}

// A field change meeting the pre-delta tombstone: if the delete hides this
// write and the deleter never saw it, the write was lost to the delete.
void CheckHiddenByDelete(const sync::RecordState& state, const sync::FieldChange& c,
                         const sync::MergeOutcome& outcome, std::vector<Conflict>& out) {
  if (outcome.old_tombstone.IsZero() || !(c.stamp < outcome.old_tombstone)) return;
  if (outcome.old_tombstone_base < c.stamp) {
    out.push_back(MakeConflict(state, c.name, sync::Null{}, outcome.old_tombstone, c.value,
                               c.stamp));
  }
}

// A delete that won over the stored tombstone, against the edits already
// stored (fields of the same delta were seen by the deleter; fields already
// hidden by the old tombstone were lost before, not now).
void CheckDeleteAgainstEdits(const sync::RecordState& after, const sync::RecordDelta& delta,
                             const sync::MergeOutcome& outcome, std::vector<Conflict>& out) {
  const sync::FieldState* survivor = nullptr;
  // Fields outside the delta are as they were before it.
  for (const auto& [name, field] : after.fields) {
    if (!(field.stamp > outcome.old_tombstone)) continue;
    const bool in_delta =
        std::any_of(delta.changes.begin(), delta.changes.end(),
                    [&n = name](const sync::FieldChange& c) { return c.name == n; });
    if (in_delta) continue;
    if (field.stamp < delta.tombstone) {
      if (delta.tombstone_base < field.stamp) {
        out.push_back(MakeConflict(after, name, sync::Null{}, delta.tombstone, field.value,
                                   field.stamp));
      }
    } else if (field.stamp.node != delta.tombstone.node &&
               (survivor == nullptr || survivor->stamp < field.stamp)) {
      survivor = &field;
    }
  }
  if (survivor != nullptr) {
    // An edit newer than the delete keeps the record visible; the delete
    // lost to a write its author had not seen.
    out.push_back(MakeConflict(after, sync::kDeletedField, survivor->value, survivor->stamp,
                               sync::Null{}, delta.tombstone));
  }
}

}  // namespace

std::vector<Conflict> DetectConflicts(const sync::RecordState& after,
                                      const sync::RecordDelta& delta,
                                      const sync::MergeOutcome& outcome,
                                      const std::map<std::string, sync::Stamp>& displaced_base) {
  std::vector<Conflict> conflicts;
  for (size_t i = 0; i < delta.changes.size() && i < outcome.change_results.size(); ++i) {
    const sync::FieldChange& c = delta.changes[i];
    const sync::ChangeResult& result = outcome.change_results[i];
    switch (result.fate) {
      case sync::ChangeFate::kReplay:
        break;  // a replay: nothing is reported
      case sync::ChangeFate::kNewField:
        CheckHiddenByDelete(after, c, outcome, conflicts);
        break;
      case sync::ChangeFate::kWon: {
        // It overwrote the displaced value unseen iff its base is older.
        const sync::FieldState& displaced = result.displaced;
        if (c.stamp != displaced.stamp && c.base < displaced.stamp) {
          conflicts.push_back(
              MakeConflict(after, c.name, c.value, c.stamp, displaced.value, displaced.stamp));
        }
        CheckHiddenByDelete(after, c, outcome, conflicts);
        break;
      }
      case sync::ChangeFate::kLost: {
        // It lost to a write that never saw it, unless the chain of writes
        // that write displaced had seen it.
        const sync::FieldState& current = after.fields.at(c.name);
        if (c.stamp != current.stamp && current.base < c.stamp &&
            Lookup(displaced_base, c.name) < c.stamp) {
          conflicts.push_back(
              MakeConflict(after, c.name, current.value, current.stamp, c.value, c.stamp));
        }
        break;
      }
    }
  }

  if (!delta.tombstone.IsZero() && outcome.tombstone_changed) {
    CheckDeleteAgainstEdits(after, delta, outcome, conflicts);
  }

  // An edit that brings back a record deleted by a delete its writer had
  // not seen: the record is visible again, and the delete is the loser.
  if (!outcome.was_visible && outcome.is_visible && !outcome.old_tombstone.IsZero() &&
      outcome.had_fields && delta.base_tombstone < outcome.old_tombstone &&
      after.tombstone == outcome.old_tombstone) {
    sync::Stamp winner;
    sync::Value winner_value;
    for (const sync::FieldChange& c : delta.changes) {
      if (c.stamp > winner) {
        winner = c.stamp;
        winner_value = c.value;
      }
    }
    conflicts.push_back(MakeConflict(after, sync::kDeletedField, winner_value, winner,
                                     sync::Null{}, outcome.old_tombstone));
  }
  return conflicts;
}

StoredMerge MergeIntoStored(StoredRecord& stored, const sync::RecordDelta& delta, uint64_t seq) {
  StoredMerge merge;
  merge.outcome = sync::ApplyDelta(stored.state, delta, seq);
  merge.conflicts = DetectConflicts(stored.state, delta, merge.outcome, stored.displaced_base);
  // A winning write inherits the bases of the chain it displaced.
  for (size_t i = 0; i < delta.changes.size(); ++i) {
    const sync::ChangeResult& result = merge.outcome.change_results[i];
    const std::string& name = delta.changes[i].name;
    if (result.fate == sync::ChangeFate::kNewField) {
      stored.displaced_base.erase(name);
    } else if (result.fate == sync::ChangeFate::kWon) {
      const sync::Stamp inherited =
          std::max(result.displaced.base, Lookup(stored.displaced_base, name));
      if (inherited.IsZero()) {
        stored.displaced_base.erase(name);
      } else {
        stored.displaced_base[name] = inherited;
      }
    }
  }
  if (merge.outcome.changed()) stored.echo_node = 0;
  return merge;
}

}  // namespace kawal::server
