// Push ingest into a real kawal-server over loopback (issue #7): the built
// binary with its synced WAL, D concurrent devices (1, 4 and 16 by default)
// each pushing new activities of its own desa in batches. A fresh server
// per device count. Prints records/s and the p50/p99 latency of a batch.
//
//   ingest_bench [--records=100000] [--devices=1,4,16] [--batch=500] [--gzip]
//                [--server=HOST:PORT --admin_token_file=PATH]  (a server
//                 started by hand, e.g. under callgrind; then one count)
#include <cstdio>

#include "bench_flags.h"
#include "ingest_driver.h"
#include "target_line.h"
#include "workload.h"

int main(int argc, char** argv) {
  using namespace kawal::bench;
  Flags flags(argc, argv);
  const int64_t records = flags.Int("records", 100000);
  const std::vector<int64_t> devices = flags.IntList("devices", {1, 4, 16});
  const std::string external = flags.Str("server", "");
  auto desa = LoadDesa(flags.Str("regions_file", DefaultRegionsFile()), "62.10.");
  if (!desa.ok()) {
    std::fprintf(stderr, "%s\n", std::string(desa.status().message()).c_str());
    return 1;
  }
  IngestPlan plan;
  plan.records = records;
  plan.batch = static_cast<int>(flags.Int("batch", 500));
  plan.gzip = flags.Bool("gzip", false);
  plan.desa = *desa;
  std::printf("setup: %lld new activities (8 fields each) per run over the %zu desa of 62.10, "
              "batches of %d, gzip %s, a fresh server per run\n",
              (long long)records, desa->size(), plan.batch, plan.gzip ? "on" : "off");
  std::printf("| devices | records/s | p50 batch ms | p99 batch ms | total s |\n");
  std::printf("|---:|---:|---:|---:|---:|\n");
  for (int64_t d : devices) {
    auto server = external.empty()
                      ? BenchServer::Start()
                      : BenchServer::Connect(external, flags.Str("admin_token_file", ""));
    if (!server.ok()) {
      std::fprintf(stderr, "%s\n", std::string(server.status().message()).c_str());
      return 1;
    }
    plan.devices = static_cast<int>(d);
    plan.id_prefix = "i" + std::to_string(d) + "x";
    auto result = RunIngest(**server, plan);
    if (!result.ok()) {
      std::fprintf(stderr, "%s\n", std::string(result.status().message()).c_str());
      return 1;
    }
    std::printf("| %lld | %.0f | %.1f | %.1f | %.1f |\n", (long long)d, result->RecordsPerSecond(),
                result->batch_ms.Percentile(50), result->batch_ms.Percentile(99), result->seconds);
    PrintTarget("push ingest, " + std::to_string(d) + " device(s), batches of " +
                    std::to_string(plan.batch),
                result->RecordsPerSecond(), 50000, "records/s", true);
    std::fflush(stdout);
  }
  return 0;
}
