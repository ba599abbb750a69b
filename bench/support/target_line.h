// One line per figure that has a target in issue #7, in a fixed form that
// scripts/bench.sh collects into the summary table of bench/RESULTS.md:
//   target: | what | measured | target | met / short: N% of target |
#ifndef KAWAL_BENCH_SUPPORT_TARGET_LINE_H_
#define KAWAL_BENCH_SUPPORT_TARGET_LINE_H_

#include <string>

namespace kawal::bench {

// `higher_is_better`: the measured value must reach `target` (throughput);
// otherwise stay under it (memory, time).
void PrintTarget(const std::string& what, double measured, double target, const std::string& unit,
                 bool higher_is_better);

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_TARGET_LINE_H_
