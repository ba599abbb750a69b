// ReportService's conflict calls: the conflicts of a region, and settling
// one in an officer's name (docs/sync-model.md, Settling conflicts). A
// settlement is a server write of the same fields a device writes, so it
// reaches every device of the village and merges like any edit.
#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/push_applier.h"
#include "kawal/common/grpc_status.h"
#include "kawal/sync/conflict_record.h"
#include "kawal/sync/quote.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"
#include "service/call_auth.h"
#include "service/record_names.h"
#include "service/report_service.h"
#include "store/record_table.h"
#include "store/storage_keys.h"
#include "store/stored_record.h"

namespace kawal::server {
namespace {

// Listing stops here; the response says it was cut.
constexpr int kMaxConflictsListed = 1000;

void FillEntry(const sync::RecordState& c, RecordNames& names, v1::ConflictEntry* e) {
  e->set_id(c.id);
  e->set_scope(c.scope);
  e->set_record_collection(c.GetString("record_collection"));
  e->set_record_id(c.GetString("record_id"));
  // A record that does not read lists nothing; its id still lets a person find it.
  absl::StatusOr<std::vector<sync::ConflictField>> fields = sync::ConflictFieldsOf(c);
  if (fields.ok()) {
    for (const sync::ConflictField& f : *fields) {
      v1::ConflictField* out = e->add_fields();
      out->set_field(f.name);
      out->set_winner_value(f.winner_json);
      out->set_loser_value(f.loser_json);
    }
  }
  e->set_field(c.GetString("field"));
  if (e->fields_size() > 0) {
    e->set_winner_value(e->fields(0).winner_value());
    e->set_loser_value(e->fields(0).loser_value());
  }
  e->set_detected_at_ms(c.GetInt("detected_at_ms"));
  e->set_resolution(sync::ConflictResolution(c));
  e->set_resolved_by(c.GetString("resolved_by"));
  e->set_resolved_at_ms(c.GetInt("resolved_at_ms"));
  e->set_resolution_note(c.GetString("resolution_note"));
  e->set_record_name(names.Of(e->record_collection(), e->record_id()));
}

}  // namespace

grpc::Status ReportServiceImpl::ListConflicts(grpc::ServerContext* context,
                                              const v1::ListConflictsRequest* request,
                                              v1::ListConflictsResponse* response) {
  return common::ToGrpcStatus(HandleListConflicts(context, request, response));
}

grpc::Status ReportServiceImpl::SettleConflict(grpc::ServerContext* context,
                                               const v1::SettleConflictRequest* request,
                                               v1::SettleConflictResponse* response) {
  return common::ToGrpcStatus(HandleSettleConflict(context, request, response));
}

absl::Status ReportServiceImpl::HandleListConflicts(grpc::ServerContext* context,
                                                    const v1::ListConflictsRequest* request,
                                                    v1::ListConflictsResponse* response) {
  Caller caller;
  if (absl::Status s = AuthorizeRegion(*context, request->region(), &caller); !s.ok()) return s;
  const RecordTable records(database_);
  std::vector<sync::RecordState> found;
  absl::Status scanned = records.ScanPrefix(
      RecordCollectionPrefix(sync::kConflict),
      [&](absl::string_view key, absl::string_view value) -> absl::Status {
        absl::StatusOr<StoredRecord> stored = DecodeStoredRecord(value, key);
        if (!stored.ok()) return stored.status();
        const sync::RecordState& c = stored->state;
        if (!c.Visible() || !sync::RegionContains(request->region(), c.scope)) {
          return absl::OkStatus();
        }
        if (!request->include_settled() && !sync::ConflictResolution(c).empty()) {
          return absl::OkStatus();
        }
        found.push_back(c);
        return absl::OkStatus();
      });
  if (!scanned.ok()) return scanned;
  std::sort(found.begin(), found.end(), [](const sync::RecordState& a, const sync::RecordState& b) {
    return std::make_pair(a.GetInt("detected_at_ms"), a.id) <
           std::make_pair(b.GetInt("detected_at_ms"), b.id);
  });
  if (found.size() > kMaxConflictsListed) {
    found.resize(kMaxConflictsListed);
    response->set_truncated(true);
  }
  RecordNames names(records);
  for (const sync::RecordState& c : found) FillEntry(c, names, response->add_conflicts());
  return absl::OkStatus();
}

absl::Status ReportServiceImpl::HandleSettleConflict(grpc::ServerContext* context,
                                                     const v1::SettleConflictRequest* request,
                                                     v1::SettleConflictResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return caller.status();
  if (caller->role == v1::FACILITATOR) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user ", caller->name, " (facilitator) settles conflicts on the device "
        "(kawal-field conflicts resolve), which syncs the settlement"));
  }
  const char* resolution = nullptr;
  switch (request->choice()) {
    case v1::SettleConflictRequest::KEEP_WINNER: resolution = sync::kKeptWinner; break;
    case v1::SettleConflictRequest::RESTORE_LOSER: resolution = sync::kRestoredLoser; break;
    case v1::SettleConflictRequest::DISMISS: resolution = sync::kDismissed; break;
    default:
      return absl::InvalidArgumentError(
          "choice must be KEEP_WINNER, RESTORE_LOSER or DISMISS");
  }
  absl::StatusOr<std::vector<std::pair<std::string, sync::Value>>> settlement =
      sync::SettlementFields(resolution, caller->name, clock_->CorrectedTimeMs(), request->note());
  if (!settlement.ok()) return settlement.status();
  if (applier_ == nullptr) return absl::InternalError("conflict settlement is not set up");

  absl::StatusOr<sync::RecordState> conflict = applier_->Get(sync::kConflict, request->conflict_id());
  if (!conflict.ok()) return conflict.status();
  if (conflict->IsEmpty() || !conflict->Visible()) {
    return absl::NotFoundError(absl::StrCat("no conflict ",
                                            sync::QuoteClientValue(request->conflict_id(), 64)));
  }
  // Out of scope reads as absent: a caller learns nothing of other regions.
  if (absl::Status s = shard_->CheckRead(conflict->scope); !s.ok()) return s;
  if (!CanReadScope(*caller, conflict->scope)) {
    return absl::NotFoundError(absl::StrCat("no conflict ",
                                            sync::QuoteClientValue(request->conflict_id(), 64)));
  }
  if (std::string done = sync::ConflictResolution(*conflict); !done.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("conflict ", conflict->id,
                                                      " is already settled (", done, " by ",
                                                      conflict->GetString("resolved_by"), ")"));
  }

  std::vector<sync::RecordDelta> deltas;
  if (request->choice() == v1::SettleConflictRequest::RESTORE_LOSER) {
    absl::StatusOr<sync::LoserRestore> loser =
        sync::LoserRestoreOf(*conflict, sync::Schema::Default());
    if (!loser.ok()) return loser.status();
    absl::StatusOr<sync::RecordState> record = applier_->Get(loser->collection, loser->id);
    if (!record.ok()) return record.status();
    if (record->IsEmpty()) {
      return absl::FailedPreconditionError(absl::StrCat("conflict ", conflict->id, ": its ",
                                                        loser->collection, " ", loser->id,
                                                        " is not stored here"));
    }
    sync::RecordDelta restore;
    restore.collection = loser->collection;
    restore.id = loser->id;
    restore.scope = record->scope;
    // Based on everything stored: the restored value wins without a new conflict.
    const sync::Stamp seen = record->MaxStamp();
    if (loser->delete_record) {
      restore.tombstone = clock_->Now();
      restore.tombstone_base = seen;
    } else {
      // All fields the write lost, as one write: one stamp.
      const sync::Stamp stamp = clock_->Now();
      for (auto& [field, value] : loser->fields) {
        restore.changes.push_back(sync::FieldChange{field, std::move(value), stamp, seen});
      }
    }
    deltas.push_back(std::move(restore));
  }
  sync::RecordDelta settle;
  settle.collection = sync::kConflict;
  settle.id = conflict->id;
  settle.scope = conflict->scope;
  const sync::Stamp stamp = clock_->Now();
  for (auto& [field, value] : *settlement) {
    settle.changes.push_back(sync::FieldChange{field, std::move(value), stamp, conflict->MaxStamp()});
  }
  deltas.push_back(std::move(settle));

  for (const sync::RecordDelta& d : deltas) {
    if (absl::Status s = sync::ValidateDelta(sync::Schema::Default(), d, sync::Writer::kServer);
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<std::vector<DeltaOutcome>> outcomes =
      applier_->Apply(deltas, sync::Writer::kServer, /*device_node=*/0);
  if (!outcomes.ok()) return outcomes.status();
  for (const DeltaOutcome& outcome : *outcomes) {
    if (!outcome.status.ok()) return outcome.status;
  }
  absl::StatusOr<sync::RecordState> settled = applier_->Get(sync::kConflict, conflict->id);
  if (!settled.ok()) return settled.status();
  const RecordTable records(database_);
  RecordNames names(records);
  FillEntry(*settled, names, response->mutable_conflict());
  return absl::OkStatus();
}

}  // namespace kawal::server
