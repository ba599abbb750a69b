// What the benchmarks write: desa codes from the Kemendagri list and
// activities shaped like real ones (budget over two sources, spending,
// progress, an SDGs goal, sector, status), the same for every driver so
// their figures compare.
#ifndef KAWAL_BENCH_SUPPORT_WORKLOAD_H_
#define KAWAL_BENCH_SUPPORT_WORKLOAD_H_

#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/record.h"

namespace kawal::bench {

// The regions CSV compiled in (server/regions/wilayah.csv of the source).
std::string DefaultRegionsFile();

// Desa codes (kelurahan excluded) under `prefix` ("" = the whole country),
// in file order.
absl::StatusOr<std::vector<std::string>> LoadDesa(const std::string& regions_file,
                                                  const std::string& prefix);

// An activity's fields, random but valid.
std::vector<std::pair<std::string, sync::Value>> ActivityFields(std::mt19937_64& rng);

// A create delta for activity `id` in desa `scope`, every field stamped by
// `clock`.
sync::RecordDelta ActivityDelta(sync::Clock& clock, const std::string& id,
                                const std::string& scope, std::mt19937_64& rng);

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_WORKLOAD_H_
