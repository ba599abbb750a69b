// Runs a Scenario end to end: a fresh server and facilitator, a device that
// holds the scenario's earlier records (synced directly), the period's
// offline work, then one timed sync through a Link. Running it once over a
// clean link and once over the poor one gives the ideal and the real time.
#ifndef KAWAL_BENCH_SUPPORT_SCENARIO_RUNNER_H_
#define KAWAL_BENCH_SUPPORT_SCENARIO_RUNNER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "kawal/mobile/device.h"
#include "link.h"
#include "scenario.h"

namespace kawal::bench {

struct LinkRun {
  double seconds = 0;  // the sync through the link, wall time
  WireCount wire;      // what the link carried during that sync
  int rpcs = 0;        // handshake + push batches + pull pages (retries excluded)
  int retries = 0;
  uint64_t pushed = 0;
  uint64_t pulled = 0;
};

absl::StatusOr<LinkRun> RunScenario(Scenario& scenario, const LinkProfile& profile,
                                    const mobile::SyncOptions& options);

// The time a perfect sync of `clean` would take on `profile`: its bytes
// (both directions, as request and response alternate) at the link's rate
// plus one round trip per RPC (the connection's own set-up overlaps the
// first request: the proxy accepts locally, HTTP/2 SETTINGS travel with it).
double IdealSeconds(const LinkRun& clean, const LinkProfile& profile);

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_SCENARIO_RUNNER_H_
