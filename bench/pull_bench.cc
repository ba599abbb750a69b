// Cold pull of a district to a new device through the mobile core (issue
// #7): a server holding --records activities over the desa of 62.10
// (pushed by 4 devices), then a new device of a district officer (scope
// 62.10) syncs over loopback. Prints records/s and the total time, and
// what the device holds afterwards.
//
//   pull_bench [--records=100000] [--page=1000] [--gzip]
#include <malloc.h>

#include <cstdio>

#include "bench_device.h"
#include "bench_flags.h"
#include "ingest_driver.h"
#include "latency.h"
#include "process_stats.h"
#include "server_process.h"
#include "target_line.h"
#include "workload.h"

ABSL_FLAG(int64_t, records, 100000, "activities on the server");
ABSL_FLAG(int64_t, page, 1000, "records per pull page");
ABSL_FLAG(bool, gzip, false, "gzip the pull");

int main(int argc, char** argv) {
  using namespace kawal::bench;
  ParseBenchFlags(argc, argv);
  const int64_t records = absl::GetFlag(FLAGS_records);
  auto desa = LoadDesa(absl::GetFlag(FLAGS_regions_file), "62.10.");
  auto server = BenchServer::Start();
  if (!desa.ok() || !server.ok()) {
    std::fprintf(stderr, "set-up failed\n");
    return 1;
  }
  IngestPlan plan;
  plan.devices = 4;
  plan.records = records;
  plan.desa = *desa;
  if (auto loaded = RunIngest(**server, plan); !loaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return 1;
  }
  auto token = (*server)->AddOfficer("dpmd", {"62.10"});
  if (!token.ok()) return 1;
  kawal::testing::TempDir home;
  auto device = OpenDevice(home.path() + "/officer", (*server)->address(), *token);
  if (!device.ok()) return 1;
  kawal::mobile::SyncOptions options;
  options.pull_page = static_cast<uint32_t>(absl::GetFlag(FLAGS_page));
  options.gzip = absl::GetFlag(FLAGS_gzip);
  // The ingest's clients ran in this process: what they freed is not the
  // pull's, so the peak is reset to the device's own footprint first.
  malloc_trim(0);
  ResetPeakRss(0);
  const double rss_before_mb = RssKb() / 1024.0;
  const auto start = SteadyClock::now();
  auto report = (*device)->Sync(options, nullptr);
  const double seconds = SecondsSince(start);
  if (!report.ok()) {
    std::fprintf(stderr, "sync failed: %s\n", std::string(report.status().message()).c_str());
    return 1;
  }
  std::printf("setup: %lld activities over the %zu desa of 62.10 on a real server; a new "
              "district officer device pulls them all over loopback, pages of %u, gzip %s\n",
              (long long)records, desa->size(), options.pull_page, options.gzip ? "on" : "off");
  std::printf("cold pull: %llu records in %.1f s = %.0f records/s (target >= 100,000)\n",
              (unsigned long long)report->pulled, seconds, report->pulled / seconds);
  const double peak_mb = PeakRssKb() / 1024.0;
  std::printf("device afterwards: %.1f MB on disk; process RSS %.1f MB before the pull, "
              "peak %.1f MB during it\n",
              (*device)->DiskBytes() / 1e6, rss_before_mb, peak_mb);
  PrintTarget("cold pull of a district (" + std::to_string(records) + " records) to a new device",
              report->pulled / seconds, 100000, "records/s", true);
  PrintTarget("device peak RSS during the cold pull", peak_mb, 60, "MB", false);
  return 0;
}
