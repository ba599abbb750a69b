#include "restore_recovery.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/schema.h"
#include "device_core.h"
#include "local_store.h"
#include "pending_changes.h"

namespace kawal::mobile {
namespace {

// The highest sequence of `from` that the restored database `to` still
// holds, following the lineage (a restore of a restore takes the minimum).
// Returns false when the lineage does not lead from `from` to `to`.
bool BackupSequence(const std::string& from, const std::string& to,
                    const google::protobuf::RepeatedPtrField<v1::LineageStep>& lineage,
                    uint64_t* seq) {
  std::string at = from;
  uint64_t held = UINT64_MAX;
  for (int hops = 0; hops <= lineage.size() && at != to; ++hops) {
    bool moved = false;
    for (const auto& step : lineage) {
      if (step.parent_incarnation() == at) {
        held = std::min<uint64_t>(held, step.parent_seq());
        at = step.incarnation();
        moved = true;
        break;
      }
    }
    if (!moved) return false;
  }
  if (at != to) return false;
  *seq = held;
  return true;
}

// The part of `state` this device may send again: fields devices may write
// (seeded village fields and server-written records stay with the server).
bool RepushDelta(const sync::RecordState& state, sync::RecordDelta* delta) {
  const sync::CollectionSpec* spec = sync::Schema::Default().Find(state.collection);
  if (spec == nullptr) return false;
  *delta = sync::DeltaFromState(state);
  delta->known_seq = 0;
  // The server's own conflict records go back whole (PushRequest.recovery).
  if (state.collection == sync::kConflict) return !delta->changes.empty();
  delta->changes.erase(std::remove_if(delta->changes.begin(), delta->changes.end(),
                                      [&](const sync::FieldChange& c) {
                                        const sync::FieldSpec* f = spec->Find(c.name);
                                        return f == nullptr || !f->device_writable;
                                      }),
                       delta->changes.end());
  if (!spec->device_deletable) {
    delta->tombstone = delta->tombstone_base = sync::Stamp{};
  }
  return !delta->changes.empty() || !delta->tombstone.IsZero();
}

// True when `record` may hold something a backup with every sequence up to
// `backup_seq` lacks. The record's seq alone does not tell: it is the last
// server version this device received whole, and an edit the server
// acknowledged without "in sync" (another device had changed the record
// meanwhile) leaves it, and the field's changed_seq, as they were until a
// pull brings the record back. So every field and the tombstone must be
// known at a sequence the backup holds; 0 means "not yet known".
bool NewerThanBackup(const sync::RecordState& record, uint64_t backup_seq) {
  auto after = [&](uint64_t seq) { return seq == 0 || seq > backup_seq; };
  if (after(record.seq)) return true;
  for (const auto& [name, field] : record.fields) {
    if (after(field.changed_seq)) return true;
  }
  return !record.tombstone.IsZero() && after(record.tombstone_seq);
}

}  // namespace

bool LineageLeads(const std::string& from, const std::string& to,
                  const google::protobuf::RepeatedPtrField<v1::LineageStep>& lineage) {
  uint64_t seq = 0;
  return BackupSequence(from, to, lineage, &seq);
}

absl::StatusOr<uint64_t> RestoreRecovery::Recover(const v1::HandshakeResponse& response) {
  device::v1::DeviceState state = core_.State();
  uint64_t backup_seq = 0;
  const bool known =
      BackupSequence(state.incarnation(), response.incarnation(), response.lineage(), &backup_seq);
  absl::MutexLock lock(&core_.write_mu());
  LocalStore& store = core_.store();
  LocalStore::Batch batch;
  uint64_t repushed = 0;
  absl::Status scan = store.ForEachRecord("", [&](const sync::RecordState& record) {
    // Records the backup held as this device holds them are intact on the
    // server; everything newer (or everything, when the lineage is unknown)
    // goes back up with its original stamps.
    if (known && !NewerThanBackup(record, backup_seq)) return true;
    sync::RecordDelta delta;
    sync::RecordState updated = record;
    updated.seq = 0;  // sequence numbers of the lost history mean nothing now
    updated.created_seq = 0;
    for (auto& [name, field] : updated.fields) field.changed_seq = 0;
    updated.tombstone_seq = 0;
    batch.PutRecord(record, updated);
    if (!RepushDelta(record, &delta)) return true;
    auto existing = store.GetPending(record.collection, record.id);
    device::v1::PendingRecord pending;
    if (existing.ok() && existing->has_value()) pending = **existing;
    FoldIntoPending(record, delta, &pending);
    batch.PutPending(pending);
    ++repushed;
    return true;
  });
  if (!scan.ok()) return scan;
  device::v1::DeviceState next = core_.state();
  if (!known) next.clear_cursor();  // pull everything again
  next.set_incarnation(response.incarnation());
  *next.mutable_lineage() = response.lineage();
  if (absl::Status s = core_.CommitWithState(batch, next); !s.ok()) return s;
  return repushed;
}

absl::Status RestoreRecovery::RestampFutureWrites(int64_t server_time_ms, int64_t max_skew_ms) {
  const int64_t limit = server_time_ms + std::max<int64_t>(max_skew_ms, 0);
  absl::MutexLock lock(&core_.write_mu());
  LocalStore& store = core_.store();
  sync::Clock& clock = core_.clock();
  std::vector<device::v1::PendingRecord> future;
  absl::Status scan = store.ForEachPending([&](const device::v1::PendingRecord& p) {
    bool ahead = p.delta().tombstone().wall_ms() > limit;
    for (const auto& c : p.delta().changes()) ahead |= c.stamp().wall_ms() > limit;
    if (ahead) future.push_back(p);
    return true;
  });
  if (!scan.ok()) return scan;
  if (future.empty() && clock.Last().wall_ms <= limit) return absl::OkStatus();
  // No stamp above `limit` ever left this device (the server would have
  // refused it), so the clock may forget them.
  clock.Rewind(sync::Stamp{limit, 0, core_.node()});
  LocalStore::Batch batch;
  for (device::v1::PendingRecord& p : future) {
    auto local = store.GetRecord(p.delta().collection(), p.delta().id());
    if (!local.ok()) return local.status();
    const sync::RecordState stored = *local;
    for (auto& c : *p.mutable_delta()->mutable_changes()) {
      if (c.stamp().wall_ms() <= limit) continue;
      sync::Stamp old_stamp = sync::FromProto(c.stamp());
      sync::Stamp fresh = clock.Now();
      sync::ToProto(fresh, c.mutable_stamp());
      auto f = local->fields.find(c.name());
      if (f != local->fields.end() && f->second.stamp == old_stamp) f->second.stamp = fresh;
    }
    if (p.delta().tombstone().wall_ms() > limit) {
      sync::Stamp old_stamp = sync::FromProto(p.delta().tombstone());
      sync::Stamp fresh = clock.Now();
      sync::ToProto(fresh, p.mutable_delta()->mutable_tombstone());
      if (local->tombstone == old_stamp) local->tombstone = fresh;
    }
    batch.PutPending(p);
    batch.PutRecord(stored, *local);
  }
  device::v1::DeviceState next = core_.state();
  sync::ToProto(clock.Last(), next.mutable_last_stamp());
  next.set_clock_unverified(false);
  return core_.CommitWithState(batch, next);
}

}  // namespace kawal::mobile
