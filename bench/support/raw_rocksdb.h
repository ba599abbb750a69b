// The disk's limit for a benchmark to compare against: RocksDB alone, in a
// fresh folder of the system temp dir, writing records of a given size in
// batches with a synced WAL (what "durable on return" costs here, without
// any of Kawal's work).
#ifndef KAWAL_BENCH_SUPPORT_RAW_ROCKSDB_H_
#define KAWAL_BENCH_SUPPORT_RAW_ROCKSDB_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace kawal::bench {

// Records per second: `records` values of `value_bytes` random bytes under
// 16-byte keys, `batch` per synced write.
absl::StatusOr<double> RawRocksDbRate(int64_t records, int64_t value_bytes, int64_t batch);

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_RAW_ROCKSDB_H_
