#include "region_seed.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
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

constexpr size_t kSeedBatch = 500;

}  // namespace

std::string DefaultRegionsFile() {
  std::error_code ec;
  if (std::filesystem::exists(KAWAL_INSTALLED_REGIONS_FILE, ec)) return KAWAL_INSTALLED_REGIONS_FILE;
  return KAWAL_SOURCE_REGIONS_FILE;
}

absl::StatusOr<SeedResult> SeedRegion(const std::string& regions_file, const std::string& region,
                                      PushApplier* applier, sync::Clock* clock) {
  absl::StatusOr<sync::RegionCode> root = sync::RegionCode::Parse(region);
  if (!root.ok()) return root.status();
  std::ifstream in(regions_file);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read regions file ", regions_file, " (set --regions_file)"));
  }
  // Names of every region that is, or encloses, something under `region`.
  std::map<std::string, std::string> names;
  std::vector<sync::RegionCode> villages;
  std::string line;
  while (std::getline(in, line)) {
    size_t comma = line.find(',');
    if (comma == std::string::npos) continue;
    std::string code = line.substr(0, comma);
    std::string name = line.substr(comma + 1);
    if (!name.empty() && name.back() == '\r') name.pop_back();
    absl::StatusOr<sync::RegionCode> parsed = sync::RegionCode::Parse(code);
    if (!parsed.ok()) continue;  // the header row
    if (!parsed->Contains(*root) && !root->Contains(*parsed)) continue;
    names[code] = name;
    if (parsed->level() == sync::RegionLevel::kDesa && root->Contains(*parsed)) {
      villages.push_back(*parsed);
    }
  }
  if (villages.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no desa or kelurahan under region ", region, " in ", regions_file));
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
    add("kabupaten_name", names[kab]);
    add("kecamatan_code", kec);
    add("kecamatan_name", names[kec]);
    add("kind", sync::VillageKindName(village.village_kind()));
    add("name", names[village.str()]);
    add("provinsi_code", prov);
    add("provinsi_name", names[prov]);
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
