// Property tests for sync/src/merge.cc: the convergence invariant stated in
// merge.h (commutative, associative, idempotent). The conflict rules have
// theirs in tests/server/conflict_property_test.cc.
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

#include "absl/strings/str_cat.h"

#include "kawal/sync/clock.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/schema.h"
#include "merge_history.h"

namespace kawal::sync {
namespace {

constexpr int kCases = 10000;
using testing::Canonical;
using testing::History;
using testing::kMergeFields;
using testing::MakeHistory;
using testing::RandomValue;

// Applies `h` to three replicas, each in its own random order with
// duplicates; all must end in the same state.
void ExpectSameStateInAnyOrder(const History& h, std::mt19937_64& rng, const std::string& label) {
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
      ASSERT_EQ(canonical, reference) << label << " replica " << replica;
    }
  }
}

TEST(MergePropertyTest, AnyOrderAnyDuplicatesSameState) {
  for (int c = 0; c < kCases; ++c) {
    const uint64_t seed = 0x5eed0000 + c;
    std::mt19937_64 rng(seed);
    History h = MakeHistory(rng, 2 + static_cast<int>(rng() % 3), 4 + static_cast<int>(rng() % 12));
    ExpectSameStateInAnyOrder(h, rng, absl::StrCat("seed ", seed));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Every collection of the schema (follow-ups, conflicts' settlements,
// photos...) converges the same way, whatever its fields' types.
TEST(MergePropertyTest, EveryCollectionConvergesInAnyOrder) {
  for (const CollectionSpec& spec : Schema::Default().collections()) {
    for (int c = 0; c < kCases / 10; ++c) {
      const uint64_t seed = 0xc011000 + c;
      std::mt19937_64 rng(seed);
      History h = testing::MakeHistoryOf(rng, 2 + static_cast<int>(rng() % 3),
                                         4 + static_cast<int>(rng() % 12), spec);
      ExpectSameStateInAnyOrder(h, rng, absl::StrCat(spec.name, " seed ", seed));
      if (::testing::Test::HasFatalFailure()) return;
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

// Replaying any delta already applied never changes the state.
TEST(MergePropertyTest, ReplayNeverChangesState) {
  for (int c = 0; c < kCases / 2; ++c) {
    const uint64_t seed = 0x4e9a0000 + c;
    std::mt19937_64 rng(seed);
    History h = MakeHistory(rng, 3, 10);
    RecordState s;
    uint64_t seq = 0;
    for (const auto& d : h.deltas) ApplyDelta(s, d, ++seq);
    const std::string before = Canonical(s);
    const uint64_t seq_before = s.seq;
    for (int r = 0; r < 5 && !h.deltas.empty(); ++r) {
      const RecordDelta& d = h.deltas[rng() % h.deltas.size()];
      ASSERT_FALSE(ApplyDelta(s, d, ++seq).changed()) << "seed " << seed;
    }
    ASSERT_EQ(Canonical(s), before) << "seed " << seed;
    ASSERT_EQ(s.seq, seq_before) << "seed " << seed;
  }
}

}  // namespace
}  // namespace kawal::sync
