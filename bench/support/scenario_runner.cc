#include "scenario_runner.h"

#include "absl/strings/str_cat.h"
#include "bench_device.h"
#include "bench_server.h"
#include "latency.h"
#include "server_process.h"

namespace kawal::bench {
namespace {

constexpr char kDesa[] = "62.10.01.2001";

}  // namespace

absl::StatusOr<LinkRun> RunScenario(Scenario& scenario, const LinkProfile& profile,
                                    const mobile::SyncOptions& options) {
  absl::StatusOr<std::unique_ptr<BenchServer>> server = BenchServer::Start();
  if (!server.ok()) return server.status();
  absl::StatusOr<std::string> token = (*server)->AddFacilitator("ani", {kDesa});
  if (!token.ok()) return token.status();
  testing::TempDir home;
  absl::StatusOr<std::unique_ptr<mobile::Device>> device =
      OpenDevice(home.path() + "/device", (*server)->address(), *token);
  if (!device.ok()) return device.status();
  if (absl::Status s = scenario.Prepare(**device, kDesa); !s.ok()) return s;
  if (auto before = (*device)->Sync(options, nullptr); !before.ok()) return before.status();
  if (absl::Status s = scenario.Work(**device, kDesa); !s.ok()) return s;

  absl::StatusOr<std::unique_ptr<Link>> link = Link::Start((*server)->address(), profile);
  if (!link.ok()) return link.status();
  if (absl::Status s = (*device)->Configure((*link)->address(), *token); !s.ok()) return s;

  LinkRun run;
  int push_reports = 0, pull_reports = 0;
  int last_attempt = 0;
  auto progress = [&](const mobile::SyncProgress& p) {
    // A retry reports too (with a higher attempt count): not a new RPC.
    if (p.attempt != last_attempt) {
      last_attempt = p.attempt;
      return;
    }
    if (p.phase == "push") ++push_reports;
    if (p.phase == "pull") ++pull_reports;
  };
  const auto start = SteadyClock::now();
  absl::StatusOr<mobile::SyncReport> report = (*device)->Sync(options, progress);
  run.seconds = SecondsSince(start);
  if (!report.ok()) return report.status();
  run.wire = (*link)->Count();
  // Each step reports once before its first RPC, then once per RPC.
  run.rpcs = 1 + std::max(0, push_reports - 1) + std::max(0, pull_reports - 1);
  run.retries = report->retries;
  run.pushed = report->pushed;
  run.pulled = report->pulled;
  return run;
}

double IdealSeconds(const LinkRun& clean, const LinkProfile& profile) {
  const double rtt = 2 * absl::ToDoubleSeconds(profile.one_way);
  const double transfer =
      profile.bytes_per_second > 0 ? double(clean.wire.total()) / profile.bytes_per_second : 0;
  return transfer + clean.rpcs * rtt;
}

}  // namespace kawal::bench
