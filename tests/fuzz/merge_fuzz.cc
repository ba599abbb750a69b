// Fuzz target: the merge convergence invariant of sync/include/kawal/sync/merge.h.
//
// The input bytes are read as a sequence of small deltas over one record:
// field changes whose names, values, stamps and bases come from a tiny
// alphabet (so equal stamps, equal values and concurrent writes are common),
// and tombstones. The deltas are applied to fresh RecordStates in the given
// order, in reverse, and in a shuffled order with every delta twice; the
// canonical states (sequence numbers zeroed: Canonical in
// tests/support/merge_history.h) must be equal, and re-applying any
// delta must not change the state. abort() on a violation.
//
// With KAWAL_FUZZ_ENTRY defined this file also defines LLVMFuzzerTestOneInput.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "fuzz_checks.h"
#include "merge_history.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"

namespace kawal::fuzz {
namespace {

using sync::RecordDelta;
using sync::RecordState;
using sync::Stamp;
using sync::Value;

// Reads bytes; past the end it yields zeros.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  uint8_t Next() { return pos_ < size_ ? data_[pos_++] : 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

const char* const kFields[] = {"name", "status", "physical_progress_pct", "budget"};

// A stamp from a tiny alphabet; 0 yields the zero stamp ("nothing seen").
Stamp SmallStamp(uint8_t b) {
  if (b % 8 == 0) return Stamp{};
  return Stamp{1000 + (b >> 3) % 4, static_cast<uint32_t>((b >> 5) % 2), 100u + b % 3};
}

Value SmallValue(uint8_t b) {
  switch (b % 7) {
    case 0: return sync::Null{};
    case 1: return int64_t{(b >> 3) % 3};
    case 2: return 25.0 * ((b >> 3) % 3);
    case 3: return std::string(1, static_cast<char>('a' + (b >> 3) % 3));
    case 4: return (b >> 3) % 2 == 1;
    case 5: return sync::ScalarList{int64_t{(b >> 3) % 2}};
    default: return sync::AmountMap{{"DDS", 1000 * ((b >> 3) % 2)}};
  }
}

std::vector<RecordDelta> ParseDeltas(const uint8_t* data, size_t size) {
  Reader r(data, size);
  std::vector<RecordDelta> deltas;
  while (!r.done() && deltas.size() < 32) {
    RecordDelta d;
    d.collection = "activity";
    d.id = "act";
    d.scope = "62.10.01.2001";
    const uint8_t op = r.Next();
    d.base_tombstone = SmallStamp(r.Next());
    if (op % 4 == 0) {
      d.tombstone = SmallStamp(r.Next() | 1);  // never zero
      d.tombstone_base = SmallStamp(r.Next());
    }
    const int n = (op >> 2) % 3 + (op % 4 == 0 ? 0 : 1);  // a delete may carry edits too
    bool used[4] = {false, false, false, false};
    for (int k = 0; k < n; ++k) {
      const uint8_t f = r.Next() % 4;
      const uint8_t v = r.Next();
      const uint8_t s = r.Next();
      const uint8_t b = r.Next();
      if (used[f]) continue;  // names are unique within a delta
      used[f] = true;
      d.changes.push_back(sync::FieldChange{kFields[f], SmallValue(v), SmallStamp(s | 1), SmallStamp(b)});
    }
    deltas.push_back(std::move(d));
  }
  return deltas;
}

using testing::Canonical;

RecordState ApplyAll(const std::vector<const RecordDelta*>& order) {
  RecordState s;
  uint64_t seq = 0;
  for (const RecordDelta* d : order) sync::ApplyDelta(s, *d, ++seq);
  return s;
}

[[noreturn]] void Fail(const char* what, size_t index) {
  std::fprintf(stderr, "merge_fuzz: %s (order/delta %zu)\n", what, index);
  std::abort();
}

}  // namespace

int CheckMergeInput(const uint8_t* data, size_t size) {
  const std::vector<RecordDelta> deltas = ParseDeltas(data, size);
  std::vector<const RecordDelta*> given;
  for (const auto& d : deltas) given.push_back(&d);

  std::vector<std::vector<const RecordDelta*>> orders;
  orders.push_back(given);
  orders.emplace_back(given.rbegin(), given.rend());
  std::vector<const RecordDelta*> doubled = given;
  doubled.insert(doubled.end(), given.begin(), given.end());
  std::mt19937_64 rng(size * 0x9e3779b97f4a7c15ULL + (size > 0 ? data[size - 1] : 0));
  std::shuffle(doubled.begin(), doubled.end(), rng);
  orders.push_back(doubled);

  RecordState reference = ApplyAll(orders[0]);
  const std::string canonical = Canonical(reference);
  for (size_t i = 1; i < orders.size(); ++i) {
    if (Canonical(ApplyAll(orders[i])) != canonical) Fail("order changed the merged state", i);
  }
  // Idempotence: every delta is already part of the state.
  uint64_t seq = 1000;
  for (size_t i = 0; i < deltas.size(); ++i) {
    sync::ApplyDelta(reference, deltas[i], ++seq);
    if (Canonical(reference) != canonical) Fail("re-applying a delta changed the state", i);
  }
  return 0;
}

}  // namespace kawal::fuzz

#ifdef KAWAL_FUZZ_ENTRY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kawal::fuzz::CheckMergeInput(data, size);
}
#endif
