// Device footprint (issue #7): a mobile-core store with --records records
// written locally (offline, each durable before it returns, as the app
// does): local write latency p50/p99, then the store closed and reopened:
// open time, resident memory after opening and after reading every record,
// and the store's size on disk. This process holds nothing else, so its
// RSS is the library's (its code included); the RSS before opening is
// printed too.
//
//   footprint_bench [--records=20000]
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "bench_device.h"
#include "bench_flags.h"
#include "latency.h"
#include "process_stats.h"
#include "server_process.h"
#include "target_line.h"
#include "workload.h"

ABSL_FLAG(int64_t, records, 20000, "activities written to the device");
ABSL_FLAG(std::string, open_only, "", "only open the device folder given and measure (internal)");

namespace {

using namespace kawal::bench;

int OpenAndMeasure(const std::string& path) {
  const int64_t rss_start = RssKb();
  const auto open_start = SteadyClock::now();
  auto device = kawal::mobile::Device::Open({path, "bench", {}});
  const double open_ms = SecondsSince(open_start) * 1000;
  if (!device.ok()) return 1;
  const int64_t rss_open = RssKb();
  auto listed = (*device)->List(kawal::mobile::ListQuery());
  if (!listed.ok()) return 1;
  const size_t count = listed->size();
  listed->clear();
  listed->shrink_to_fit();  // the list itself is the app's memory, not the store's
  ::malloc_trim(0);         // and give what it used back, as RSS would show it later
  const int64_t rss_read = RssKb();
  std::printf("open with %zu records: %.1f ms (target <= 200 ms)\n", count, open_ms);
  std::printf("RSS: %.1f MB after open, %.1f MB after listing every record, peak %.1f MB "
              "(target <= 30 MB); %.1f MB of it before opening (code and libraries)\n",
              rss_open / 1024.0, rss_read / 1024.0, PeakRssKb() / 1024.0, rss_start / 1024.0);
  const std::string with = " with " + std::to_string(count) + " records";
  PrintTarget("device open time" + with, open_ms, 200, "ms", false);
  PrintTarget("device RSS after open" + with, rss_open / 1024.0, 30, "MB", false);
  std::printf("disk: %.1f MB (%.0f B/record)\n", (*device)->DiskBytes() / 1e6,
              double((*device)->DiskBytes()) / std::max<size_t>(1, count));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kawal::bench;
  ParseBenchFlags(argc, argv);
  const int64_t records = absl::GetFlag(FLAGS_records);
  if (const std::string open_only = absl::GetFlag(FLAGS_open_only); !open_only.empty()) {
    return OpenAndMeasure(open_only);
  }
  kawal::testing::TempDir home;
  const std::string path = home.path() + "/device";
  auto desa = LoadDesa(absl::GetFlag(FLAGS_regions_file), "62.10.01.");
  if (!desa.ok()) return 1;
  Latencies writes;
  {
    auto device = OpenDevice(path, "127.0.0.1:1", "kd1_unused");
    if (!device.ok()) return 1;
    std::mt19937_64 rng(3);
    for (int64_t i = 0; i < records; ++i) {
      kawal::mobile::FieldValues fields;
      for (auto& [name, value] : ActivityFields(rng)) fields.emplace_back(name, std::move(value));
      const auto start = SteadyClock::now();
      auto id = (*device)->Create("activity", (*desa)[i % desa->size()], fields);
      writes.Add(SecondsSince(start) * 1000);
      if (!id.ok()) {
        std::fprintf(stderr, "write failed: %s\n", std::string(id.status().message()).c_str());
        return 1;
      }
    }
  }
  std::printf("setup: %lld activities written locally through Device::Create (synced WAL each); "
              "the store is then opened by a fresh process\n", (long long)records);
  std::printf("local write latency: p50 %.2f ms, p99 %.2f ms; writer process peak RSS %.1f MB\n",
              writes.Percentile(50), writes.Percentile(99), PeakRssKb() / 1024.0);
  std::fflush(stdout);
  // A fresh process opens the store, so the memory it reports is what an
  // app starting with this store holds, not what the writes left behind.
  std::string self(4096, '\0');
  self.resize(std::max<ssize_t>(0, ::readlink("/proc/self/exe", self.data(), self.size())));
  const std::string command = self + " --open_only=" + path;
  return std::system(command.c_str()) == 0 ? 0 : 1;
}
