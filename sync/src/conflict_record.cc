#include "kawal/sync/conflict_record.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "kawal/sync/value_json.h"

namespace kawal::sync {

absl::StatusOr<LoserRestore> LoserRestoreOf(const RecordState& conflict, const Schema& schema) {
  LoserRestore restore;
  restore.collection = conflict.GetString("record_collection");
  restore.id = conflict.GetString("record_id");
  const std::string field = conflict.GetString("field");
  if (field == kDeletedField) {
    restore.delete_record = true;
    return restore;
  }
  const CollectionSpec* collection = schema.Find(restore.collection);
  const FieldSpec* spec = collection != nullptr ? collection->Find(field) : nullptr;
  if (spec == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("conflict ", conflict.id, " is about field '", field, "' of ",
                     restore.collection, ", which this version does not know; update it to "
                     "restore that value"));
  }
  absl::StatusOr<Value> value = ValueFromJson(conflict.GetString("loser_value"), spec->type);
  if (!value.ok()) return value.status();
  restore.field = field;
  restore.value = *std::move(value);
  return restore;
}

std::string ConflictResolution(const RecordState& conflict) {
  return conflict.GetString("resolution");
}

absl::StatusOr<std::vector<std::pair<std::string, Value>>> SettlementFields(
    absl::string_view resolution, const std::string& settled_by, int64_t settled_at_ms,
    const std::string& note) {
  if (resolution != kKeptWinner && resolution != kRestoredLoser && resolution != kDismissed) {
    return absl::InvalidArgumentError(absl::StrCat("unknown resolution '", resolution.substr(0, 32),
                                                   "'"));
  }
  if (resolution == kDismissed && note.empty()) {
    return absl::InvalidArgumentError("dismissing a conflict needs a note saying why");
  }
  if (note.size() > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("the note has ", note.size(), " bytes; at most 1000"));
  }
  return std::vector<std::pair<std::string, Value>>{
      {"resolution", std::string(resolution)},
      {"resolved_by", settled_by},
      {"resolved_at_ms", settled_at_ms},
      {"resolution_note", note.empty() ? Value(Null{}) : Value(note)},
  };
}

}  // namespace kawal::sync
