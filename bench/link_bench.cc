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

int main(int argc, char** argv) {
  using namespace kawal::bench;
  Flags flags(argc, argv);
  const std::string name = flags.Str("scenario", "month");
  auto found = Scenarios().find(name);
  if (found == Scenarios().end()) {
    std::fprintf(stderr, "link_bench: no scenario '%s'; known:", name.c_str());
    for (const auto& [known, factory] : Scenarios()) std::fprintf(stderr, " %s", known.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  LinkProfile poor;
  poor.bytes_per_second = flags.Int("bandwidth", 8000);
  poor.one_way = absl::Milliseconds(flags.Int("one_way_ms", 300));
  poor.cut_every = absl::Seconds(flags.Int("cut_every_s", 30));
  kawal::mobile::SyncOptions options;
  options.gzip = flags.Bool("gzip", false);

  // Two fresh runs with the same seeds: the clean one measures what a
  // perfect link would carry.
  auto clean = RunScenario(*found->second(flags), LinkProfile(), options);
  if (!clean.ok()) {
    std::fprintf(stderr, "clean run failed: %s\n", std::string(clean.status().message()).c_str());
    return 1;
  }
  auto scenario = found->second(flags);
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
