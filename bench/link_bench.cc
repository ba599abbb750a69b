// Sync over an emulated poor link (issue #7): a field scenario (the
// facilitator's month by default; see bench/scenarios/) synced once over a
// clean loopback link, which gives its bytes and RPCs and so the ideal
// time, then over the poor link (64 kbit/s, 300 ms each way, a cut every
// 30 s), in real time. Prints the ratio and the bytes repeated after cuts.
//
//   link_bench [--scenario=month] [--gzip] [--bandwidth=8000] [--one_way_ms=300]
//              [--cut_every_s=30] plus the scenario's size flags
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "bench_flags.h"
#include "scenario_runner.h"
#include "target_line.h"

ABSL_FLAG(std::string, scenario, "month", "the field scenario (bench/scenarios/)");
ABSL_FLAG(int64_t, bandwidth, 8000, "bytes per second of the poor link");
ABSL_FLAG(int64_t, one_way_ms, 300, "one-way latency of the poor link");
ABSL_FLAG(int64_t, cut_every_s, 30, "the poor link is cut every this many seconds");
ABSL_FLAG(bool, gzip, false, "gzip the sync");

int main(int argc, char** argv) {
  using namespace kawal::bench;
  ParseBenchFlags(argc, argv);
  const std::string name = absl::GetFlag(FLAGS_scenario);
  auto found = Scenarios().find(name);
  if (found == Scenarios().end()) {
    std::fprintf(stderr, "link_bench: no scenario '%s'; known:", name.c_str());
    for (const auto& [known, factory] : Scenarios()) std::fprintf(stderr, " %s", known.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  LinkProfile poor;
  poor.bytes_per_second = absl::GetFlag(FLAGS_bandwidth);
  poor.one_way = absl::Milliseconds(absl::GetFlag(FLAGS_one_way_ms));
  poor.cut_every = absl::Seconds(absl::GetFlag(FLAGS_cut_every_s));
  kawal::mobile::SyncOptions options;
  options.gzip = absl::GetFlag(FLAGS_gzip);

  // Two fresh runs with the same seeds: the clean one measures what a
  // perfect link would carry.
  auto clean = RunScenario(*found->second(), LinkProfile(), options);
  if (!clean.ok()) {
    std::fprintf(stderr, "clean run failed: %s\n", std::string(clean.status().message()).c_str());
    return 1;
  }
  auto scenario = found->second();
  auto real = RunScenario(*scenario, poor, options);
  if (!real.ok()) {
    std::fprintf(stderr, "poor-link run failed: %s\n", std::string(real.status().message()).c_str());
    return 1;
  }
  const double ideal = IdealSeconds(*clean, poor);
  const int64_t repeated = real->wire.total() - clean->wire.total();
  std::printf("scenario: %s; gzip %s\n", scenario->Describe().c_str(), options.gzip ? "on" : "off");
  std::printf("link: %s\n", poor.Describe().c_str());
  std::printf("records: %llu pushed, %llu pulled\n", (unsigned long long)real->pushed,
              (unsigned long long)real->pulled);
  std::printf("clean link: %lld B up, %lld B down, %d RPCs\n", (long long)clean->wire.up,
              (long long)clean->wire.down, clean->rpcs);
  std::printf("ideal on the poor link: %.1f s (%.1f s of bytes + %d round trips)\n", ideal,
              double(clean->wire.total()) / poor.bytes_per_second, clean->rpcs);
  std::printf("poor link: %.1f s, %lld B up, %lld B down, %lld connections, %lld cuts, %d retries\n",
              real->seconds, (long long)real->wire.up, (long long)real->wire.down,
              (long long)real->wire.connections, (long long)real->wire.cuts, real->retries);
  std::printf("bytes repeated after cuts: %lld (%.1f%% of the clean total)\n", (long long)repeated,
              100.0 * repeated / std::max<int64_t>(1, clean->wire.total()));
  std::printf("efficiency: %.0f%% of ideal (target >= 80%%)\n", 100.0 * ideal / real->seconds);
  PrintTarget(absl::StrCat("poor link, scenario ", name, ", gzip ", options.gzip ? "on" : "off"),
              100.0 * ideal / real->seconds, 80, "% of ideal", true);
  return 0;
}
