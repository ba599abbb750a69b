#include "app/region_seed.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "base/server_tuning.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"

#ifndef KAWAL_SOURCE_REGIONS_FILE
#define KAWAL_SOURCE_REGIONS_FILE ""
#endif
#ifndef KAWAL_INSTALLED_REGIONS_FILE
#define KAWAL_INSTALLED_REGIONS_FILE "/usr/share/kawal/wilayah.csv"
#endif

namespace kawal::server {
namespace {

using tuning::kSeedBatch;

}  // namespace

std::vector<std::string> RegionsFileCandidates() {
  std::vector<std::string> candidates;
  for (const char* path : {"/usr/share/kawal/wilayah.csv", KAWAL_INSTALLED_REGIONS_FILE,
                           KAWAL_SOURCE_REGIONS_FILE}) {
    if (path[0] == '\0') continue;
    if (std::find(candidates.begin(), candidates.end(), path) == candidates.end()) {
      candidates.push_back(path);
    }
  }
  return candidates;
}

std::string ChooseRegionsFile(const std::vector<std::string>& candidates) {
  for (const std::string& path : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return path;
  }
  return candidates.empty() ? "" : candidates.front();
}

std::string DefaultRegionsFile() { return ChooseRegionsFile(RegionsFileCandidates()); }

absl::StatusOr<SeedResult> SeedRegion(const RegionDirectory& regions, const std::string& region,
                                      PushApplier* applier, sync::Clock* clock) {
  absl::StatusOr<sync::RegionCode> root = sync::RegionCode::Parse(region);
  if (!root.ok()) return root.status();
  std::vector<sync::RegionCode> villages;
  for (const std::string& code : regions.Children(region, 4)) {
    villages.push_back(*sync::RegionCode::Parse(code));
  }
  if (villages.empty()) {
    return absl::NotFoundError(absl::StrCat("no desa or kelurahan under region ", region,
                                            " in the regions file (", regions.size(),
                                            " codes; set --regions_file)"));
  }
  SeedResult result;
  result.villages_found = static_cast<int>(villages.size());
  std::map<std::string, bool> kecamatan;
  std::vector<sync::RecordDelta> batch;
  auto flush = [&]() -> absl::Status {
    if (batch.empty()) return absl::OkStatus();
    absl::StatusOr<std::vector<DeltaOutcome>> outcomes =
        applier->Apply(batch, sync::Writer::kServer, 0);
    if (!outcomes.ok()) return outcomes.status();
    for (const DeltaOutcome& o : *outcomes) {
      if (!o.status.ok()) return o.status;
    }
    batch.clear();
    return absl::OkStatus();
  };
  for (const sync::RegionCode& village : villages) {
    kecamatan[village.Parent().str()] = true;
    absl::StatusOr<sync::RecordState> existing = applier->Get(sync::kVillage, village.str());
    if (!existing.ok()) return existing.status();
    if (!existing->IsEmpty()) continue;
    sync::RecordDelta d;
    d.collection = sync::kVillage;
    d.id = village.str();
    d.scope = village.str();
    auto add = [&](const char* field, std::string value) {
      d.changes.push_back(sync::FieldChange{field, std::move(value), clock->Now(), {}});
    };
    const std::string kec = village.AncestorAt(sync::RegionLevel::kKecamatan).str();
    const std::string kab = village.AncestorAt(sync::RegionLevel::kKabupaten).str();
    const std::string prov = village.AncestorAt(sync::RegionLevel::kProvinsi).str();
    add("kabupaten_code", kab);
    add("kabupaten_name", regions.Name(kab));
    add("kecamatan_code", kec);
    add("kecamatan_name", regions.Name(kec));
    add("kind", sync::VillageKindName(village.village_kind()));
    add("name", regions.Name(village.str()));
    add("provinsi_code", prov);
    add("provinsi_name", regions.Name(prov));
    batch.push_back(std::move(d));
    ++result.villages_added;
    if (batch.size() >= kSeedBatch) {
      if (absl::Status s = flush(); !s.ok()) return s;
    }
  }
  if (absl::Status s = flush(); !s.ok()) return s;
  result.kecamatan = static_cast<int>(kecamatan.size());
  return result;
}

}  // namespace kawal::server
