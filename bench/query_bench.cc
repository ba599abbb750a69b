// Indexed queries on a device (issue #18): an officer's device holding
// --records activities, --per_desa in each desa; the time to list one
// desa's activities by scanning the collection (Device::List with deleted
// records, which no index holds: the path every list took before the
// indexes) and from the index (Device::Query), and to count
// them (Device::Count); medians over --lookups random desa, warm cache.
// Also the bulk load's rate with index upkeep, and the time the migration
// from a store without indexes (format 1) takes to build them on open.
//
//   query_bench [--records=100000] [--per_desa=30] [--lookups=50]
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench_device.h"
#include "bench_flags.h"
#include "latency.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "server_process.h"
#include "target_line.h"
#include "workload.h"

ABSL_FLAG(int64_t, records, 100000, "activities on the device");
ABSL_FLAG(int64_t, per_desa, 30, "activities per desa");
ABSL_FLAG(int64_t, lookups, 50, "desa listed in each mode (the median is reported)");

namespace {

using namespace kawal::bench;
using kawal::mobile::Device;
using kawal::mobile::WriteOp;

double MedianMs(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  return seconds.empty() ? 0 : seconds[seconds.size() / 2] * 1000;
}

double MaxMs(const std::vector<double>& seconds) {
  return seconds.empty() ? 0 : *std::max_element(seconds.begin(), seconds.end()) * 1000;
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "query_bench: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  ParseBenchFlags(argc, argv);
  const int64_t records = absl::GetFlag(FLAGS_records);
  const int64_t per_desa = std::max<int64_t>(1, absl::GetFlag(FLAGS_per_desa));
  const int64_t lookups = std::max<int64_t>(1, absl::GetFlag(FLAGS_lookups));
  // Synthetic desa codes, 100 per kecamatan: as many as the records need.
  std::vector<std::string> desa;
  for (int64_t i = 0; i < (records + per_desa - 1) / per_desa; ++i) {
    char code[32];
    std::snprintf(code, sizeof code, "62.10.%02d.%04d", static_cast<int>(1 + i / 100),
                  static_cast<int>(2001 + i % 100));
    desa.push_back(code);
  }
  kawal::testing::TempDir home;
  const std::string dir = home.path() + "/officer";
  auto device = OpenDevice(dir, "127.0.0.1:1", "kd1_unused");
  if (!device.ok()) return Fail(device.status());

  std::mt19937_64 rng(18);
  const auto load_start = SteadyClock::now();
  for (int64_t i = 0; i < records; i += 500) {
    std::vector<WriteOp> chunk;
    for (int64_t j = i; j < std::min(records, i + 500); ++j) {
      WriteOp op;
      op.collection = "activity";
      op.scope = desa[j % desa.size()];
      for (auto& [name, value] : ActivityFields(rng)) op.fields.emplace_back(name, std::move(value));
      chunk.push_back(std::move(op));
    }
    auto ids = (*device)->WriteBatch(chunk);
    if (!ids.ok()) return Fail(ids.status());
  }
  const double load_s = SecondsSince(load_start);

  std::vector<double> scan, index, count, listed_ms;
  std::uniform_int_distribution<size_t> pick(0, desa.size() - 1);
  size_t listed = 0;
  for (int64_t i = 0; i < lookups; ++i) {
    const std::string& one = desa[pick(rng)];
    kawal::mobile::ListQuery list;
    list.region = one;
    list.include_deleted = true;  // forces the scan; the bench deletes nothing
    auto start = SteadyClock::now();
    auto scanned = (*device)->List(list);
    scan.push_back(SecondsSince(start));
    if (!scanned.ok()) return Fail(scanned.status());

    list.include_deleted = false;  // Device::List now reads the index
    start = SteadyClock::now();
    auto from_index = (*device)->List(list);
    listed_ms.push_back(SecondsSince(start));
    if (!from_index.ok()) return Fail(from_index.status());
    if (from_index->size() != scanned->size()) {
      return Fail(absl::InternalError("Device::List from the index and the scan disagree"));
    }

    kawal::mobile::RecordQuery query{"activity", one, {}, 0, ""};
    start = SteadyClock::now();
    auto page = (*device)->Query(query);
    index.push_back(SecondsSince(start));
    if (!page.ok()) return Fail(page.status());
    if (page->records.size() != scanned->size()) {
      return Fail(absl::InternalError("the index and the scan disagree"));
    }
    listed = page->records.size();

    start = SteadyClock::now();
    auto n = (*device)->Count(query);
    count.push_back(SecondsSince(start));
    if (!n.ok()) return Fail(n.status());
  }
  device->reset();

  // The migration of a store without indexes: drop them and their key.
  {
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(rocksdb::Options(), dir + "/db", &raw).ok()) return 1;
    rocksdb::WriteBatch batch;
    batch.DeleteRange("x", "y");
    batch.Delete("mindexes");
    if (!raw->Write(rocksdb::WriteOptions(), &batch).ok()) return 1;
    delete raw;
  }
  const auto reopen_start = SteadyClock::now();
  device = OpenDevice(dir, "127.0.0.1:1", "kd1_unused");
  const double rebuild_s = SecondsSince(reopen_start);
  if (!device.ok()) return Fail(device.status());

  std::printf("setup: %lld activities in %zu desa (%lld each) on one device, loaded with "
              "WriteBatch of 500; %lld random desa listed in each mode, warm cache\n",
              (long long)records, desa.size(), (long long)per_desa, (long long)lookups);
  std::printf("| operation | median ms | max ms |\n|---|---:|---:|\n");
  std::printf("| list one desa's %zu activities by a scan (as before the indexes) | %.2f | %.2f |\n",
              listed, MedianMs(scan), MaxMs(scan));
  std::printf("| the same from the index (Device::Query, after) | %.3f | %.3f |\n",
              MedianMs(index), MaxMs(index));
  std::printf("| the same by Device::List (the index, sorted by id) | %.3f | %.3f |\n",
              MedianMs(listed_ms), MaxMs(listed_ms));
  std::printf("| count them (Device::Count, index keys only) | %.3f | %.3f |\n", MedianMs(count),
              MaxMs(count));
  std::printf("scan / index: %.0fx\n", MedianMs(scan) / std::max(MedianMs(index), 1e-6));
  std::printf("bulk load with index upkeep: %.0f records/s\n", records / load_s);
  std::printf("migration (building the indexes of %lld records on open): %.2f s\n",
              (long long)records, rebuild_s);
  PrintTarget("list one desa's activities on a device holding " + std::to_string(records),
              MedianMs(index), 5, "ms", false);
  return 0;
}
