#include "bench_flags.h"

#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "workload.h"

ABSL_FLAG(std::string, regions_file, kawal::bench::DefaultRegionsFile(),
          "wilayah.csv with the region codes the workload's desa come from");

namespace kawal::bench {

bool AbslParseFlag(absl::string_view text, IntList* list, std::string* error) {
  list->values.clear();
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(part, &n)) {
      *error = "expected integers separated by commas, e.g. 1,4,16";
      return false;
    }
    list->values.push_back(n);
  }
  return true;
}

std::string AbslUnparseFlag(const IntList& list) { return absl::StrJoin(list.values, ","); }

void ParseBenchFlags(int argc, char** argv) { absl::ParseCommandLine(argc, argv); }

}  // namespace kawal::bench
