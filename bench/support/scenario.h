// A field scenario for the link benchmark (bench/link_bench.cc): what one
// facilitator's device holds before a period, and what it writes offline
// during the period; the runner then syncs it through an emulated link.
// Each scenario is one file under bench/scenarios/ that registers itself
// with KAWAL_BENCH_SCENARIO; its sizes come from its own flags (ABSL_FLAG
// in its file).
#ifndef KAWAL_BENCH_SUPPORT_SCENARIO_H_
#define KAWAL_BENCH_SUPPORT_SCENARIO_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "kawal/mobile/device.h"

namespace kawal::bench {

class Scenario {
 public:
  virtual ~Scenario() = default;
  // One line with the sizes in force, for RESULTS.md.
  virtual std::string Describe() const = 0;
  // Records the device already holds and has synced before the period
  // (written and synced over a fast link; not measured). `desa` is the
  // facilitator's village.
  virtual absl::Status Prepare(mobile::Device& device, const std::string& desa) {
    (void)device;
    (void)desa;
    return absl::OkStatus();
  }
  // The period's offline work; the runner syncs it afterwards.
  virtual absl::Status Work(mobile::Device& device, const std::string& desa) = 0;
};

using ScenarioFactory = std::function<std::unique_ptr<Scenario>()>;

// name -> factory, filled by KAWAL_BENCH_SCENARIO at static initialization.
std::map<std::string, ScenarioFactory>& Scenarios();

struct ScenarioRegistration {
  ScenarioRegistration(const std::string& name, ScenarioFactory factory) {
    Scenarios()[name] = std::move(factory);
  }
};

// In a scenario's .cc (linked into the link benchmark's executable, not a
// library, so the registration is never dropped by the linker):
//   KAWAL_BENCH_SCENARIO("month", [] { return std::make_unique<Month>(); });
#define KAWAL_BENCH_SCENARIO(name, factory) \
  static const ::kawal::bench::ScenarioRegistration kawal_bench_scenario_registration(name, factory)

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_SCENARIO_H_
