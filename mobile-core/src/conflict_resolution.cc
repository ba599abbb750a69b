// Device: the conflicts on this device and settling one (docs/sync-model.md,
// Settling conflicts).
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/record.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/conflict_record.h"
#include "device_core.h"
#include "local_indexes.h"
#include "local_writes.h"

namespace kawal::mobile {
namespace {

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

}  // namespace

absl::StatusOr<std::vector<sync::RecordState>> Device::Conflicts(bool include_settled) const {
  if (include_settled) {
    ListQuery query;
    query.collection = sync::kConflict;
    return List(query);
  }
  // The open ones from the conflict index: no resolution (an enum, so never
  // the empty string sync::ConflictResolution would also call open).
  absl::StatusOr<QueryPage> open =
      Query(RecordQuery{sync::kConflict, "", {{"resolution", sync::Null{}}}, 0, ""});
  if (!open.ok()) return open.status();
  SortById(open->records);
  return std::move(open->records);
}

absl::Status Device::ResolveConflict(const std::string& conflict_id, ConflictChoice choice,
                                     const std::string& note) {
  const std::string user = core_->State().user();
  if (user.empty()) {
    return absl::FailedPreconditionError(
        "this device does not know its user yet: sync once before settling conflicts");
  }
  absl::StatusOr<FieldValues> settlement =
      sync::SettlementFields(ResolutionName(choice), user, core_->clock().Now().wall_ms, note);
  if (!settlement.ok()) return settlement.status();
  absl::StatusOr<sync::RecordState> conflict = core_->store().GetRecord(sync::kConflict, conflict_id);
  if (!conflict.ok()) return conflict.status();
  if (conflict->IsEmpty() || !conflict->Visible()) {
    return absl::NotFoundError(absl::StrCat("no conflict with id ", conflict_id, " on this device"));
  }
  if (std::string done = sync::ConflictResolution(*conflict); !done.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("conflict ", conflict_id, " is already settled (",
                                                      done, " by ",
                                                      conflict->GetString("resolved_by"), ")"));
  }
  // The restored value (if any) and the settlement: one local commit.
  std::vector<LocalWrite> writes;
  if (choice == ConflictChoice::kRestoreLoser) {
    absl::StatusOr<sync::LoserRestore> loser =
        sync::LoserRestoreOf(*conflict, sync::Schema::Default());
    if (!loser.ok()) return loser.status();
    // Every field the write lost, in one write (none for a lost delete).
    writes.push_back(LocalWrite{loser->collection, loser->id, "", std::move(loser->fields),
                                loser->delete_record, true});
  }
  writes.push_back(LocalWrite{sync::kConflict, conflict_id, "", *std::move(settlement), false, true});
  absl::StatusOr<std::vector<std::string>> written = core_->Write(writes);
  if (absl::IsNotFound(written.status())) {
    // The conflict is here (checked above): what is gone is its record.
    return absl::FailedPreconditionError(absl::StrCat(
        "conflict ", conflict_id, ": its record is no longer on this device (",
        written.status().message(), ")"));
  }
  return written.status();
}

}  // namespace kawal::mobile
