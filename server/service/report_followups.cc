// ReportService's follow-up calls (docs/follow-ups.md): officers create and
// edit follow-up actions; the server writes them as its own records in the
// officer's name, so they reach every device of the desa and merge with
// the facilitators' offline edits field by field.
#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/push_applier.h"
#include "kawal/common/grpc_status.h"
#include "kawal/common/random_id.h"
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

constexpr int kMaxFollowUpsListed = 2000;

void FillEntry(const sync::RecordState& r, const std::string& today,
               const RegionDirectory& regions, RecordNames& names, v1::FollowUpEntry* e) {
  e->set_id(r.id);
  e->set_desa(r.scope);
  e->set_desa_name(regions.Name(r.scope));
  e->set_activity_id(r.GetString("activity_id"));
  if (!e->activity_id().empty()) {
    e->set_activity_name(names.Of(sync::kActivity, e->activity_id()));
  }
  e->set_source_report_id(r.GetString("source_report_id"));
  e->set_problem(r.GetString("problem"));
  e->set_action(r.GetString("action"));
  e->set_responsible(r.GetString("responsible"));
  e->set_due_date(r.GetString("due_date"));
  e->set_status(r.GetString("status"));
  e->set_closing_note(r.GetString("closing_note"));
  e->set_created_by(r.GetString("created_by"));
  for (std::string& photo : r.GetStrings("photos")) e->add_photo_ids(std::move(photo));
  e->set_overdue(sync::FollowUpPending(e->status()) && e->due_date() < today);
}

bool Wanted(const v1::FollowUpEntry& e, const std::string& status) {
  if (status.empty()) return true;
  if (status == "open") return sync::FollowUpPending(e.status());
  if (status == "overdue") return e.overdue();
  return e.status() == status;
}

}  // namespace

grpc::Status ReportServiceImpl::CreateFollowUp(grpc::ServerContext* context,
                                               const v1::CreateFollowUpRequest* request,
                                               v1::FollowUpResponse* response) {
  return common::ToGrpcStatus(HandleCreateFollowUp(context, request, response));
}

grpc::Status ReportServiceImpl::UpdateFollowUp(grpc::ServerContext* context,
                                               const v1::UpdateFollowUpRequest* request,
                                               v1::FollowUpResponse* response) {
  return common::ToGrpcStatus(HandleUpdateFollowUp(context, request, response));
}

grpc::Status ReportServiceImpl::ListFollowUps(grpc::ServerContext* context,
                                              const v1::ListFollowUpsRequest* request,
                                              v1::ListFollowUpsResponse* response) {
  return common::ToGrpcStatus(HandleListFollowUps(context, request, response));
}

std::string ReportServiceImpl::Today() const {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(clock_->CorrectedTimeMs()),
                          absl::LocalTimeZone());
}

absl::StatusOr<Caller> ReportServiceImpl::AuthorizeFollowUpWriter(
    const grpc::ServerContext& context) const {
  absl::StatusOr<Caller> caller = Authorize(context, *shard_, *users_);
  if (!caller.ok()) return caller.status();
  if (caller->role == v1::FACILITATOR) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user ", caller->name, " (facilitator) moves follow-ups on the device "
        "(kawal-field followup update); officers create and edit them"));
  }
  if (applier_ == nullptr) return absl::InternalError("follow-up writes are not set up");
  return caller;
}

absl::Status ReportServiceImpl::HandleCreateFollowUp(grpc::ServerContext* context,
                                                     const v1::CreateFollowUpRequest* request,
                                                     v1::FollowUpResponse* response) {
  absl::StatusOr<Caller> caller = AuthorizeFollowUpWriter(*context);
  if (!caller.ok()) return caller.status();
  absl::StatusOr<sync::RegionCode> desa = sync::RegionCode::Parse(request->desa());
  if (!desa.ok() || desa->level() != sync::RegionLevel::kDesa) {
    return absl::InvalidArgumentError(
        absl::StrCat("a follow-up is for a desa: \"", sync::QuoteClientValue(request->desa(), 20),
                     "\" is not a desa code (e.g. 62.10.01.2001)"));
  }
  if (request->action().empty()) {
    return absl::InvalidArgumentError("a follow-up needs the action agreed (action)");
  }
  if (request->due_date().empty()) {
    return absl::InvalidArgumentError("a follow-up needs a due date (due_date, YYYY-MM-DD)");
  }
  if (absl::Status s = shard_->CheckRead(request->desa()); !s.ok()) return s;
  if (!CanReadScope(*caller, request->desa())) {
    return absl::PermissionDeniedError(absl::StrCat("user ", caller->name,
                                                    " may not write follow-ups of desa ",
                                                    request->desa()));
  }
  // The records it refers to must be of the same desa (and visible to the caller).
  for (const auto& [collection, id] :
       {std::pair<const char*, const std::string&>{sync::kActivity, request->activity_id()},
        std::pair<const char*, const std::string&>{sync::kProgressReport,
                                                   request->source_report_id()}}) {
    if (id.empty()) continue;
    absl::StatusOr<sync::RecordState> referred = applier_->Get(collection, id);
    if (!referred.ok()) return referred.status();
    if (!referred->Visible() || referred->scope != request->desa()) {
      return absl::InvalidArgumentError(absl::StrCat("no ", collection, " \"",
                                                     sync::QuoteClientValue(id, 64),
                                                     "\" in desa ", request->desa()));
    }
  }
  if (!request->responsible().empty()) {
    absl::StatusOr<std::vector<storage::v1::UserEntry>> users = users_->List();
    if (!users.ok()) return users.status();
    const bool known = std::any_of(users->begin(), users->end(), [&](const auto& u) {
      return u.name() == request->responsible() && !u.revoked();
    });
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("responsible: no user \"", sync::QuoteClientValue(request->responsible(), 64),
                       "\" on this server (kawal-admin user list)"));
    }
  }

  sync::RecordDelta delta;
  delta.collection = sync::kFollowUp;
  delta.id = absl::StrCat("f-", common::RandomHexId(16));
  delta.scope = request->desa();
  const sync::Stamp stamp = clock_->Now();
  auto set = [&](const char* field, const std::string& value) {
    if (!value.empty()) delta.changes.push_back(sync::FieldChange{field, value, stamp, {}});
  };
  set("activity_id", request->activity_id());
  set("source_report_id", request->source_report_id());
  set("problem", request->problem());
  set("action", request->action());
  set("responsible", request->responsible());
  set("due_date", request->due_date());
  set("created_by", caller->name);
  set("status", "open");
  return WriteFollowUp(delta, response);
}

absl::Status ReportServiceImpl::HandleUpdateFollowUp(grpc::ServerContext* context,
                                                     const v1::UpdateFollowUpRequest* request,
                                                     v1::FollowUpResponse* response) {
  absl::StatusOr<Caller> caller = AuthorizeFollowUpWriter(*context);
  if (!caller.ok()) return caller.status();
  absl::StatusOr<sync::RecordState> stored = applier_->Get(sync::kFollowUp, request->id());
  if (!stored.ok()) return stored.status();
  // Out of scope reads as absent: a caller learns nothing of other regions.
  const absl::Status absent = absl::NotFoundError(
      absl::StrCat("no follow-up \"", sync::QuoteClientValue(request->id(), 64), "\""));
  if (stored->IsEmpty() || !stored->Visible()) return absent;
  if (!shard_->CheckRead(stored->scope).ok() || !CanReadScope(*caller, stored->scope)) {
    return absent;
  }

  sync::RecordDelta delta;
  delta.collection = sync::kFollowUp;
  delta.id = stored->id;
  delta.scope = stored->scope;
  const sync::Stamp stamp = clock_->Now();
  auto set = [&](const char* field, bool given, const std::string& value) {
    if (!given) return;
    // Based on the value the officer is replacing: a device's concurrent
    // write of the same field is a conflict, of another field is kept.
    sync::Stamp base;
    if (auto f = stored->fields.find(field); f != stored->fields.end()) base = f->second.stamp;
    sync::Value v = value.empty() ? sync::Value(sync::Null{}) : sync::Value(value);
    delta.changes.push_back(sync::FieldChange{field, std::move(v), stamp, base});
  };
  set("problem", request->has_problem(), request->problem());
  set("action", request->has_action(), request->action());
  set("responsible", request->has_responsible(), request->responsible());
  set("due_date", request->has_due_date(), request->due_date());
  set("status", request->has_status(), request->status());
  set("closing_note", request->has_closing_note(), request->closing_note());
  if (delta.changes.empty()) {
    return absl::InvalidArgumentError(
        "nothing to change: give problem, action, responsible, due_date, status or closing_note");
  }
  std::sort(delta.changes.begin(), delta.changes.end(),
            [](const sync::FieldChange& a, const sync::FieldChange& b) { return a.name < b.name; });
  return WriteFollowUp(delta, response);
}

absl::Status ReportServiceImpl::WriteFollowUp(const sync::RecordDelta& delta,
                                              v1::FollowUpResponse* response) {
  if (absl::Status s = sync::ValidateDelta(sync::Schema::Default(), delta, sync::Writer::kServer);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<DeltaOutcome>> outcomes =
      applier_->Apply({delta}, sync::Writer::kServer, /*device_node=*/0);
  if (!outcomes.ok()) return outcomes.status();
  for (const DeltaOutcome& outcome : *outcomes) {
    if (!outcome.status.ok()) return outcome.status;
  }
  absl::StatusOr<sync::RecordState> written = applier_->Get(sync::kFollowUp, delta.id);
  if (!written.ok()) return written.status();
  const RecordTable records(database_);
  RecordNames names(records);
  FillEntry(*written, Today(), *regions_, names, response->mutable_follow_up());
  return absl::OkStatus();
}

absl::Status ReportServiceImpl::HandleListFollowUps(grpc::ServerContext* context,
                                                    const v1::ListFollowUpsRequest* request,
                                                    v1::ListFollowUpsResponse* response) {
  Caller caller;
  if (absl::Status s = AuthorizeRegion(*context, request->region(), &caller); !s.ok()) return s;
  const std::string& status = request->status();
  if (!status.empty() && status != "open" && status != "overdue" && status != "done" &&
      status != "cancelled") {
    return absl::InvalidArgumentError(
        absl::StrCat("status \"", sync::QuoteClientValue(status, 20),
                     "\" is unknown: use open, overdue, done or cancelled (or none for all)"));
  }
  const std::string today = Today();
  const RecordTable records(database_);
  RecordNames names(records);
  std::vector<v1::FollowUpEntry> found;
  absl::Status scanned = records.ScanPrefix(
      RecordCollectionPrefix(sync::kFollowUp),
      [&](absl::string_view key, absl::string_view value) -> absl::Status {
        absl::StatusOr<StoredRecord> stored = DecodeStoredRecord(value, key);
        if (!stored.ok()) return stored.status();
        const sync::RecordState& r = stored->state;
        if (!r.Visible() || !sync::RegionContains(request->region(), r.scope)) {
          return absl::OkStatus();
        }
        v1::FollowUpEntry e;
        FillEntry(r, today, *regions_, names, &e);
        if (Wanted(e, status)) found.push_back(std::move(e));
        return absl::OkStatus();
      });
  if (!scanned.ok()) return scanned;
  std::sort(found.begin(), found.end(), [](const v1::FollowUpEntry& a, const v1::FollowUpEntry& b) {
    return std::make_pair(a.due_date(), a.id()) < std::make_pair(b.due_date(), b.id());
  });
  if (found.size() > kMaxFollowUpsListed) {
    found.resize(kMaxFollowUpsListed);
    response->set_truncated(true);
  }
  for (v1::FollowUpEntry& e : found) *response->add_follow_ups() = std::move(e);
  return absl::OkStatus();
}

}  // namespace kawal::server
