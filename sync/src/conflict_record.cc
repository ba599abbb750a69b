#include "kawal/sync/conflict_record.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "kawal/sync/value_json.h"

namespace kawal::sync {

namespace {

ScalarList StringList(const std::vector<ConflictField>& fields,
                      std::string ConflictField::*member) {
  ScalarList list;
  list.reserve(fields.size());
  for (const ConflictField& f : fields) list.emplace_back(f.*member);
  return list;
}

}  // namespace

absl::StatusOr<std::vector<ConflictField>> ConflictFieldsOf(const RecordState& conflict) {
  std::vector<ConflictField> out;
  const std::vector<std::string> names = conflict.GetStrings("fields");
  if (names.empty()) {
    const std::string field = conflict.GetString("field");
    if (field.empty()) {
      return absl::DataLossError(absl::StrCat("conflict ", conflict.id, " names no field"));
    }
    out.push_back({field, conflict.GetString("winner_value"), conflict.GetString("loser_value")});
    return out;
  }
  const std::vector<std::string> winners = conflict.GetStrings("winner_values");
  const std::vector<std::string> losers = conflict.GetStrings("loser_values");
  if (winners.size() != names.size() || losers.size() != names.size()) {
    return absl::DataLossError(absl::StrCat("conflict ", conflict.id, " lists ", names.size(),
                                            " fields but ", winners.size(), " winner and ",
                                            losers.size(), " loser values"));
  }
  for (size_t i = 0; i < names.size(); ++i) out.push_back({names[i], winners[i], losers[i]});
  return out;
}

std::vector<std::pair<std::string, Value>> ConflictFieldValues(
    const std::vector<ConflictField>& fields) {
  if (fields.size() == 1) {
    return {{"field", fields[0].name},
            {"winner_value", fields[0].winner_json},
            {"loser_value", fields[0].loser_json}};
  }
  // The one-field values go null: a record that grew from one field must
  // not offer an old app half of the lost write.
  return {{"field", fields.empty() ? std::string() : fields[0].name},
          {"winner_value", Null{}},
          {"loser_value", Null{}},
          {"fields", StringList(fields, &ConflictField::name)},
          {"winner_values", StringList(fields, &ConflictField::winner_json)},
          {"loser_values", StringList(fields, &ConflictField::loser_json)}};
}

absl::StatusOr<LoserRestore> LoserRestoreOf(const RecordState& conflict, const Schema& schema) {
  absl::StatusOr<std::vector<ConflictField>> fields = ConflictFieldsOf(conflict);
  if (!fields.ok()) return fields.status();
  LoserRestore restore;
  restore.collection = conflict.GetString("record_collection");
  restore.id = conflict.GetString("record_id");
  for (const ConflictField& f : *fields) {
    // A lost delete is restored by deleting again; its other fields, if
    // any, would be hidden by that delete anyway.
    if (f.name == kDeletedField) {
      restore.delete_record = true;
      return restore;
    }
  }
  const CollectionSpec* collection = schema.Find(restore.collection);
  for (const ConflictField& f : *fields) {
    const FieldSpec* spec = collection != nullptr ? collection->Find(f.name) : nullptr;
    if (spec == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("conflict ", conflict.id, " is about field '", f.name, "' of ",
                       restore.collection, ", which this version does not know; update it to "
                       "restore that value"));
    }
    absl::StatusOr<Value> value = ValueFromJson(f.loser_json, spec->type);
    if (!value.ok()) return value.status();
    restore.fields.emplace_back(f.name, *std::move(value));
  }
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
