// Local writes on a device (issue #15): --records activities (the bench
// workload's activity shape) written through Device::Create, one synced
// commit each, then through Device::WriteBatch in batches of --batch (one
// synced commit per batch), each into a fresh store. Records per second
// of each; the batched figure has the target (>= 50,000 rec/s).
//
//   local_batch_bench [--records=20000] [--batch=500]
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench_device.h"
#include "bench_flags.h"
#include "latency.h"
#include "server_process.h"
#include "target_line.h"
#include "workload.h"

ABSL_FLAG(int64_t, records, 20000, "activities written in each mode");
ABSL_FLAG(int64_t, batch, 500, "operations per WriteBatch");
ABSL_FLAG(int64_t, single_records, -1,
          "records written one by one (-1: --records; 0 skips them, e.g. to profile batches)");

namespace {

using namespace kawal::bench;
using kawal::mobile::WriteOp;

// The same activities for both modes (generation is not timed).
std::vector<WriteOp> Activities(int64_t n, const std::vector<std::string>& desa) {
  std::mt19937_64 rng(3);
  std::vector<WriteOp> ops;
  ops.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    WriteOp op;
    op.collection = "activity";
    op.scope = desa[i % desa.size()];
    for (auto& [name, value] : ActivityFields(rng)) op.fields.emplace_back(name, std::move(value));
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace

int main(int argc, char** argv) {
  ParseBenchFlags(argc, argv);
  const int64_t records = absl::GetFlag(FLAGS_records);
  const int64_t batch = std::max<int64_t>(1, absl::GetFlag(FLAGS_batch));
  auto desa = LoadDesa(absl::GetFlag(FLAGS_regions_file), "62.10.01.");
  if (!desa.ok() || desa->empty()) return 1;
  const std::vector<WriteOp> ops = Activities(records, *desa);
  kawal::testing::TempDir home;

  auto single_device = OpenDevice(home.path() + "/single", "127.0.0.1:1", "kd1_unused");
  if (!single_device.ok()) return 1;
  const int64_t single_records =
      absl::GetFlag(FLAGS_single_records) < 0 ? records : absl::GetFlag(FLAGS_single_records);
  const auto single_start = SteadyClock::now();
  for (int64_t i = 0; i < std::min(records, single_records); ++i) {
    const WriteOp& op = ops[i];
    auto id = (*single_device)->Create(op.collection, op.scope, op.fields);
    if (!id.ok()) {
      std::fprintf(stderr, "write failed: %s\n", std::string(id.status().message()).c_str());
      return 1;
    }
  }
  const double single_s = SecondsSince(single_start);

  auto batch_device = OpenDevice(home.path() + "/batched", "127.0.0.1:1", "kd1_unused");
  if (!batch_device.ok()) return 1;
  const auto batch_start = SteadyClock::now();
  for (int64_t i = 0; i < records; i += batch) {
    const std::vector<WriteOp> chunk(ops.begin() + i, ops.begin() + std::min(records, i + batch));
    auto ids = (*batch_device)->WriteBatch(chunk);
    if (!ids.ok()) {
      std::fprintf(stderr, "batch failed: %s\n", std::string(ids.status().message()).c_str());
      return 1;
    }
  }
  const double batch_s = SecondsSince(batch_start);

  const double single_rate = std::min(records, single_records) / single_s;
  const double batch_rate = records / batch_s;
  std::printf("setup: %lld activities (the workload's activity shape) into a fresh device "
              "store each way (%lld one by one); durable (synced WAL) on return\n",
              (long long)records, (long long)std::min(records, single_records));
  std::printf("| mode | seconds | records/s |\n|---|---:|---:|\n");
  std::printf("| Device::Create, one synced commit per record | %.2f | %.0f |\n", single_s,
              single_rate);
  std::printf("| Device::WriteBatch, %lld per synced commit | %.2f | %.0f |\n", (long long)batch,
              batch_s, batch_rate);
  std::printf("batched / single: %.1fx\n", batch_rate / single_rate);
  PrintTarget("local batch writes (batches of " + std::to_string(batch) + ")", batch_rate, 50000,
              "rec/s", true);
  return 0;
}
