// Bytes on the wire per record (issue #7), counted at a FaultProxy between
// device and server (everything gRPC sends: HTTP/2 frames, headers,
// handshake and acknowledgements included). A facilitator device pushes
// --records new activities; a second device of the same user then pulls
// them cold. Once without and once with gzip (requests compressed by the
// device, responses by the server), each on a fresh server.
//
//   wire_bench [--records=2000]
#include <cstdio>
#include <random>

#include "bench_device.h"
#include "bench_server.h"
#include "bench_flags.h"
#include "link.h"
#include "server_process.h"
#include "workload.h"

ABSL_FLAG(int64_t, records, 2000, "activities pushed and pulled");

namespace kawal::bench {
namespace {

constexpr char kDesa[] = "62.10.01.2001";

struct PerRecord {
  double push_up = 0, push_total = 0, pull_down = 0, pull_total = 0;
};

absl::StatusOr<PerRecord> Measure(int64_t records, bool gzip) {
  absl::StatusOr<std::unique_ptr<BenchServer>> server = BenchServer::Start();
  if (!server.ok()) return server.status();
  absl::StatusOr<std::string> token = (*server)->AddFacilitator("ani", {kDesa});
  if (!token.ok()) return token.status();
  absl::StatusOr<std::unique_ptr<Link>> link = Link::Start((*server)->address(), LinkProfile());
  if (!link.ok()) return link.status();
  testing::TempDir home;
  mobile::SyncOptions options;
  options.gzip = gzip;

  auto phone = OpenDevice(home.path() + "/phone", (*link)->address(), *token);
  if (!phone.ok()) return phone.status();
  std::mt19937_64 rng(1);
  for (int64_t i = 0; i < records; ++i) {
    mobile::FieldValues fields;
    for (auto& [name, value] : ActivityFields(rng)) fields.emplace_back(name, std::move(value));
    if (auto id = (*phone)->Create("activity", kDesa, fields); !id.ok()) return id.status();
  }
  if (auto r = (*phone)->Sync(options, nullptr); !r.ok()) return r.status();
  PerRecord out;
  WireCount push = (*link)->Count();
  out.push_up = double(push.up) / records;
  out.push_total = double(push.total()) / records;

  (*link)->ResetCount();
  auto tablet = OpenDevice(home.path() + "/tablet", (*link)->address(), *token);
  if (!tablet.ok()) return tablet.status();
  auto pulled = (*tablet)->Sync(options, nullptr);
  if (!pulled.ok()) return pulled.status();
  if (pulled->pulled != static_cast<uint64_t>(records)) {
    return absl::InternalError("the second device did not receive every record");
  }
  WireCount pull = (*link)->Count();
  out.pull_down = double(pull.down) / records;
  out.pull_total = double(pull.total()) / records;
  return out;
}

}  // namespace
}  // namespace kawal::bench

int main(int argc, char** argv) {
  using namespace kawal::bench;
  ParseBenchFlags(argc, argv);
  const int64_t records = absl::GetFlag(FLAGS_records);
  std::printf("setup: %lld new activities (8 fields, as in the ingest benchmark) pushed by one "
              "device, pulled cold by a second; bytes counted at a loopback proxy, all gRPC "
              "overhead included\n", (long long)records);
  std::printf("| gzip | push: B/record up | push: B/record both ways | pull: B/record down | "
              "pull: B/record both ways |\n|---|---:|---:|---:|---:|\n");
  for (bool gzip : {false, true}) {
    auto m = Measure(records, gzip);
    if (!m.ok()) {
      std::fprintf(stderr, "%s\n", std::string(m.status().message()).c_str());
      return 1;
    }
    std::printf("| %s | %.0f | %.0f | %.0f | %.0f |\n", gzip ? "on" : "off", m->push_up,
                m->push_total, m->pull_down, m->pull_total);
  }
  return 0;
}
