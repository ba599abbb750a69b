// Seeds `village` records of a region from the Kemendagri code list
// (server/regions/wilayah.csv), so facilitators find their villages on a
// new server. Idempotent: villages already stored are left alone.
//
// Thread-safety: call once at start-up, before serving.
#ifndef KAWAL_SERVER_APP_REGION_SEED_H_
#define KAWAL_SERVER_APP_REGION_SEED_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kawal/sync/clock.h"
#include "engine/push_applier.h"
#include "aggregates/region_directory.h"

namespace kawal::server {

struct SeedResult {
  int villages_found = 0;   // desa/kelurahan codes under the region
  int villages_added = 0;   // of those, newly stored
  int kecamatan = 0;
};

// Seeds every desa/kelurahan under `region` (any level, e.g. "62.10"),
// named from `regions` (loaded once by the server). INVALID_ARGUMENT for a
// malformed region, NOT_FOUND when the list has no village under it.
absl::StatusOr<SeedResult> SeedRegion(const RegionDirectory& regions, const std::string& region,
                                      PushApplier* applier, sync::Clock* clock);

// Where the regions file is looked for when --regions_file is not given, in
// order: /usr/share/kawal/wilayah.csv (where the .deb puts it, whatever prefix
// the binary was configured with), then <configured prefix>/share/kawal, then
// the source tree (runs from a build folder). Duplicates are left out.
std::vector<std::string> RegionsFileCandidates();

// The first of `candidates` that exists; the first candidate when none does
// (so the error names the packaged location); "" for an empty list.
std::string ChooseRegionsFile(const std::vector<std::string>& candidates);

// ChooseRegionsFile(RegionsFileCandidates()).
std::string DefaultRegionsFile();

}  // namespace kawal::server

#endif  // KAWAL_SERVER_APP_REGION_SEED_H_
