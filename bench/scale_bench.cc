// How ingest and pull cost grow with the server's size (issue #7): for each
// size N (10k, 100k, 1M by default) a fresh server is loaded with N
// activities over the desa of 62.10 by 4 devices, then:
//  - ingest: records/s over the whole load and over its last 10%;
//  - cold pull of the district by a tool (every record, whole): records/s;
//  - incremental pull: 1,000 records edited after a cursor, pulled from it;
//  - the server's peak RSS over all of it.
// Data lives in the system temp folder and is removed after each size.
//
//   scale_bench [--sizes=10000,100000,1000000]
#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "bench_flags.h"
#include "ingest_driver.h"
#include "kawal/sync/codec.h"
#include "latency.h"
#include "process_stats.h"
#include "workload.h"

ABSL_FLAG(kawal::bench::IntList, sizes, (kawal::bench::IntList{{10000, 100000, 1000000}}),
          "server sizes in records, one run each");

namespace kawal::bench {
namespace {

// Pulls the district from `cursor` to the end, page by page (keeping only
// every `every`-th record in `sample`, if given); returns the count.
absl::StatusOr<int64_t> PullEverything(testing::TestClient& client, std::string* cursor,
                                       int64_t every, std::vector<v1::Record>* sample) {
  int64_t count = 0;
  for (bool more = true; more;) {
    v1::PullRequest request;
    request.add_scopes("62.10");
    request.set_cursor(*cursor);
    request.set_whole_records(true);
    v1::PullResponse response;
    grpc::Status s = client.Pull(request, &response);
    if (!s.ok()) return absl::InternalError(s.error_message());
    for (v1::Record& r : *response.mutable_records()) {
      if (sample != nullptr && every > 0 && count % every == 0) sample->push_back(std::move(r));
      ++count;
    }
    *cursor = response.cursor();
    more = response.has_more();
  }
  return count;
}

struct Growth {
  double ingest_rate = 0, tail_rate = 0, pull_rate = 0, incremental_ms = 0;
  int64_t pulled = 0, incremental = 0;
  uint64_t disk = 0;
  int64_t server_peak_kb = 0;
};

absl::StatusOr<Growth> Measure(int64_t size, const std::vector<std::string>& desa) {
  absl::StatusOr<std::unique_ptr<BenchServer>> server = BenchServer::Start();
  if (!server.ok()) return server.status();
  Growth g;
  IngestPlan plan;
  plan.devices = 4;
  plan.desa = desa;
  plan.records = size - size / 10;
  plan.id_prefix = "head";
  absl::StatusOr<IngestResult> head = RunIngest(**server, plan);
  if (!head.ok()) return head.status();
  plan.records = size / 10;
  plan.id_prefix = "tail";
  plan.seed = 43;
  absl::StatusOr<IngestResult> tail = RunIngest(**server, plan);
  if (!tail.ok()) return tail.status();
  g.ingest_rate = (head->records + tail->records) / (head->seconds + tail->seconds);
  g.tail_rate = tail->RecordsPerSecond();

  testing::TestClient& admin = (*server)->admin();
  admin.set_whole_records(true);
  std::string cursor;
  std::vector<v1::Record> sample;  // every 1/1000th record, the edits' targets
  auto start = SteadyClock::now();
  absl::StatusOr<int64_t> pulled = PullEverything(admin, &cursor, std::max<int64_t>(1, size / 1000), &sample);
  if (!pulled.ok()) return pulled.status();
  g.pull_rate = *pulled / SecondsSince(start);
  g.pulled = *pulled;

  // 1,000 edits after the cursor, spread over the district.
  sync::Clock clock(0x5ca1e);
  std::vector<sync::RecordDelta> edits;
  for (size_t i = 0; i < sample.size(); ++i) {
    // Based on the stored stamp: an edit made on top of what the writer
    // saw, not a concurrent one (which would add a conflict record).
    absl::StatusOr<sync::RecordState> r = sync::FromProto(sample[i]);
    if (!r.ok()) return r.status();
    edits.push_back(testing::EditField(clock, r->collection, r->id, r->scope,
                                       "physical_progress_pct", double(i % 100),
                                       r->fields.at("physical_progress_pct").stamp));
    if (edits.size() == 500 || i + 1 == sample.size()) {
      v1::PushResponse response;
      grpc::Status s = admin.Push(testing::MakePush(0, edits), &response);
      if (!s.ok()) return absl::InternalError(s.error_message());
      edits.clear();
    }
  }
  start = SteadyClock::now();
  pulled = PullEverything(admin, &cursor, 0, nullptr);
  if (!pulled.ok()) return pulled.status();
  g.incremental_ms = SecondsSince(start) * 1000;
  g.incremental = *pulled;
  g.disk = DirBytes((*server)->data_dir());
  g.server_peak_kb = PeakRssKbOf((*server)->pid());
  return g;
}

}  // namespace
}  // namespace kawal::bench

int main(int argc, char** argv) {
  using namespace kawal::bench;
  ParseBenchFlags(argc, argv);
  auto desa = LoadDesa(absl::GetFlag(FLAGS_regions_file), "62.10.");
  if (!desa.ok()) return 1;
  std::printf("setup: N activities over the %zu desa of 62.10 pushed by 4 devices in batches of "
              "500 (synced WAL); pulls by an admin tool over loopback, pages of 2,000\n",
              desa->size());
  std::printf("| records | ingest records/s | last 10%% records/s | cold pull records/s | "
              "incremental pull (1,000 changed) ms | data dir MB | server peak RSS MB |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|\n");
  for (int64_t size : absl::GetFlag(FLAGS_sizes).values) {
    auto g = Measure(size, *desa);
    if (!g.ok()) {
      std::fprintf(stderr, "size %lld: %s\n", (long long)size,
                   std::string(g.status().message()).c_str());
      return 1;
    }
    std::printf("| %lld | %.0f | %.0f | %.0f (%lld) | %.1f (%lld) | %.0f | %.0f |\n",
                (long long)size, g->ingest_rate, g->tail_rate, g->pull_rate, (long long)g->pulled,
                g->incremental_ms, (long long)g->incremental, g->disk / 1e6,
                g->server_peak_kb / 1024.0);
    std::fflush(stdout);
  }
  return 0;
}
