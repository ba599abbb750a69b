// The whole client path, phase by phase (issue #15): --records activities
// (the workload's activity shape) written on a facilitator's phone in
// batches, pushed to a real kawal-server, pulled cold by the same
// facilitator's second device, 10 % of them edited (one field) and pushed
// and pulled again, and 100 of them edited on both devices (a conflict each)
// and synced. Every sync goes through a loopback proxy that counts the bytes
// each way (all of gRPC's framing included). Per phase: records/s, that rate
// as a fraction of raw RocksDB on the same disk (batches of --batch, synced
// WAL, values of --raw_value_bytes), bytes per record each way, CPU seconds
// and peak RSS of the client process (both devices and the proxy) and of the
// server. Sync options are the device's defaults unless flags say otherwise.
//
//   sync_phases_bench [--records=10000,100000] [--batch=500] [--no_gzip] [--push_batch=N]
//                     [--conflicts=100] [--conflict_fields=1..5]
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "bench_device.h"
#include "bench_flags.h"
#include "bench_server.h"
#include "latency.h"
#include "link.h"
#include "process_stats.h"
#include "raw_rocksdb.h"
#include "server_process.h"
#include "target_line.h"
#include "workload.h"

ABSL_FLAG(kawal::bench::IntList, records, (kawal::bench::IntList{{10000, 100000}}),
          "activities per run, one run per value");
ABSL_FLAG(int64_t, batch, 500, "operations per Device::WriteBatch and per raw RocksDB write");
ABSL_FLAG(int64_t, conflicts, 100, "records edited on both devices in the conflict phase");
ABSL_FLAG(int64_t, conflict_fields, 1,
          "fields (1..5) each device changes in one edit of a record in the conflict phase");
ABSL_FLAG(int64_t, raw_value_bytes, 410,
          "value size of the raw RocksDB comparison (~ an activity as JSON)");
ABSL_FLAG(bool, no_gzip, false, "turn compression off (the device's default is on)");
ABSL_FLAG(int64_t, push_batch, 0, "records per push (0: the device's default)");

namespace kawal::bench {
namespace {

// What one phase cost.
struct Phase {
  std::string name;
  int64_t records = 0;
  double seconds = 0;
  WireCount wire;
  double client_cpu = 0, server_cpu = 0;
  int64_t client_peak_kb = 0, server_peak_kb = 0;
  int64_t client_start_kb = 0;  // RSS when the phase began (its peak's floor)
  double rate() const { return seconds > 0 ? records / seconds : 0; }
};

// Measures one phase: counters and peaks reset before `body`, read after.
class PhaseMeter {
 public:
  PhaseMeter(Link& link, int server_pid) : link_(link), server_pid_(server_pid) {}

  template <typename Body>
  absl::StatusOr<Phase> Run(const std::string& name, int64_t records, Body body) {
    link_.ResetCount();
    malloc_trim(0);  // what earlier phases freed is not this phase's peak
    ResetPeakRss(0);
    ResetPeakRss(server_pid_);
    const int64_t client_start_kb = RssKb();
    const double client_cpu = CpuSeconds(0), server_cpu = CpuSeconds(server_pid_);
    const auto start = SteadyClock::now();
    if (absl::Status done = body(); !done.ok()) {
      return absl::Status(done.code(), name + ": " + std::string(done.message()));
    }
    Phase phase;
    phase.seconds = SecondsSince(start);
    phase.name = name;
    phase.records = records;
    phase.wire = link_.Count();
    phase.client_cpu = CpuSeconds(0) - client_cpu;
    phase.server_cpu = CpuSeconds(server_pid_) - server_cpu;
    phase.client_peak_kb = PeakRssKb();
    phase.client_start_kb = client_start_kb;
    phase.server_peak_kb = PeakRssKbOf(server_pid_);
    return phase;
  }

 private:
  Link& link_;
  int server_pid_;
};

absl::Status Expect(const char* what, uint64_t got, uint64_t want) {
  if (got == want) return absl::OkStatus();
  return absl::InternalError(absl::StrFormat("%s: %d, expected %d", what, got, want));
}

absl::StatusOr<std::vector<std::string>> WriteActivities(mobile::Device& device,
                                                         const std::vector<std::string>& desa,
                                                         int64_t records, int64_t batch) {
  std::mt19937_64 rng(11);
  std::vector<std::string> ids;
  ids.reserve(records);
  // Generated batch by batch, as an app would hand them over: holding all
  // of them would count the generator's memory as the device's.
  for (int64_t i = 0; i < records; i += batch) {
    std::vector<mobile::WriteOp> ops;
    for (int64_t j = i; j < std::min(records, i + batch); ++j) {
      mobile::WriteOp op;
      op.collection = "activity";
      op.scope = desa[j % desa.size()];
      for (auto& [name, value] : ActivityFields(rng)) op.fields.emplace_back(name, std::move(value));
      ops.push_back(std::move(op));
    }
    absl::StatusOr<std::vector<std::string>> written = device.WriteBatch(ops);
    if (!written.ok()) return written.status();
    ids.insert(ids.end(), written->begin(), written->end());
  }
  return ids;
}

// Text fields an edit may change besides physical progress.
constexpr const char* kMoreFields[] = {"notes", "output", "unit", "name"};

// Physical progress of `ids[i]` for every i in [first, end) with step
// `step`, set to `value`, and `more_fields` of kMoreFields set to a text of
// it, one edit per record, in batches.
absl::Status EditProgress(mobile::Device& device, const std::vector<std::string>& ids,
                          size_t first, size_t end, size_t step, double value, int64_t batch,
                          size_t more_fields = 0) {
  std::vector<mobile::WriteOp> ops;
  auto flush = [&]() -> absl::Status {
    if (ops.empty()) return absl::OkStatus();
    absl::StatusOr<std::vector<std::string>> written = device.WriteBatch(ops);
    ops.clear();
    return written.status();
  };
  for (size_t i = first; i < end; i += step) {
    mobile::WriteOp op;
    op.kind = mobile::WriteOp::Kind::kUpdate;
    op.collection = "activity";
    op.id = ids[i];
    op.fields.emplace_back("physical_progress_pct", sync::Value(value));
    for (size_t f = 0; f < more_fields && f < std::size(kMoreFields); ++f) {
      op.fields.emplace_back(kMoreFields[f],
                             sync::Value(absl::StrFormat("%s %.0f", kMoreFields[f], value)));
    }
    ops.push_back(std::move(op));
    if (static_cast<int64_t>(ops.size()) == batch) {
      if (absl::Status s = flush(); !s.ok()) return s;
    }
  }
  return flush();
}

struct RunResult {
  std::vector<Phase> phases;
  double raw_rate = 0;
};

absl::StatusOr<RunResult> RunPhases(int64_t records, const std::vector<std::string>& desa,
                                    const mobile::SyncOptions& options) {
  const int64_t batch = absl::GetFlag(FLAGS_batch);
  const int64_t conflicts = std::min<int64_t>(absl::GetFlag(FLAGS_conflicts), records / 2);
  RunResult result;
  absl::StatusOr<double> raw = RawRocksDbRate(records, absl::GetFlag(FLAGS_raw_value_bytes), batch);
  if (!raw.ok()) return raw.status();
  result.raw_rate = *raw;

  absl::StatusOr<std::unique_ptr<BenchServer>> server = BenchServer::Start();
  if (!server.ok()) return server.status();
  absl::StatusOr<std::string> token = (*server)->AddFacilitator("ani", desa);
  if (!token.ok()) return token.status();
  absl::StatusOr<std::unique_ptr<Link>> link = Link::Start((*server)->address(), LinkProfile());
  if (!link.ok()) return link.status();
  testing::TempDir home;
  auto phone = OpenDevice(home.path() + "/phone", (*link)->address(), *token);
  auto tablet = OpenDevice(home.path() + "/tablet", (*link)->address(), *token);
  if (!phone.ok()) return phone.status();
  if (!tablet.ok()) return tablet.status();
  mobile::Device& a = **phone;
  mobile::Device& b = **tablet;
  PhaseMeter meter(**link, (*server)->pid());
  auto add = [&](absl::StatusOr<Phase> phase) -> absl::Status {
    if (!phase.ok()) return phase.status();
    result.phases.push_back(*std::move(phase));
    return absl::OkStatus();
  };
  auto sync = [&](mobile::Device& device, const char* what, uint64_t mobile::SyncReport::*count,
                  uint64_t want) -> absl::Status {
    absl::StatusOr<mobile::SyncReport> report = device.Sync(options, nullptr);
    if (!report.ok()) return report.status();
    return Expect(what, (*report).*count, want);
  };

  std::vector<std::string> ids;
  absl::Status s = add(meter.Run("local writes (WriteBatch of " + std::to_string(batch) + ")",
                                 records, [&]() -> absl::Status {
    absl::StatusOr<std::vector<std::string>> written = WriteActivities(a, desa, records, batch);
    if (!written.ok()) return written.status();
    ids = *std::move(written);
    return absl::OkStatus();
  }));
  if (!s.ok()) return s;
  s = add(meter.Run("initial push", records,
                    [&] { return sync(a, "pushed", &mobile::SyncReport::pushed, records); }));
  if (!s.ok()) return s;
  s = add(meter.Run("cold pull (second device)", records,
                    [&] { return sync(b, "pulled", &mobile::SyncReport::pulled, records); }));
  if (!s.ok()) return s;

  const size_t n = ids.size();
  const int64_t tenth = (records + 9) / 10;
  s = EditProgress(a, ids, 0, n, 10, 42.5, batch);
  if (!s.ok()) return s;
  s = add(meter.Run("incremental push (10 %, one field)", tenth,
                    [&] { return sync(a, "pushed", &mobile::SyncReport::pushed, tenth); }));
  if (!s.ok()) return s;
  s = add(meter.Run("incremental pull (10 %, one field)", tenth,
                    [&] { return sync(b, "pulled", &mobile::SyncReport::pulled, tenth); }));
  if (!s.ok()) return s;

  // Records 1, 11, 21, ... were not edited above; both devices edit the
  // same fields of `conflicts` of them to different values.
  const size_t conflict_end = std::min(n, static_cast<size_t>(1 + 10 * conflicts));
  const size_t more =
      static_cast<size_t>(std::clamp<int64_t>(absl::GetFlag(FLAGS_conflict_fields), 1, 5) - 1);
  if ((s = EditProgress(a, ids, 1, conflict_end, 10, 60.0, batch, more)); !s.ok()) return s;
  if ((s = EditProgress(b, ids, 1, conflict_end, 10, 70.0, batch, more)); !s.ok()) return s;
  if ((s = sync(a, "pushed", &mobile::SyncReport::pushed, conflicts)); !s.ok()) return s;
  s = add(meter.Run("conflicting push (second device)", conflicts,
                    [&] { return sync(b, "pushed", &mobile::SyncReport::pushed, conflicts); }));
  if (!s.ok()) return s;
  s = add(meter.Run("pull of the conflicts (first device)", conflicts, [&]() -> absl::Status {
    absl::StatusOr<mobile::SyncReport> report = a.Sync(options, nullptr);
    return report.status();
  }));
  if (!s.ok()) return s;
  return result;
}

void PrintRun(int64_t records, const RunResult& run) {
  std::printf("\n%lld records; raw RocksDB here: %.0f records/s\n\n", (long long)records,
              run.raw_rate);
  std::printf("| phase | records | s | records/s | of raw | B/rec up | B/rec down | "
              "client CPU s | server CPU s | client peak MB | server peak MB |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Phase& p : run.phases) {
    std::printf("| %s | %lld | %.2f | %.0f | %.1f %% | %.0f | %.0f | %.2f | %.2f | %.0f | %.0f |\n",
                p.name.c_str(), (long long)p.records, p.seconds, p.rate(),
                100.0 * p.rate() / run.raw_rate, double(p.wire.up) / p.records,
                double(p.wire.down) / p.records, p.client_cpu, p.server_cpu,
                p.client_peak_kb / 1024.0, p.server_peak_kb / 1024.0);
  }
}

// The targets, for the largest run.
void PrintTargets(const RunResult& run) {
  const auto& p = run.phases;
  if (p.size() < 7) return;
  PrintTarget("phases: local batch writes", p[0].rate(), 50000, "rec/s", true);
  PrintTarget("phases: initial push through the device", p[1].rate(), 30000, "rec/s", true);
  PrintTarget("phases: cold pull", p[2].rate(), 60000, "rec/s", true);
  PrintTarget("phases: incremental push", p[3].rate(), 30000, "rec/s", true);
  PrintTarget("phases: incremental pull", p[4].rate(), 40000, "rec/s", true);
  PrintTarget("phases: bytes up per record, initial push", double(p[1].wire.up) / p[1].records,
              300, "B", false);
  PrintTarget("phases: bytes down per record, cold pull", double(p[2].wire.down) / p[2].records,
              90, "B", false);
  PrintTarget("phases: bytes down per record, incremental pull (one field)",
              double(p[4].wire.down) / p[4].records, 100, "B", false);
  PrintTarget("phases: bytes down per conflicted record", double(p[6].wire.down) / p[6].records,
              400, "B", false);
  PrintTarget("phases: client peak RSS during the cold pull", p[2].client_peak_kb / 1024.0, 60,
              "MB", false);
  // The client process also hosts the first device (its store open) and the
  // proxy: the pulling device's own share is the rise above the RSS the
  // phase began with (pull_bench measures a device alone).
  std::printf("cold pull: client RSS %.1f MB when it began, peak %.1f MB, rise %.1f MB\n",
              p[2].client_start_kb / 1024.0, p[2].client_peak_kb / 1024.0,
              (p[2].client_peak_kb - p[2].client_start_kb) / 1024.0);
}

}  // namespace
}  // namespace kawal::bench

int main(int argc, char** argv) {
  using namespace kawal::bench;
  ParseBenchFlags(argc, argv);
  auto desa = LoadDesa(absl::GetFlag(FLAGS_regions_file), "62.10.01.");
  if (!desa.ok() || desa->empty()) {
    std::fprintf(stderr, "no desa under 62.10.01 in the regions file\n");
    return 1;
  }
  kawal::mobile::SyncOptions options;
  if (absl::GetFlag(FLAGS_no_gzip)) options.gzip = false;
  if (absl::GetFlag(FLAGS_push_batch) > 0) {
    options.push_batch = static_cast<uint32_t>(absl::GetFlag(FLAGS_push_batch));
  }
  std::printf("setup: activities (the workload's shape) over the %zu desa of kecamatan 62.10.01, "
              "one facilitator with two devices, a real kawal-server on loopback behind a "
              "byte-counting proxy; gzip %s, pull pages of %u; client = this process (both "
              "devices and the proxy); peaks are per phase (VmHWM reset before each); pushes of at "
              "most %u records\n",
              desa->size(), options.gzip ? "on" : "off", options.pull_page, options.push_batch);
  RunResult last;
  for (int64_t records : absl::GetFlag(FLAGS_records).values) {
    absl::StatusOr<RunResult> run = RunPhases(records, *desa, options);
    if (!run.ok()) {
      std::fprintf(stderr, "%lld records: %s\n", (long long)records,
                   std::string(run.status().message()).c_str());
      return 1;
    }
    PrintRun(records, *run);
    last = *std::move(run);
  }
  PrintTargets(last);
  return 0;
}
