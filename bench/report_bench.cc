// Report benchmark (issue: aggregated progress): seeds every desa of the
// Kemendagri list, loads N activities spread over them through the real
// push path (merge + aggregates in one synced batch), then times reports
// for a kabupaten (its desa), a province (its kabupaten) and the nation
// (its provinces), reading pre-summed rows, and `kawal-admin aggregates
// rebuild`'s recomputation of every row (RebuildAggregates). Prints one line
// per figure.
//
//   report_bench [--activities=1000000] [--regions_file=server/regions/wilayah.csv]
//                [--rebuild=false]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "aggregates/aggregates.h"
#include "store/database.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/schema.h"
#include "engine/push_applier.h"
#include "store/sequencer.h"
#include "workload.h"

ABSL_FLAG(int64_t, activities, 100000, "activities loaded through the push path");
ABSL_FLAG(std::string, regions_file, KAWAL_REGIONS_FILE, "wilayah.csv with the region codes");
ABSL_FLAG(bool, rebuild, true, "also time the aggregates rebuild (kawal-admin aggregates rebuild)");

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Median of `runs` timings of `read` in milliseconds, with the row count.
template <typename F>
std::pair<double, size_t> TimeReport(F read, int runs = 7) {
  std::vector<double> ms;
  size_t rows = 0;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    rows = read();
    ms.push_back(Seconds(start) * 1000);
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], rows};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kawal;
  absl::ParseCommandLine(argc, argv);
  const long activities = static_cast<long>(absl::GetFlag(FLAGS_activities));
  absl::StatusOr<std::vector<std::string>> desa =
      bench::LoadDesa(absl::GetFlag(FLAGS_regions_file), "");
  if (!desa.ok()) {
    std::fprintf(stderr, "report_bench: %s\n", std::string(desa.status().message()).c_str());
    return 1;
  }
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("kawal-report-bench-" + std::to_string(::getpid())))
          .string();
  auto database = server::Database::Open(dir);
  if (!database.ok()) return 1;
  server::Sequencer sequencer(database->get());
  sync::Clock clock(1);
  server::PushApplier applier(database->get(), &sequencer, &clock, &sync::Schema::Default());
  server::AggregateObserver aggregates;
  applier.AddObserver(&aggregates);

  std::mt19937_64 rng(42);
  auto load_start = Clock::now();
  std::vector<sync::RecordDelta> batch;
  for (long i = 0; i < activities; ++i) {
    sync::RecordDelta d =
        bench::ActivityDelta(clock, "a" + std::to_string(i), (*desa)[rng() % desa->size()], rng);
    batch.push_back(std::move(d));
    if (batch.size() == 1000 || i + 1 == activities) {
      auto outcomes = applier.Apply(batch, sync::Writer::kServer, 0);
      if (!outcomes.ok()) {
        std::fprintf(stderr, "load failed: %s\n", std::string(outcomes.status().message()).c_str());
        return 1;
      }
      batch.clear();
    }
  }
  const double load_s = Seconds(load_start);
  std::printf("setup: %zu desa (kelurahan excluded), %ld activities, batches of 1000, synced WAL\n",
              desa->size(), activities);
  std::printf("load with aggregates: %.1f s (%.0f activities/s)\n", load_s, activities / load_s);

  auto report = [&](int level, const std::string& prefix) {
    return TimeReport([&] {
      auto rows = server::ReadRows(**database, 2026, level, "", prefix);
      return rows.ok() ? rows->size() : 0;
    });
  };
  auto [kab_ms, kab_rows] = report(4, "62.10.");
  auto [prov_ms, prov_rows] = report(2, "62.");
  auto [nat_ms, nat_rows] = report(1, "");
  auto [sdg_ms, sdg_rows] = TimeReport([&] {
    auto rows = server::ReadRows(**database, 2026, 3, "sdg", "62.10.");
    return rows.ok() ? rows->size() : 0;
  });
  std::printf("kabupaten report (62.10, desa rows): %.2f ms, %zu rows\n", kab_ms, kab_rows);
  std::printf("province report (62, kabupaten rows): %.2f ms, %zu rows\n", prov_ms, prov_rows);
  std::printf("national report (provinsi rows): %.2f ms, %zu rows\n", nat_ms, nat_rows);
  std::printf("kabupaten by SDG goal (kecamatan rows): %.2f ms, %zu rows\n", sdg_ms, sdg_rows);
  std::fflush(stdout);
  if (absl::GetFlag(FLAGS_rebuild)) {
    auto rebuild_start = Clock::now();
    absl::StatusOr<uint64_t> rows = server::RebuildAggregates(**database);
    if (!rows.ok()) {
      std::fprintf(stderr, "rebuild failed: %s\n", std::string(rows.status().message()).c_str());
      return 1;
    }
    const double rebuild_s = Seconds(rebuild_start);
    std::printf("aggregates rebuild (kawal-admin aggregates rebuild): %.1f s for %ld activities "
                "(%.0f activities/s), %llu rows\n",
                rebuild_s, activities, activities / rebuild_s, (unsigned long long)*rows);
  }
  database->reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
