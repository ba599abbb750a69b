#include "merge_history.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "kawal/sync/clock.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/schema.h"

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

namespace {

// A random value valid for `spec` (or null): few distinct values, so
// concurrent writes often collide.
sync::Value RandomValueFor(std::mt19937_64& rng, const sync::FieldSpec& spec) {
  std::uniform_int_distribution<int> small(0, 3);
  if (small(rng) == 0) return sync::Null{};
  const int k = small(rng);
  switch (spec.type) {
    case sync::FieldType::kString:
      if (!spec.allowed.empty()) return spec.allowed[k % spec.allowed.size()];
      if (spec.format == "date") return std::string("2026-0") + static_cast<char>('1' + k) + "-15";
      if (spec.format == "record_id") return std::string("r") + static_cast<char>('0' + k);
      if (spec.format == "region_code") return std::string("62.10.0") + static_cast<char>('1' + k);
      return std::string(1, static_cast<char>('a' + k));
    case sync::FieldType::kInt:
      return std::max<int64_t>(spec.int_min, std::min<int64_t>(spec.int_max, k));
    case sync::FieldType::kDouble:
      return std::max(spec.double_min, std::min(spec.double_max, 25.0 * k));
    case sync::FieldType::kBool:
      return k % 2 == 0;
    case sync::FieldType::kAmounts:
      return sync::AmountMap{{"DDS", 1000 * k}};
    case sync::FieldType::kIntList:
      return sync::ScalarList{int64_t{1 + k}};
    case sync::FieldType::kStringList:
      return sync::ScalarList{spec.allowed.empty() ? std::string("r") + static_cast<char>('0' + k)
                                                   : spec.allowed[k % spec.allowed.size()]};
  }
  return sync::Null{};
}

// Writers edit `fields` of one record of `collection`, delete it and
// sometimes exchange state.
History MakeHistoryWith(std::mt19937_64& rng, int writers, int steps,
                        const std::string& collection, const std::vector<std::string>& fields,
                        const std::function<sync::Value(const std::string&)>& value_of) {

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
  std::uniform_int_distribution<size_t> pick_field(0, fields.size() - 1);
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
    d.collection = collection;
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
        std::string field = fields[pick_field(rng)];
        if (!used.insert(field).second) continue;
        auto it = w.replica.fields.find(field);
        Stamp base = it == w.replica.fields.end() ? Stamp{} : it->second.stamp;
        d.changes.push_back(FieldChange{field, value_of(field), w.clock->Now(), base});
      }
    }
    sync::ApplyDelta(w.replica, d, 0);
    h.deltas.push_back(std::move(d));
  }
  return h;
}


}  // namespace

History MakeHistory(std::mt19937_64& rng, int writers, int steps) {
  const std::vector<std::string> fields(std::begin(kMergeFields), std::end(kMergeFields));
  return MakeHistoryWith(rng, writers, steps, "activity", fields,
                         [&](const std::string& field) { return RandomValue(rng, field); });
}

History MakeHistoryOf(std::mt19937_64& rng, int writers, int steps,
                      const sync::CollectionSpec& spec) {
  std::vector<std::string> fields;
  std::map<std::string, const sync::FieldSpec*> by_name;
  for (const sync::FieldSpec& f : spec.fields) {
    fields.push_back(f.name);
    by_name[f.name] = &f;
  }
  return MakeHistoryWith(rng, writers, steps, spec.name, fields, [&](const std::string& field) {
    return RandomValueFor(rng, *by_name.at(field));
  });
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
