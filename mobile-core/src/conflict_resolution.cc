// Device: the conflicts on this device and settling one (docs/sync-model.md,
// Resolving conflicts).
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/record.h"
#include "kawal/sync/schema.h"
#include "device_core.h"
#include "json.h"
#include "local_writes.h"
#include "record_json.h"

namespace kawal::mobile {
namespace {

std::string TextField(const sync::RecordState& record, const char* field) {
  const sync::Value* value = record.Get(field);
  const auto* text = value != nullptr ? std::get_if<std::string>(value) : nullptr;
  return text != nullptr ? *text : std::string();
}

const char* ResolutionName(ConflictChoice choice) {
  switch (choice) {
    case ConflictChoice::kKeepWinner:
      return sync::kKeptWinner;
    case ConflictChoice::kRestoreLoser:
      return sync::kRestoredLoser;
    case ConflictChoice::kDismiss:
      return sync::kDismissed;
  }
  return sync::kDismissed;
}

// The write that puts the conflict's lost value back on its record.
absl::StatusOr<LocalWrite> RestoreLoserWrite(const sync::RecordState& conflict) {
  const std::string collection = TextField(conflict, "record_collection");
  const std::string id = TextField(conflict, "record_id");
  const std::string field = TextField(conflict, "field");
  LocalWrite write{collection, id, "", {}, false, true};
  if (field == sync::kDeletedField) {
    // The delete lost to an edit: restoring it deletes the record again.
    write.remove = true;
    return write;
  }
  const sync::CollectionSpec* spec = sync::Schema::Default().Find(collection);
  const sync::FieldSpec* field_spec = spec != nullptr ? spec->Find(field) : nullptr;
  if (field_spec == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "conflict ", conflict.id, " names field '", field, "' of ", collection,
        ", which this app does not know; update the app to restore it"));
  }
  absl::StatusOr<JsonValue> json = ParseJson(TextField(conflict, "loser_value"));
  if (!json.ok()) return json.status();
  absl::StatusOr<sync::Value> value = ValueFromJson(*field_spec, *json);
  if (!value.ok()) return value.status();
  write.fields.emplace_back(field, *std::move(value));
  return write;
}

}  // namespace

absl::StatusOr<std::vector<sync::RecordState>> Device::Conflicts(bool include_settled) const {
  ListQuery query;
  query.collection = sync::kConflict;
  absl::StatusOr<std::vector<sync::RecordState>> all = List(query);
  if (!all.ok() || include_settled) return all;
  std::vector<sync::RecordState> open;
  for (sync::RecordState& c : *all) {
    if (TextField(c, "resolution").empty()) open.push_back(std::move(c));
  }
  return open;
}

absl::Status Device::ResolveConflict(const std::string& conflict_id, ConflictChoice choice,
                                     const std::string& note) {
  if (choice == ConflictChoice::kDismiss && note.empty()) {
    return absl::InvalidArgumentError("dismissing a conflict needs a note saying why");
  }
  absl::MutexLock lock(&core_->write_mu());
  const std::string user = core_->state().user();
  if (user.empty()) {
    return absl::FailedPreconditionError(
        "this device does not know its user yet: sync once before settling conflicts");
  }
  absl::StatusOr<sync::RecordState> conflict = core_->store().GetRecord(sync::kConflict, conflict_id);
  if (!conflict.ok()) return conflict.status();
  if (conflict->IsEmpty() || !conflict->Visible()) {
    return absl::NotFoundError(absl::StrCat("no conflict with id ", conflict_id, " on this device"));
  }
  if (std::string done = TextField(*conflict, "resolution"); !done.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("conflict ", conflict_id, " is already settled (",
                                                      done, " by ",
                                                      TextField(*conflict, "resolved_by"), ")"));
  }
  LocalStore::Batch batch;
  if (choice == ConflictChoice::kRestoreLoser) {
    absl::StatusOr<LocalWrite> restore = RestoreLoserWrite(*conflict);
    if (!restore.ok()) return restore.status();
    if (absl::Status s = StageWrite(core_->store(), core_->clock(), *restore, batch); !s.ok()) {
      if (absl::IsNotFound(s)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "conflict ", conflict_id, ": its record is no longer on this device (", s.message(), ")"));
      }
      return s;
    }
  }
  FieldValues resolution = {
      {"resolution", std::string(ResolutionName(choice))},
      {"resolved_by", user},
      {"resolved_at_ms", core_->clock().Now().wall_ms},
  };
  // Always written, so a later settlement replaces an earlier one whole.
  resolution.emplace_back("resolution_note",
                          note.empty() ? sync::Value(sync::Null{}) : sync::Value(note));
  LocalWrite settle{sync::kConflict, conflict_id, "", std::move(resolution), false, true};
  if (absl::Status s = StageWrite(core_->store(), core_->clock(), settle, batch); !s.ok()) return s;
  return core_->CommitWrites(batch);
}

}  // namespace kawal::mobile
