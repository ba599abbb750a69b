// Incremental aggregates (docs/architecture.md §5): kept in the same WriteBatch as
// every record change (AggregateObserver), read by reports (ReadRows), and
// checked or rebuilt from the records (Verify, Rebuild).
//
// Thread-safety: the observer runs inside PushApplier::Apply; Verify reads
// one snapshot (records and aggregates are written atomically together, so
// any snapshot is consistent); Rebuild must run with pushes paused.
#ifndef KAWAL_SERVER_AGGREGATES_AGGREGATES_H_
#define KAWAL_SERVER_AGGREGATES_AGGREGATES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "aggregates/contribution.h"
#include "store/database.h"
#include "engine/push_applier.h"

namespace kawal::server {

// Folds a push's aggregate deltas per row and writes one merge operand per
// row it changed: a push of 500 activities in a few desa touches far fewer
// rows than 500 × 20 operands, and every operand costs a memtable insert
// and a fold by the merge operator (bench/RESULTS.md, "Where the time goes").
class AggregateObserver final : public ChangeObserver {
 public:
  std::unique_ptr<PushObserver> StartPush() override;
};

// One stored aggregate row.
struct AggregateRow {
  std::string region;
  std::string key;  // breakdown key; "" for totals
  CounterMap counters;
};

// Rows of (year, level, dim) whose region starts with `region_prefix`.
absl::StatusOr<std::vector<AggregateRow>> ReadRows(const Database& database, int year, int level,
                                                   const std::string& dim,
                                                   const std::string& region_prefix);

struct VerifyReport {
  uint64_t records_scanned = 0;
  uint64_t rows_expected = 0;
  uint64_t rows_stored = 0;
  uint64_t rows_different = 0;
  std::vector<std::string> differences;  // the first few, human-readable
};

// Recomputes every aggregate from the records and compares.
absl::StatusOr<VerifyReport> VerifyAggregates(const Database& database);

// Replaces every aggregate row with a recomputation; returns rows written.
absl::StatusOr<uint64_t> RebuildAggregates(Database& database);

// What the rows count; raised when a counter is added, so that rows written
// before are recomputed once (2: conflicts open and settled; 3: follow-ups).
inline constexpr int kAggregatesVersion = 3;

// At start-up, before serving: rebuilds the rows when meta
// aggregates_version is older than kAggregatesVersion (or absent), then
// records the version. Returns whether it rebuilt.
absl::StatusOr<bool> UpgradeAggregates(Database& database);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_AGGREGATES_AGGREGATES_H_
