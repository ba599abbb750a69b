// Command-line flags of the benchmark drivers. Each driver defines its own
// flags with ABSL_FLAG next to its main() (a scenario next to its class);
// this header has what they share: the parse call, --regions_file and the
// IntList flag type ("--devices=1,4,16"). Drivers print every value they
// used, so a figure in RESULTS.md always carries its setup.
//
// Thread-safety: flags are parsed once in main() before any thread starts;
// absl::GetFlag is safe from any thread afterwards.
#ifndef KAWAL_BENCH_SUPPORT_BENCH_FLAGS_H_
#define KAWAL_BENCH_SUPPORT_BENCH_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/string_view.h"

namespace kawal::bench {

// A comma-separated list of integers, "1,4,16".
struct IntList {
  std::vector<int64_t> values;
};
bool AbslParseFlag(absl::string_view text, IntList* list, std::string* error);
std::string AbslUnparseFlag(const IntList& list);

// absl::ParseCommandLine: an unknown flag or a value that does not parse
// stops the driver (exit 1) rather than run a long benchmark with the
// default.
void ParseBenchFlags(int argc, char** argv);

}  // namespace kawal::bench

// The wilayah.csv the workloads take their desa from (workload.h).
ABSL_DECLARE_FLAG(std::string, regions_file);

#endif  // KAWAL_BENCH_SUPPORT_BENCH_FLAGS_H_
