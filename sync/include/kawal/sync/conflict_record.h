// Reading a `conflict` record (schema.h, kConflict): what it is about and
// what restoring its lost write writes. Devices and the server settle
// conflicts the same way (docs/sync-model.md, Settling conflicts).
//
// A conflict record is about one losing write of one record and lists the
// fields it lost. One field: `field`, `winner_value`, `loser_value` (the
// shape every app version reads). Several: `field` names the first and the
// parallel lists `fields`, `winner_values`, `loser_values` carry them all;
// `winner_value` and `loser_value` are then null, so an app that predates
// the lists shows the first field and cannot restore half a write.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SYNC_CONFLICT_RECORD_H_
#define KAWAL_SYNC_CONFLICT_RECORD_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/sync/record.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/value.h"

namespace kawal::sync {

// One field a write lost: its name (kDeletedField for a delete against an
// edit) and both values as JSON (value.h ValueToJson).
struct ConflictField {
  std::string name;
  std::string winner_json;
  std::string loser_json;

  friend bool operator==(const ConflictField&, const ConflictField&) = default;
};

// The fields of a conflict record, sorted by name as the server writes
// them. DATA_LOSS when its lists disagree in length or it names no field.
absl::StatusOr<std::vector<ConflictField>> ConflictFieldsOf(const RecordState& conflict);

// The conflict record's fields that carry `fields` (sorted by name, not
// empty): the one-field shape, or the lists with `winner_value` and
// `loser_value` null. A record's field list only grows, so the one-field
// shape is only ever written to a new record.
std::vector<std::pair<std::string, Value>> ConflictFieldValues(
    const std::vector<ConflictField>& fields);

// The write that puts a conflict's lost write back.
struct LoserRestore {
  std::string collection;
  std::string id;
  // A delete lost to an edit (field kDeletedField): restoring it deletes
  // the record again; `fields` is then empty.
  bool delete_record = false;
  // Every field the write lost, with its lost value: one write restores them.
  std::vector<std::pair<std::string, Value>> fields;
};

// FAILED_PRECONDITION when the conflict names a field `schema` does not know
// (a newer app wrote it), INVALID_ARGUMENT when a loser value does not
// parse as its field's type, DATA_LOSS for a malformed record.
absl::StatusOr<LoserRestore> LoserRestoreOf(const RecordState& conflict, const Schema& schema);

// "" while open; else how it was settled (kKeptWinner, ...).
std::string ConflictResolution(const RecordState& conflict);

// The four fields a settlement writes to a conflict record, all of them (a
// missing note as null) so a later settlement replaces an earlier one
// whole. INVALID_ARGUMENT for an unknown resolution, a dismissal without a
// note, or a note over the schema's 1,000 bytes.
absl::StatusOr<std::vector<std::pair<std::string, Value>>> SettlementFields(
    absl::string_view resolution, const std::string& settled_by, int64_t settled_at_ms,
    const std::string& note);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_CONFLICT_RECORD_H_
