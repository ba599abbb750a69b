#include "workload.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"

namespace kawal::bench {

std::string DefaultRegionsFile() { return KAWAL_REGIONS_FILE; }

absl::StatusOr<std::vector<std::string>> LoadDesa(const std::string& regions_file,
                                                  const std::string& prefix) {
  std::ifstream in(regions_file);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", regions_file));
  std::vector<std::string> desa;
  std::string line;
  while (std::getline(in, line)) {
    std::string code = line.substr(0, line.find(','));
    if (code.rfind(prefix, 0) != 0) continue;
    absl::StatusOr<sync::RegionCode> parsed = sync::RegionCode::Parse(code);
    if (parsed.ok() && parsed->level() == sync::RegionLevel::kDesa &&
        parsed->village_kind() != sync::VillageKind::kKelurahan) {
      desa.push_back(code);
    }
  }
  if (desa.empty()) {
    return absl::NotFoundError(absl::StrCat("no desa under '", prefix, "' in ", regions_file));
  }
  return desa;
}

std::vector<std::pair<std::string, sync::Value>> ActivityFields(std::mt19937_64& rng) {
  return {
      {"budget", sync::AmountMap{{"DDS", int64_t(50'000'000 + rng() % 200'000'000)},
                                 {"ADD", int64_t(rng() % 50'000'000)}}},
      {"name", std::string("Pembangunan jalan usaha tani dusun ") + std::to_string(rng() % 10)},
      {"physical_progress_pct", double(rng() % 101)},
      {"sdg_goals", sync::ScalarList{int64_t(1 + rng() % 18)}},
      {"sector", int64_t(1 + rng() % 5)},
      {"spent", sync::AmountMap{{"DDS", int64_t(rng() % 50'000'000)}}},
      {"status", std::string(rng() % 2 ? "in_progress" : "done")},
      {"year", int64_t{2026}},
  };
}

sync::RecordDelta ActivityDelta(sync::Clock& clock, const std::string& id,
                                const std::string& scope, std::mt19937_64& rng) {
  sync::RecordDelta d;
  d.collection = sync::kActivity;
  d.id = id;
  d.scope = scope;
  for (auto& [field, value] : ActivityFields(rng)) {
    d.changes.push_back(sync::FieldChange{field, std::move(value), clock.Now(), {}});
  }
  return d;
}

}  // namespace kawal::bench
