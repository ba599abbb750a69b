// Device's local writes: validated with the shared schema, merged into the
// local state and queued as pending changes, in one durable local commit:
// a single write is a batch of one (WriteStager, DeviceCore::Write).
#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/report_spending.h"
#include "kawal/sync/schema.h"
#include "device_core.h"
#include "local_store.h"
#include "local_writes.h"
#include "pending_changes.h"

namespace kawal::mobile {

absl::StatusOr<std::string> Device::Create(const std::string& collection,
                                           const std::string& scope, const FieldValues& fields) {
  absl::StatusOr<std::vector<std::string>> ids =
      core_->Write({ToLocalWrite(WriteOp{WriteOp::Kind::kCreate, collection, "", scope, fields})});
  if (!ids.ok()) return ids.status();
  return std::move(ids->front());
}

absl::Status Device::Update(const std::string& collection, const std::string& id,
                            const FieldValues& fields) {
  return core_->Write({ToLocalWrite(WriteOp{WriteOp::Kind::kUpdate, collection, id, "", fields})})
      .status();
}

absl::Status Device::Delete(const std::string& collection, const std::string& id) {
  return core_->Write({ToLocalWrite(WriteOp{WriteOp::Kind::kDelete, collection, id, "", {}})})
      .status();
}

namespace {

std::vector<LocalWrite> ToLocalWrites(const std::vector<WriteOp>& ops) {
  std::vector<LocalWrite> writes;
  writes.reserve(ops.size());
  for (const WriteOp& op : ops) writes.push_back(ToLocalWrite(op));
  return writes;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> Device::WriteBatch(const std::vector<WriteOp>& ops) {
  return core_->Write(ToLocalWrites(ops), /*name_ops=*/true);
}

absl::Status Device::CheckBatch(const std::vector<WriteOp>& ops) {
  return core_->Write(ToLocalWrites(ops), /*name_ops=*/true, /*commit=*/false).status();
}

LocalWrite ToLocalWrite(const WriteOp& op) {
  const bool create = op.kind == WriteOp::Kind::kCreate;
  LocalWrite write;
  write.collection = op.collection;
  write.id = create && op.id.empty() ? NewRecordId() : op.id;
  if (create) write.scope = op.scope;
  if (op.kind != WriteOp::Kind::kDelete) write.fields = op.fields;
  write.remove = op.kind == WriteOp::Kind::kDelete;
  write.must_exist = !create;
  return write;
}

absl::StatusOr<WriteStager::Staged> WriteStager::Current(const std::string& collection,
                                                         const std::string& id) const {
  if (auto it = staged_.find({collection, id}); it != staged_.end()) return it->second;
  Staged current;
  absl::StatusOr<sync::RecordState> local = store_.GetRecord(collection, id);
  if (!local.ok()) return local.status();
  current.stored = *std::move(local);
  current.record = current.stored;
  if (auto p = store_.GetPending(collection, id); !p.ok()) {
    return p.status();
  } else if (p->has_value()) {
    current.pending = **p;
  }
  // A record the server refused goes back to pending when edited again:
  // the new edit and the refused values travel together.
  if (auto r = store_.GetRejection(collection, id); !r.ok()) {
    return r.status();
  } else if (r->has_value()) {
    current.drop_rejection = true;
    if (current.pending.delta().collection().empty()) current.pending = (*r)->pending();
  }
  return current;
}

absl::Status WriteStager::Stage(const LocalWrite& write) {
  const std::string& collection = write.collection;
  const std::string& id = write.id;
  const bool remove = write.remove;
  const sync::Schema& schema = sync::Schema::Default();
  if (schema.Find(collection) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown collection '", collection, "'"));
  }
  if (write.must_exist && !remove && write.fields.empty()) {
    return absl::InvalidArgumentError("nothing to change: no fields given");
  }
  absl::StatusOr<Staged> current = Current(collection, id);
  if (!current.ok()) return current.status();
  const sync::RecordState& local = current->record;
  if (write.must_exist && (local.IsEmpty() || (!local.Visible() && !remove))) {
    return absl::NotFoundError(absl::StrCat("no ", collection, " with id ", id, " on this device"));
  }
  if (!write.must_exist && !local.IsEmpty()) {
    return absl::AlreadyExistsError(absl::StrCat(collection, " ", id, " already exists"));
  }
  device::v1::PendingRecord& pending = current->pending;

  std::map<std::string, sync::Stamp> pending_base;
  for (const auto& c : pending.delta().changes()) pending_base[c.name()] = sync::FromProto(c.base());

  sync::RecordDelta delta;
  delta.collection = collection;
  delta.id = id;
  delta.scope = local.IsEmpty() ? write.scope : local.scope;
  delta.base_tombstone = local.tombstone;
  // One stamp for every field of this write: it is one event, and shared
  // stamps pack into one entry of a message's stamp table on the wire.
  const sync::Stamp stamp = write.fields.empty() ? sync::Stamp{} : clock_.Now();
  for (const auto& [name, value] : write.fields) {
    sync::Stamp base;
    if (auto pb = pending_base.find(name); pb != pending_base.end()) {
      base = pb->second;
    } else if (auto f = local.fields.find(name); f != local.fields.end()) {
      base = f->second.stamp;
    }
    delta.changes.push_back(sync::FieldChange{name, value, stamp, base});
  }
  std::sort(delta.changes.begin(), delta.changes.end(),
            [](const sync::FieldChange& a, const sync::FieldChange& b) { return a.name < b.name; });
  if (remove) {
    delta.tombstone_base = local.MaxStamp();
    delta.tombstone = clock_.Now();
  }
  if (absl::Status s = sync::ValidateDelta(schema, delta, sync::Writer::kDevice); !s.ok()) return s;
  if (absl::Status s = sync::ValidateAgainstStored(schema, local, delta, sync::Writer::kDevice);
      !s.ok()) {
    return s;
  }
  if (collection == sync::kProgressReport && local.IsEmpty()) {
    if (absl::Status s = CheckAgainstEarlierReports(delta); !s.ok()) return s;
  }
  sync::RecordState merged = local;
  sync::ApplyDelta(merged, delta, 0);
  if (absl::Status s = sync::ValidateMerged(schema, merged); !s.ok()) return s;

  FoldIntoPending(local, delta, &pending);
  current->record = std::move(merged);
  staged_[{collection, id}] = *std::move(current);
  return absl::OkStatus();
}

absl::Status WriteStager::CheckAgainstEarlierReports(const sync::RecordDelta& report) const {
  std::string activity;
  for (const sync::FieldChange& change : report.changes) {
    if (change.name == "activity_id") {
      if (const auto* id = std::get_if<std::string>(&change.value)) activity = *id;
    }
  }
  sync::ReportSpending incoming = sync::ReportSpendingOf(report);
  if (activity.empty() || incoming.spent.empty()) return absl::OkStatus();
  incoming.written = sync::Stamp();  // not written yet: newest of its date
  std::vector<sync::ReportSpending> others;
  auto consider = [&](const sync::RecordState& r) {
    if (r.Visible() && r.GetString("activity_id") == activity) {
      others.push_back(sync::ReportSpendingOf(r));
    }
  };
  absl::Status listed =
      store_.ForEachRecord(sync::kProgressReport, [&](const sync::RecordState& r) {
        // A report staged in this batch is considered once, as staged.
        if (!staged_.contains({sync::kProgressReport, r.id})) consider(r);
        return true;
      });
  if (!listed.ok()) return listed;
  for (const auto& [key, staged] : staged_) {
    if (key.first == sync::kProgressReport) consider(staged.record);
  }
  return sync::CheckCumulativeSpending(incoming, others);
}

void WriteStager::AddTo(LocalStore::Batch& batch) const {
  for (const auto& [key, staged] : staged_) {
    batch.PutRecord(staged.stored, staged.record);
    batch.PutPending(staged.pending);
    if (staged.drop_rejection) batch.DeleteRejection(key.first, key.second);
  }
}

absl::Status Device::DiscardRejected(const std::string& collection, const std::string& id) {
  absl::MutexLock lock(&core_->write_mu());
  LocalStore& store = core_->store();
  auto rejection = store.GetRejection(collection, id);
  if (!rejection.ok()) return rejection.status();
  if (!rejection->has_value()) {
    return absl::NotFoundError(absl::StrCat("no rejected write for ", collection, " ", id));
  }
  const device::v1::PendingRecord& refused = (*rejection)->pending();
  absl::StatusOr<sync::RecordState> local = store.GetRecord(collection, id);
  if (!local.ok()) return local.status();
  LocalStore::Batch batch;
  batch.DeleteRejection(collection, id);
  if (refused.created_locally()) {
    // Never reached the server: discarding removes it.
    batch.DeleteRecord(*local, collection, id);
  } else {
    // Put back the values the refused write replaced, unless the server has
    // sent a newer value since.
    const sync::RecordState stored = *local;
    std::map<std::string, sync::Stamp> refused_stamps;
    for (const auto& c : refused.delta().changes()) refused_stamps[c.name()] = sync::FromProto(c.stamp());
    for (const auto& [name, stamp] : refused_stamps) {
      auto field = local->fields.find(name);
      if (field == local->fields.end() || field->second.stamp != stamp) continue;
      local->fields.erase(field);
    }
    for (const auto& prior : refused.prior()) {
      if (refused_stamps.count(prior.name()) && !local->fields.count(prior.name())) {
        auto value = sync::FromProto(prior.value());
        if (!value.ok()) return value.status();
        local->fields[prior.name()] =
            sync::FieldState{*value, sync::FromProto(prior.stamp()), sync::FromProto(prior.base()),
                             prior.changed_seq()};
      }
    }
    if (refused.delta().has_tombstone() &&
        local->tombstone == sync::FromProto(refused.delta().tombstone())) {
      local->tombstone = sync::FromProto(refused.prior_tombstone());
      local->tombstone_base = sync::FromProto(refused.prior_tombstone_base());
    }
    batch.PutRecord(stored, *local);
  }
  return store.Commit(batch);
}

}  // namespace kawal::mobile
