// Property tests for sync/src/merge.cc: the convergence invariant stated in
// merge.h (commutative, associative, idempotent) and the conflict rules.
//
// Each case simulates writers that edit, delete and sometimes exchange
// state (so some writes see others and some are concurrent), then applies
// the resulting deltas to replicas in random orders with duplicates.
// 10,000+ cases run in the default test run; a failure prints its seed.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "kawal/sync/clock.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"

namespace kawal::sync {
namespace {

constexpr int kCases = 10000;
const char* const kFields[] = {"name", "status", "physical_progress_pct", "budget", "sdg_goals"};

Value RandomValue(std::mt19937_64& rng, const std::string& field) {
  std::uniform_int_distribution<int> small(0, 3);
  if (field == "name" || field == "status") return std::string(1, static_cast<char>('a' + small(rng)));
  if (field == "physical_progress_pct") return 25.0 * small(rng);
  if (field == "budget") return AmountMap{{"DDS", 1000 * small(rng)}};
  if (small(rng) == 0) return Null{};
  return ScalarList{int64_t{1 + small(rng)}};
}

// A writer with its own replica, clock and a slow, drifting physical time.
struct Writer {
  uint64_t node;
  int64_t time;
  std::unique_ptr<Clock> clock;
  RecordState replica;
};

struct History {
  std::vector<RecordDelta> deltas;  // in the order they were made
};

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
      MergeState(w.replica, other.replica);
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
        std::string field = kFields[pick_field(rng)];
        if (!used.insert(field).second) continue;
        auto it = w.replica.fields.find(field);
        Stamp base = it == w.replica.fields.end() ? Stamp{} : it->second.stamp;
        d.changes.push_back(FieldChange{field, RandomValue(rng, field), w.clock->Now(), base});
      }
    }
    ApplyDelta(w.replica, d, 0);
    h.deltas.push_back(std::move(d));
  }
  return h;
}

// The merged state without server bookkeeping (sequence numbers differ
// between replicas that applied deltas in different orders).
std::string Canonical(RecordState s) {
  for (auto& [name, f] : s.fields) {
    f.changed_seq = 0;
    f.displaced_base = Stamp{};
  }
  s.tombstone_seq = s.created_seq = s.seq = 0;
  s.echo_node = 0;
  v1::Record proto;
  ToProto(s, &proto);
  return proto.SerializeAsString() + (s.Visible() ? "+visible" : "+hidden");
}

TEST(MergePropertyTest, AnyOrderAnyDuplicatesSameState) {
  for (int c = 0; c < kCases; ++c) {
    const uint64_t seed = 0x5eed0000 + c;
    std::mt19937_64 rng(seed);
    History h = MakeHistory(rng, 2 + static_cast<int>(rng() % 3), 4 + static_cast<int>(rng() % 12));
    std::string reference;
    for (int replica = 0; replica < 3; ++replica) {
      std::vector<const RecordDelta*> order;
      for (const auto& d : h.deltas) {
        order.push_back(&d);
        if (rng() % 4 == 0) order.push_back(&d);  // duplicates
      }
      std::shuffle(order.begin(), order.end(), rng);
      RecordState s;
      uint64_t seq = 0;
      for (const RecordDelta* d : order) ApplyDelta(s, *d, ++seq);
      std::string canonical = Canonical(s);
      if (replica == 0) {
        reference = canonical;
      } else {
        ASSERT_EQ(canonical, reference) << "seed " << seed << " replica " << replica;
      }
    }
  }
}

// Associativity of the state merge: grouping deltas into partial replicas
// and merging those, in any order, equals applying them all to one.
TEST(MergePropertyTest, StateMergeIsAssociativeAndCommutative) {
  for (int c = 0; c < kCases / 4; ++c) {
    const uint64_t seed = 0xa55c0000 + c;
    std::mt19937_64 rng(seed);
    History h = MakeHistory(rng, 3, 12);
    RecordState all;
    for (const auto& d : h.deltas) ApplyDelta(all, d, 0);
    std::vector<RecordState> parts(3);
    for (const auto& d : h.deltas) ApplyDelta(parts[rng() % 3], d, 0);
    std::vector<int> order = {0, 1, 2};
    std::shuffle(order.begin(), order.end(), rng);
    RecordState left;  // (p0 ∪ p1) ∪ p2
    MergeState(left, parts[order[0]]);
    MergeState(left, parts[order[1]]);
    MergeState(left, parts[order[2]]);
    RecordState inner;  // p0 ∪ (p1 ∪ p2)
    MergeState(inner, parts[order[1]]);
    MergeState(inner, parts[order[2]]);
    RecordState right = parts[order[0]];
    MergeState(right, inner);
    MergeState(right, right);  // idempotent
    ASSERT_EQ(Canonical(left), Canonical(all)) << "seed " << seed;
    ASSERT_EQ(Canonical(right), Canonical(all)) << "seed " << seed;
  }
}

// Replaying any delta already applied never changes the state and never
// produces a conflict id that was not already recorded.
TEST(MergePropertyTest, ReplayNeverChangesStateNorAddsConflicts) {
  for (int c = 0; c < kCases / 2; ++c) {
    const uint64_t seed = 0x4e9a0000 + c;
    std::mt19937_64 rng(seed);
    History h = MakeHistory(rng, 3, 10);
    RecordState s;
    std::set<std::string> conflict_ids;
    uint64_t seq = 0;
    for (const auto& d : h.deltas) {
      for (const Conflict& k : ApplyDelta(s, d, ++seq).conflicts) conflict_ids.insert(k.ConflictId());
    }
    const std::string before = Canonical(s);
    const uint64_t seq_before = s.seq;
    for (int r = 0; r < 5 && !h.deltas.empty(); ++r) {
      const RecordDelta& d = h.deltas[rng() % h.deltas.size()];
      MergeOutcome o = ApplyDelta(s, d, ++seq);
      ASSERT_FALSE(o.changed()) << "seed " << seed;
      for (const Conflict& k : o.conflicts) {
        ASSERT_TRUE(conflict_ids.count(k.ConflictId()))
            << "seed " << seed << " field " << k.field << " winner " << StampToString(k.winner)
            << " loser " << StampToString(k.loser) << " delta tomb "
            << StampToString(d.tombstone) << " changes " << d.changes.size();
      }
    }
    ASSERT_EQ(Canonical(s), before) << "seed " << seed;
    ASSERT_EQ(s.seq, seq_before) << "seed " << seed;
  }
}

// A write whose base is the stamp it overwrites never conflicts; two
// writes to one field from the same base always do, in either order, with
// one and the same conflict id.
TEST(MergePropertyTest, SeenWritesNeverConflictConcurrentWritesAlwaysDo) {
  std::mt19937_64 rng(0xc0f1);
  for (int c = 0; c < kCases; ++c) {
    RecordState s;
    std::string field = kFields[rng() % 5];
    int64_t t = 1000 + static_cast<int64_t>(rng() % 100);
    Stamp first{t, 0, 1};
    RecordDelta d0{"activity", "act", "62.10.01.2001", {{field, RandomValue(rng, field), first, {}}}};
    ApplyDelta(s, d0, 1);
    // A causal chain of overwrites: none conflicts.
    Stamp prev = first;
    for (int k = 0; k < 3; ++k) {
      Stamp next{prev.wall_ms + static_cast<int64_t>(rng() % 3), prev.counter + 1,
                 1 + rng() % 3};
      RecordDelta d{"activity", "act", "62.10.01.2001", {{field, RandomValue(rng, field), next, prev}}};
      ASSERT_TRUE(ApplyDelta(s, d, 2 + k).conflicts.empty()) << "case " << c;
      prev = next;
    }
    // Two writers overwrite `prev` concurrently.
    Stamp x{prev.wall_ms + 1 + static_cast<int64_t>(rng() % 5), 0, 10};
    Stamp y{prev.wall_ms + 1 + static_cast<int64_t>(rng() % 5), 0, 11};
    RecordDelta dx{"activity", "act", "62.10.01.2001", {{field, std::string("x"), x, prev}}};
    RecordDelta dy{"activity", "act", "62.10.01.2001", {{field, std::string("y"), y, prev}}};
    RecordState s2 = s;
    auto a1 = ApplyDelta(s, dx, 10);
    auto a2 = ApplyDelta(s, dy, 11);
    auto b1 = ApplyDelta(s2, dy, 10);
    auto b2 = ApplyDelta(s2, dx, 11);
    ASSERT_TRUE(a1.conflicts.empty() && b1.conflicts.empty()) << "case " << c;
    ASSERT_EQ(a2.conflicts.size(), 1u) << "case " << c;
    ASSERT_EQ(b2.conflicts.size(), 1u) << "case " << c;
    ASSERT_EQ(a2.conflicts[0].ConflictId(), b2.conflicts[0].ConflictId()) << "case " << c;
    ASSERT_EQ(Canonical(s), Canonical(s2)) << "case " << c;
  }
}

}  // namespace
}  // namespace kawal::sync
