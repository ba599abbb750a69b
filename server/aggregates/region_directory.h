// The Kemendagri region list in memory: names of every code and the
// children of a region at a level, for report rows (every village shows,
// even with no activities) and names.
//
// Thread-safety: immutable after Load.
#ifndef KAWAL_SERVER_AGGREGATES_REGION_DIRECTORY_H_
#define KAWAL_SERVER_AGGREGATES_REGION_DIRECTORY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kawal::server {

class RegionDirectory {
 public:
  // Reads a "code,name" CSV (server/regions/wilayah.csv). An unreadable
  // file gives an empty directory and a FAILED_PRECONDITION status the
  // caller may log.
  static absl::StatusOr<RegionDirectory> Load(const std::string& path);
  RegionDirectory() = default;

  // "" when unknown.
  std::string Name(const std::string& code) const;
  // Codes at `level` (1..4) inside `region` ("" = the whole country),
  // sorted.
  std::vector<std::string> Children(const std::string& region, int level) const;
  size_t size() const { return names_.size(); }

 private:
  std::map<std::string, std::string> names_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_AGGREGATES_REGION_DIRECTORY_H_
