#include "engine/push_applier.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "engine/conflict_detector.h"
#include "kawal/common/rocks_status.h"
#include "kawal/sync/conflict_record.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/reject.h"
#include "store/storage_keys.h"
#include "store/stored_record.h"

namespace kawal::server {
namespace {

// The delta that lists `lost` (fields one write lost, sharing `id`) in its
// conflict record `stored` (empty when new): the record of a losing write
// grows as pushes reveal more of its fields. No changes when every field
// is already listed (a replay).
sync::RecordDelta ConflictDelta(const std::string& id, const std::vector<Conflict>& lost,
                                const sync::RecordState& stored, const sync::Stamp& stamp,
                                int64_t now_ms) {
  // A stored record whose lists do not read is rewritten whole from what
  // is known now, as a new one.
  absl::StatusOr<std::vector<sync::ConflictField>> read =
      stored.IsEmpty() ? std::vector<sync::ConflictField>{} : sync::ConflictFieldsOf(stored);
  const bool is_new = stored.IsEmpty() || !read.ok();
  std::vector<sync::ConflictField> listed;
  if (read.ok()) listed = *std::move(read);
  const Conflict* newest_winner = nullptr;
  for (const Conflict& c : lost) {
    const bool known = std::any_of(listed.begin(), listed.end(),
                                   [&](const sync::ConflictField& f) { return f.name == c.field; });
    if (known) continue;
    listed.push_back(sync::ConflictField{c.field, sync::ValueToJson(c.winner_value),
                                         sync::ValueToJson(c.loser_value)});
    if (newest_winner == nullptr || newest_winner->winner < c.winner) newest_winner = &c;
  }
  sync::RecordDelta d;
  d.collection = sync::kConflict;
  d.id = id;
  d.scope = lost.front().scope;
  if (newest_winner == nullptr) return d;
  auto by_name = [](const sync::ConflictField& a, const sync::ConflictField& b) {
    return a.name < b.name;
  };
  std::sort(listed.begin(), listed.end(), by_name);
  auto add = [&](std::string name, sync::Value value) {
    d.changes.push_back(sync::FieldChange{std::move(name), std::move(value), stamp, {}});
  };
  for (auto& [name, value] : sync::ConflictFieldValues(listed)) add(name, std::move(value));
  // The write that beat it most recently found.
  add("winner_node", sync::NodeToHex(newest_winner->winner.node));
  add("winner_stamp", sync::StampToString(newest_winner->winner));
  if (is_new) {
    const Conflict& c = *newest_winner;
    add("detected_at_ms", int64_t{now_ms});
    add("loser_node", sync::NodeToHex(c.loser.node));
    add("loser_stamp", sync::StampToString(c.loser));
    add("record_collection", c.collection);
    add("record_id", c.id);
  }
  return d;
}

}  // namespace

PushApplier::PushApplier(Database* database, Sequencer* sequencer, sync::Clock* server_clock,
                         const sync::Schema* schema)
    : database_(database), sequencer_(sequencer), server_clock_(server_clock), schema_(schema) {}

size_t PushApplier::StripeOf(const std::string& key) const {
  return std::hash<std::string>{}(key) % kStripes;
}

absl::StatusOr<StoredRecord> PushApplier::LoadStored(const std::string& collection,
                                                     const std::string& id) const {
  std::string value;
  rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), RecordKey(collection, id), &value);
  if (s.IsNotFound()) return StoredRecord{};
  if (!s.ok()) return common::FromRocks(s, "reading record");
  return DecodeStoredRecord(value, absl::StrCat(collection, "/", id));
}

absl::StatusOr<std::string> PushApplier::ConflictSubjectKey(const sync::RecordDelta& d) const {
  // A delta that names its record (restore recovery brings a conflict
  // record back whole) needs no read.
  std::string collection, id;
  for (const sync::FieldChange& c : d.changes) {
    const auto* text = std::get_if<std::string>(&c.value);
    if (text == nullptr) continue;
    if (c.name == "record_collection") collection = *text;
    if (c.name == "record_id") id = *text;
  }
  if (collection.empty() || id.empty()) {
    // Read without a lock: only the server writes these two fields, once.
    absl::StatusOr<StoredRecord> stored = LoadStored(d.collection, d.id);
    if (!stored.ok()) return stored.status();
    if (collection.empty()) collection = stored->state.GetString("record_collection");
    if (id.empty()) id = stored->state.GetString("record_id");
  }
  return RecordKey(collection, id);
}

absl::StatusOr<sync::RecordState> PushApplier::Get(const std::string& collection,
                                                   const std::string& id) const {
  absl::StatusOr<StoredRecord> stored = LoadStored(collection, id);
  if (!stored.ok()) return stored.status();
  return std::move(stored->state);
}

absl::StatusOr<std::vector<DeltaOutcome>> PushApplier::Apply(
    const std::vector<sync::RecordDelta>& deltas, sync::Writer writer, uint64_t device_node) {
  return Apply(deltas, std::vector<sync::Writer>(deltas.size(), writer), device_node);
}

absl::StatusOr<std::vector<DeltaOutcome>> PushApplier::Apply(
    const std::vector<sync::RecordDelta>& deltas, const std::vector<sync::Writer>& writers,
    uint64_t device_node) {
  std::vector<DeltaOutcome> outcomes(deltas.size());
  if (deltas.empty()) return outcomes;
  std::shared_lock<std::shared_mutex> not_paused(pause_);

  // A conflict record's id derives from the record it is about, and a push
  // about that record may grow it: every writer of a conflict record (a
  // settlement too) holds the stripe of the record it is about.
  std::set<size_t> stripe_set;
  for (const auto& d : deltas) {
    stripe_set.insert(StripeOf(RecordKey(d.collection, d.id)));
    if (d.collection != sync::kConflict) continue;
    absl::StatusOr<std::string> about = ConflictSubjectKey(d);
    if (!about.ok()) return about.status();
    stripe_set.insert(StripeOf(*about));
  }
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(stripe_set.size());
  for (size_t stripe : stripe_set) locks.emplace_back(stripes_[stripe]);

  // Finishes every allocation on return, after the batch is written.
  SequenceGuard sequences(sequencer_);
  absl::StatusOr<uint64_t> first = sequences.Allocate(deltas.size());
  if (!first.ok()) return first.status();

  rocksdb::WriteBatch batch;
  // States written in this batch, so a later delta (or conflict) of the same
  // batch builds on them.
  std::map<std::string, StoredRecord> written;
  std::vector<Conflict> conflicts;
  const int64_t now_ms = server_clock_->CorrectedTimeMs();
  std::vector<std::unique_ptr<PushObserver>> observers;
  for (ChangeObserver* observer : observers_) observers.push_back(observer->StartPush());

  auto load = [&](const std::string& collection,
                  const std::string& id) -> absl::StatusOr<StoredRecord> {
    auto it = written.find(RecordKey(collection, id));
    if (it != written.end()) return it->second;
    return LoadStored(collection, id);
  };

  auto store = [&](const sync::RecordState& before, const StoredRecord& stored) -> absl::Status {
    const sync::RecordState& after = stored.state;
    const std::string key = RecordKey(after.collection, after.id);
    batch.Put(key, EncodeStoredRecord(stored));
    if (before.seq != 0) batch.Delete(IndexKey(before.scope, before.seq));
    batch.Put(IndexKey(after.scope, after.seq), IndexValue(after.collection, after.id));
    for (const auto& observer : observers) {
      if (absl::Status s = observer->OnChange(before, after, batch); !s.ok()) return s;
    }
    written[key] = stored;
    return absl::OkStatus();
  };

  for (size_t i = 0; i < deltas.size(); ++i) {
    const sync::RecordDelta& delta = deltas[i];
    const uint64_t seq = *first + i;
    absl::StatusOr<StoredRecord> stored = load(delta.collection, delta.id);
    if (!stored.ok()) {
      return stored.status();
    }
    const sync::RecordState& before = stored->state;
    if (absl::Status s = sync::ValidateAgainstStored(*schema_, before, delta, writers[i]);
        !s.ok()) {
      outcomes[i].status = s;
      continue;
    }
    StoredRecord merged = *stored;
    StoredMerge merge = MergeIntoStored(merged, delta, seq);
    if (absl::Status s = sync::ValidateMerged(*schema_, merged.state); !s.ok()) {
      outcomes[i].status = s;
      continue;
    }
    // The writer holds exactly the stored version when it had the latest
    // version and every part of its delta won.
    const bool had_latest = delta.known_seq == before.seq;
    const bool in_sync = had_latest && merge.outcome.all_incoming_won && device_node != 0;
    if (merge.outcome.changed()) {
      merged.echo_node = in_sync ? device_node : 0;
      if (absl::Status s = store(before, merged); !s.ok()) {
        return s;
      }
    }
    outcomes[i].seq = merged.state.seq;
    outcomes[i].in_sync = in_sync;
    for (Conflict& c : merge.conflicts) conflicts.push_back(std::move(c));
  }

  // Conflict records, one per losing write: the fields this push found it
  // lost go into its record, new or stored. They are written in the order
  // they were found, like their records' changes: neighbours in a pull
  // page then look alike, which gzip rewards.
  std::map<std::string, std::vector<Conflict>> lost_by_write;
  std::vector<std::string> found_order;
  for (Conflict& c : conflicts) {
    std::string id = c.ConflictId();
    std::vector<Conflict>& lost = lost_by_write[id];
    if (lost.empty()) found_order.push_back(std::move(id));
    lost.push_back(std::move(c));
  }
  std::vector<std::pair<StoredRecord, sync::RecordDelta>> conflict_writes;
  // The server's conflict writes of one push are one event: one stamp, so
  // a pull page's stamp table holds it once.
  const sync::Stamp conflict_stamp = found_order.empty() ? sync::Stamp{} : server_clock_->Now();
  for (const std::string& id : found_order) {
    const std::vector<Conflict>& lost = lost_by_write[id];
    absl::StatusOr<StoredRecord> existing = load(sync::kConflict, id);
    if (!existing.ok()) {
      return existing.status();
    }
    sync::RecordDelta delta =
        ConflictDelta(id, lost, existing->state, conflict_stamp, now_ms);
    if (delta.changes.empty()) continue;
    conflict_writes.emplace_back(*std::move(existing), std::move(delta));
  }
  if (!conflict_writes.empty()) {
    absl::StatusOr<uint64_t> conflict_first = sequences.Allocate(conflict_writes.size());
    if (!conflict_first.ok()) {
      return conflict_first.status();
    }
    for (size_t k = 0; k < conflict_writes.size(); ++k) {
      auto& [conflict_record, delta] = conflict_writes[k];
      const sync::RecordState before = conflict_record.state;
      sync::ApplyDelta(conflict_record.state, delta, *conflict_first + k);
      conflict_record.echo_node = 0;
      if (absl::Status s = store(before, conflict_record); !s.ok()) {
        return s;
      }
    }
  }

  for (const auto& observer : observers) {
    if (absl::Status s = observer->Finish(batch); !s.ok()) {
      return s;
    }
  }
  absl::Status written_ok =
      batch.Count() == 0 ? absl::OkStatus()
                         : common::FromRocks(database_->db()->Write(database_->durable(), &batch),
                                     "writing push batch");
  if (!written_ok.ok()) return written_ok;
  return outcomes;
}

}  // namespace kawal::server
