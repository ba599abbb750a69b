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

}  // namespace kawal::sync
