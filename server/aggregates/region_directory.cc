#include "aggregates/region_directory.h"

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "kawal/sync/region.h"

namespace kawal::server {

absl::StatusOr<RegionDirectory> RegionDirectory::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::FailedPreconditionError(absl::StrCat("cannot read regions file ", path));
  RegionDirectory directory;
  std::string line;
  while (std::getline(in, line)) {
    size_t comma = line.find(',');
    if (comma == std::string::npos || comma == 0 || line[0] < '0' || line[0] > '9') continue;
    std::string name = line.substr(comma + 1);
    if (!name.empty() && name.back() == '\r') name.pop_back();
    directory.names_[line.substr(0, comma)] = name;
  }
  return directory;
}

std::string RegionDirectory::Name(const std::string& code) const {
  auto it = names_.find(code);
  return it == names_.end() ? "" : it->second;
}

std::vector<std::string> RegionDirectory::Children(const std::string& region, int level) const {
  std::vector<std::string> out;
  const std::string prefix = region.empty() ? "" : region + ".";
  for (auto it = names_.lower_bound(prefix); it != names_.end(); ++it) {
    if (!absl::StartsWith(it->first, prefix)) break;
    absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(it->first);
    if (code.ok() && static_cast<int>(code->level()) == level) out.push_back(it->first);
  }
  if (!region.empty() && out.empty()) {
    absl::StatusOr<sync::RegionCode> self = sync::RegionCode::Parse(region);
    if (self.ok() && static_cast<int>(self->level()) == level && names_.count(region)) {
      out.push_back(region);
    }
  }
  return out;
}

}  // namespace kawal::server
