// Reading a `conflict` record (schema.h, kConflict): what it is about and
// what restoring its lost value writes. Devices and the server settle
// conflicts the same way (docs/sync-model.md, Settling conflicts).
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

// The write that puts a conflict's lost value back.
struct LoserRestore {
  std::string collection;
  std::string id;
  // A delete lost to an edit (field kDeletedField): restoring it deletes
  // the record again; `field` and `value` are then unused.
  bool delete_record = false;
  std::string field;
  Value value;
};

// FAILED_PRECONDITION when the conflict names a field `schema` does not know
// (a newer app wrote it), INVALID_ARGUMENT when its loser value does not
// parse as that field's type.
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
