// Property tests for server/engine/conflict_detector.cc: over random write
// histories (tests/support/merge_history.h), replays add no conflict, seen
// writes never conflict and concurrent ones always do, with one id.
// A failure prints its seed.
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "engine/conflict_detector.h"
#include "merge_history.h"

namespace kawal::server {
namespace {

using sync::RecordDelta;
using sync::Stamp;
using sync::StampToString;
using testing::Canonical;
using testing::History;
using testing::kMergeFields;
using testing::MakeHistory;
using testing::RandomValue;

constexpr int kCases = 10000;

// Replaying any delta already applied never changes the state and never
// produces a conflict id that was not already recorded.
TEST(ConflictPropertyTest, ReplayNeverChangesStateNorAddsConflicts) {
  for (int c = 0; c < kCases / 2; ++c) {
    const uint64_t seed = 0x4e9a0000 + c;
    std::mt19937_64 rng(seed);
    History h = MakeHistory(rng, 3, 10);
    StoredRecord s;
    std::set<std::string> conflict_ids;
    uint64_t seq = 0;
    for (const auto& d : h.deltas) {
      for (const Conflict& k : MergeIntoStored(s, d, ++seq).conflicts) conflict_ids.insert(k.ConflictId());
    }
    const std::string before = Canonical(s.state);
    const uint64_t seq_before = s.state.seq;
    for (int r = 0; r < 5 && !h.deltas.empty(); ++r) {
      const RecordDelta& d = h.deltas[rng() % h.deltas.size()];
      StoredMerge o = MergeIntoStored(s, d, ++seq);
      ASSERT_FALSE(o.outcome.changed()) << "seed " << seed;
      for (const Conflict& k : o.conflicts) {
        ASSERT_TRUE(conflict_ids.count(k.ConflictId()))
            << "seed " << seed << " field " << k.field << " winner " << StampToString(k.winner)
            << " loser " << StampToString(k.loser) << " delta tomb "
            << StampToString(d.tombstone) << " changes " << d.changes.size();
      }
    }
    ASSERT_EQ(Canonical(s.state), before) << "seed " << seed;
    ASSERT_EQ(s.state.seq, seq_before) << "seed " << seed;
  }
}

// A write whose base is the stamp it overwrites never conflicts; two
// writes to one field from the same base always do, in either order, with
// one and the same conflict id.
TEST(ConflictPropertyTest, SeenWritesNeverConflictConcurrentWritesAlwaysDo) {
  std::mt19937_64 rng(0xc0f1);
  for (int c = 0; c < kCases; ++c) {
    StoredRecord s;
    std::string field = kMergeFields[rng() % 5];
    int64_t t = 1000 + static_cast<int64_t>(rng() % 100);
    Stamp first{t, 0, 1};
    RecordDelta d0{"activity", "act", "62.10.01.2001", {{field, RandomValue(rng, field), first, {}}}};
    MergeIntoStored(s, d0, 1);
    // A causal chain of overwrites: none conflicts.
    Stamp prev = first;
    for (int k = 0; k < 3; ++k) {
      Stamp next{prev.wall_ms + static_cast<int64_t>(rng() % 3), prev.counter + 1,
                 1 + rng() % 3};
      RecordDelta d{"activity", "act", "62.10.01.2001", {{field, RandomValue(rng, field), next, prev}}};
      ASSERT_TRUE(MergeIntoStored(s, d, 2 + k).conflicts.empty()) << "case " << c;
      prev = next;
    }
    // Two writers overwrite `prev` concurrently.
    Stamp x{prev.wall_ms + 1 + static_cast<int64_t>(rng() % 5), 0, 10};
    Stamp y{prev.wall_ms + 1 + static_cast<int64_t>(rng() % 5), 0, 11};
    RecordDelta dx{"activity", "act", "62.10.01.2001", {{field, std::string("x"), x, prev}}};
    RecordDelta dy{"activity", "act", "62.10.01.2001", {{field, std::string("y"), y, prev}}};
    StoredRecord s2 = s;
    auto a1 = MergeIntoStored(s, dx, 10);
    auto a2 = MergeIntoStored(s, dy, 11);
    auto b1 = MergeIntoStored(s2, dy, 10);
    auto b2 = MergeIntoStored(s2, dx, 11);
    ASSERT_TRUE(a1.conflicts.empty() && b1.conflicts.empty()) << "case " << c;
    ASSERT_EQ(a2.conflicts.size(), 1u) << "case " << c;
    ASSERT_EQ(b2.conflicts.size(), 1u) << "case " << c;
    ASSERT_EQ(a2.conflicts[0].ConflictId(), b2.conflicts[0].ConflictId()) << "case " << c;
    ASSERT_EQ(Canonical(s.state), Canonical(s2.state)) << "case " << c;
  }
}

}  // namespace
}  // namespace kawal::server
