// Push ingest into a real server: D devices (each its own facilitator,
// its own desa, its own gRPC connection) push new activities in batches
// concurrently; the driver times every batch and the whole load.
#ifndef KAWAL_BENCH_SUPPORT_INGEST_DRIVER_H_
#define KAWAL_BENCH_SUPPORT_INGEST_DRIVER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench_server.h"
#include "latency.h"

namespace kawal::bench {

struct IngestPlan {
  int devices = 1;
  int64_t records = 100000;  // in total, split evenly over the devices
  int batch = 500;           // deltas per Push
  std::vector<std::string> desa;  // spread over the devices, round robin
  std::string id_prefix = "a";    // record ids: <prefix><device>-<n>
  bool gzip = false;              // compress requests
  uint64_t seed = 42;
};

struct IngestResult {
  int64_t records = 0;  // applied
  double seconds = 0;
  Latencies batch_ms;
  double RecordsPerSecond() const { return seconds > 0 ? records / seconds : 0; }
};

// Adds the plan's users on first use of a device index (user "dev<k>").
absl::StatusOr<IngestResult> RunIngest(BenchServer& server, const IngestPlan& plan);

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_INGEST_DRIVER_H_
