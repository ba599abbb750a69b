#include "merge_history.h"

#include <memory>
#include <set>
#include <utility>

#include "kawal/sync/clock.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"

namespace kawal::testing {

sync::RecordDelta FieldWrite(const std::string& field, sync::Value value, sync::Stamp stamp,
                             sync::Stamp base) {
  sync::RecordDelta d;
  d.collection = "activity";
  d.id = "act-1";
  d.scope = "62.10.01.2001";
  d.changes.push_back(sync::FieldChange{field, std::move(value), stamp, base});
  return d;
}

sync::RecordDelta RecordDelete(sync::Stamp stamp, sync::Stamp seen) {
  sync::RecordDelta d;
  d.collection = "activity";
  d.id = "act-1";
  d.scope = "62.10.01.2001";
  d.tombstone = stamp;
  d.tombstone_base = seen;
  return d;
}
namespace {

using sync::Clock;
using sync::FieldChange;
using sync::RecordDelta;
using sync::RecordState;
using sync::Stamp;

// A writer with its own replica, clock and a slow, drifting physical time.
struct Writer {
  uint64_t node;
  int64_t time;
  std::unique_ptr<Clock> clock;
  RecordState replica;
};

}  // namespace

sync::Value RandomValue(std::mt19937_64& rng, const std::string& field) {
  std::uniform_int_distribution<int> small(0, 3);
  if (field == "name" || field == "status") return std::string(1, static_cast<char>('a' + small(rng)));
  if (field == "physical_progress_pct") return 25.0 * small(rng);
  if (field == "budget") return sync::AmountMap{{"DDS", 1000 * small(rng)}};
  if (small(rng) == 0) return sync::Null{};
  return sync::ScalarList{int64_t{1 + small(rng)}};
}

History MakeHistory(std::mt19937_64& rng, int writers, int steps) {
  std::vector<Writer> ws(writers);
  for (int i = 0; i < writers; ++i) {
    ws[i].node = 100 + i;
    ws[i].time = 1000 + static_cast<int64_t>(rng() % 5);
    Writer* w = &ws[i];
    w->clock = std::make_unique<Clock>(w->node, [w] { return w->time; });
  }
  History h;
  std::uniform_int_distribution<int> pick_writer(0, writers - 1);
  std::uniform_int_distribution<int> pick_action(0, 9);
  std::uniform_int_distribution<int> pick_field(0, 4);
  for (int step = 0; step < steps; ++step) {
    Writer& w = ws[pick_writer(rng)];
    w.time += static_cast<int64_t>(rng() % 3);  // clocks sometimes stand still
    int action = pick_action(rng);
    if (action == 0) {
      // Exchange: w takes in another writer's replica (a sync).
      Writer& other = ws[pick_writer(rng)];
      sync::MergeState(w.replica, other.replica);
      w.clock->Observe(w.replica.MaxStamp());
      continue;
    }
    RecordDelta d;
    d.collection = "activity";
    d.id = "act";
    d.scope = "62.10.01.2001";
    d.base_tombstone = w.replica.tombstone;
    if (action == 1) {
      d.tombstone = w.clock->Now();
      d.tombstone_base = w.replica.MaxStamp();
    } else {
      int n = 1 + static_cast<int>(rng() % 2);
      std::set<std::string> used;
      for (int k = 0; k < n; ++k) {
        std::string field = kMergeFields[pick_field(rng)];
        if (!used.insert(field).second) continue;
        auto it = w.replica.fields.find(field);
        Stamp base = it == w.replica.fields.end() ? Stamp{} : it->second.stamp;
        d.changes.push_back(FieldChange{field, RandomValue(rng, field), w.clock->Now(), base});
      }
    }
    sync::ApplyDelta(w.replica, d, 0);
    h.deltas.push_back(std::move(d));
  }
  return h;
}

std::string Canonical(RecordState s) {
  for (auto& [name, f] : s.fields) {
    f.changed_seq = 0;
  }
  s.tombstone_seq = s.created_seq = s.seq = 0;
  v1::Record proto;
  sync::ToProto(s, &proto);
  return proto.SerializeAsString() + (s.Visible() ? "+visible" : "+hidden");
}


}  // namespace kawal::testing
