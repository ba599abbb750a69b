// Push ingest into a real kawal-server over loopback (issue #7): the built
// binary with its synced WAL, D concurrent devices (1, 4 and 16 by default)
// each pushing new activities of its own desa in batches. A fresh server
// per device count. Prints records/s and the p50/p99 latency of a batch, and
// each rate as a fraction of raw RocksDB on the same disk in the same run
// (issue #15: 16 devices should reach half of it).
//
//   ingest_bench [--records=100000] [--devices=1,4,16] [--batch=500] [--gzip]
//                [--server=HOST:PORT --admin_token_file=PATH]  (a server
//                 started by hand, e.g. under callgrind; then one count)
//                [--tls_ca=PEM | --insecure]  (a non-loopback --server is
//                 reached over TLS, as the clients do; plaintext only asked)
#include <cstdio>

#include "bench_flags.h"
#include "ingest_driver.h"
#include "raw_rocksdb.h"
#include "target_line.h"
#include "workload.h"

ABSL_FLAG(int64_t, records, 100000, "activities pushed in all");
ABSL_FLAG(kawal::bench::IntList, devices, (kawal::bench::IntList{{1, 4, 16}}),
          "device counts to run, one run each");
ABSL_FLAG(std::string, server, "", "host:port of a running server instead of a local one");
ABSL_FLAG(std::string, admin_token_file, "", "the admin token of --server");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM of the CA to trust for --server (default: the system's CA store)");
ABSL_FLAG(bool, insecure, false, "plaintext to a non-loopback --server (never the default)");
ABSL_FLAG(int64_t, batch, 500, "records per push");
ABSL_FLAG(bool, gzip, false, "gzip the pushes");

int main(int argc, char** argv) {
  using namespace kawal::bench;
  ParseBenchFlags(argc, argv);
  const int64_t records = absl::GetFlag(FLAGS_records);
  const std::vector<int64_t> devices = absl::GetFlag(FLAGS_devices).values;
  const std::string external = absl::GetFlag(FLAGS_server);
  auto desa = LoadDesa(absl::GetFlag(FLAGS_regions_file), "62.10.");
  if (!desa.ok()) {
    std::fprintf(stderr, "%s\n", std::string(desa.status().message()).c_str());
    return 1;
  }
  IngestPlan plan;
  plan.records = records;
  plan.batch = static_cast<int>(absl::GetFlag(FLAGS_batch));
  plan.gzip = absl::GetFlag(FLAGS_gzip);
  plan.desa = *desa;
  std::printf("setup: %lld new activities (8 fields each) per run over the %zu desa of 62.10, "
              "batches of %d, gzip %s, a fresh server per run\n",
              (long long)records, desa->size(), plan.batch, plan.gzip ? "on" : "off");
  // Values of ~410 bytes (an activity as JSON), batches as the pushes'.
  absl::StatusOr<double> raw = RawRocksDbRate(records, 410, plan.batch);
  if (!raw.ok()) {
    std::fprintf(stderr, "%s\n", std::string(raw.status().message()).c_str());
    return 1;
  }
  std::printf("raw RocksDB on the same disk: %.0f records/s (batches of %d, synced WAL, 410-byte "
              "values)\n", *raw, plan.batch);
  std::printf("| devices | records/s | of raw | p50 batch ms | p99 batch ms | total s |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|\n");
  for (int64_t d : devices) {
    auto server = external.empty()
                      ? BenchServer::Start()
                      : BenchServer::Connect(external, absl::GetFlag(FLAGS_admin_token_file),
                                             kawal::common::TransportOptions{
                                                 .tls_ca_file = absl::GetFlag(FLAGS_tls_ca),
                                                 .insecure = absl::GetFlag(FLAGS_insecure)});
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
    std::printf("| %lld | %.0f | %.1f %% | %.1f | %.1f | %.1f |\n", (long long)d,
                result->RecordsPerSecond(), 100.0 * result->RecordsPerSecond() / *raw,
                result->batch_ms.Percentile(50), result->batch_ms.Percentile(99), result->seconds);
    PrintTarget("push ingest, " + std::to_string(d) + " device(s), batches of " +
                    std::to_string(plan.batch),
                result->RecordsPerSecond(), 50000, "records/s", true);
    if (d == devices.back()) {
      PrintTarget("push ingest, " + std::to_string(d) + " device(s), share of raw RocksDB",
                  100.0 * result->RecordsPerSecond() / *raw, 50, "%", true);
    }
    std::fflush(stdout);
  }
  return 0;
}
