// Merge benchmark (Google Benchmark): sync::ApplyDelta and sync::MergeState
// throughput, and the record codec, per record. items/s = records/s.
//
//   ninja -C build merge_bench && build/bench/merge_bench
//
// The records look like activities: strings, a double, an amount map and a
// list among their fields (field names need not be in the schema: the merge
// does not validate).
#include <cstdio>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"

namespace kawal::sync {
namespace {

constexpr uint64_t kNode = 0x9f2c000000000001ULL;
constexpr uint64_t kOtherNode = 0x9f2c000000000002ULL;

Value FieldValue(int i) {
  switch (i % 4) {
    case 0: return std::string("nilai field ") + std::to_string(i);
    case 1: return 12.5 * i;
    case 2: return AmountMap{{"DDS", 150000000 + i}, {"ADD", 25000000}};
    default: return ScalarList{int64_t{1}, int64_t{i}, std::string("x")};
  }
}

RecordDelta MakeDelta(int fields, int first_field, Stamp stamp, Stamp base, int record = 0) {
  RecordDelta d;
  d.collection = "activity";
  d.id = "act-" + std::to_string(record);
  d.scope = "62.10.01.2001";
  for (int i = first_field; i < first_field + fields; ++i) {
    char name[16];
    std::snprintf(name, sizeof(name), "field_%02d", i);
    d.changes.push_back(FieldChange{name, FieldValue(i), stamp, base});
  }
  return d;
}

RecordState MakeState(int fields, Stamp stamp, uint64_t seq) {
  RecordState s;
  ApplyDelta(s, MakeDelta(fields, 0, stamp, Stamp{}), seq);
  return s;
}

// (a) Creating a record: one 8-field delta into an empty state.
void BM_ApplyDelta_Create8(benchmark::State& state) {
  const RecordDelta d = MakeDelta(8, 0, Stamp{1764160000000, 0, kNode}, Stamp{});
  uint64_t seq = 0;
  for (auto _ : state) {
    RecordState s;
    MergeOutcome out = ApplyDelta(s, d, ++seq);
    benchmark::DoNotOptimize(out);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ApplyDelta_Create8);

// (b) A 1-field edit to an existing 15-field record; each edit is newer
// than the last, so every one wins and changes the state.
void BM_ApplyDelta_Edit1Of15(benchmark::State& state) {
  RecordState s = MakeState(15, Stamp{1764160000000, 0, kNode}, 1);
  RecordDelta d = MakeDelta(1, 7, Stamp{}, Stamp{});
  int64_t wall = 1764160000001;
  uint64_t seq = 1;
  for (auto _ : state) {
    d.changes[0].base = d.changes[0].stamp;
    d.changes[0].stamp = Stamp{++wall, 0, kNode};
    MergeOutcome out = ApplyDelta(s, d, ++seq);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ApplyDelta_Edit1Of15);

// (b') The same edit arriving again (a replay): nothing changes.
void BM_ApplyDelta_Replay1Of15(benchmark::State& state) {
  RecordState s = MakeState(15, Stamp{1764160000000, 0, kNode}, 1);
  const RecordDelta d = MakeDelta(1, 7, Stamp{1764160000000, 0, kNode}, Stamp{});
  for (auto _ : state) {
    MergeOutcome out = ApplyDelta(s, d, 2);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ApplyDelta_Replay1Of15);

// Baseline for (c): copying a 15-field state (included in the timing of
// BM_MergeState_15Diverged, which must merge into a fresh copy).
void BM_CopyState15(benchmark::State& state) {
  const RecordState a = MakeState(15, Stamp{1764160000000, 0, kNode}, 1);
  for (auto _ : state) {
    RecordState copy = a;
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CopyState15);

// (c) MergeState of two 15-field replicas that diverged: the other replica
// wins 8 of the 15 fields. Time includes copying the local replica.
void BM_MergeState_15Diverged(benchmark::State& state) {
  const RecordState a = MakeState(15, Stamp{1764160000000, 0, kNode}, 1);
  RecordState b = a;
  ApplyDelta(b, MakeDelta(8, 0, Stamp{1764160000500, 0, kOtherNode}, Stamp{}), 2);
  for (auto _ : state) {
    RecordState merged = a;
    MergeOutcome out = MergeState(merged, b);
    benchmark::DoNotOptimize(out);
    benchmark::DoNotOptimize(merged);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MergeState_15Diverged);

// (c') MergeState of two identical 15-field replicas (a re-pulled record).
void BM_MergeState_15Identical(benchmark::State& state) {
  RecordState a = MakeState(15, Stamp{1764160000000, 0, kNode}, 1);
  const RecordState b = a;
  for (auto _ : state) {
    MergeOutcome out = MergeState(a, b);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MergeState_15Identical);

// Codec: a 15-field record through ToProto, SerializeToString,
// ParseFromString and FromProto (one wire round trip per record).
void BM_Codec_RecordRoundTrip15(benchmark::State& state) {
  const RecordState s = MakeState(15, Stamp{1764160000000, 0, kNode}, 1);
  std::string wire;
  int64_t bytes = 0;
  for (auto _ : state) {
    v1::Record out;
    ToProto(s, &out);
    out.SerializeToString(&wire);
    v1::Record in;
    in.ParseFromString(wire);
    absl::StatusOr<RecordState> back = FromProto(in);
    benchmark::DoNotOptimize(back);
    bytes += static_cast<int64_t>(wire.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_Codec_RecordRoundTrip15);

// Codec: an 8-field create delta round trip (what a push carries).
void BM_Codec_DeltaRoundTrip8(benchmark::State& state) {
  const RecordDelta d = MakeDelta(8, 0, Stamp{1764160000000, 0, kNode}, Stamp{});
  std::string wire;
  int64_t bytes = 0;
  for (auto _ : state) {
    v1::RecordDelta out;
    ToProto(d, &out);
    out.SerializeToString(&wire);
    v1::RecordDelta in;
    in.ParseFromString(wire);
    absl::StatusOr<RecordDelta> back = FromProto(in);
    benchmark::DoNotOptimize(back);
    bytes += static_cast<int64_t>(wire.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_Codec_DeltaRoundTrip8);

}  // namespace
}  // namespace kawal::sync
