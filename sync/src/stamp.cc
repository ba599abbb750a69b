#include "kawal/sync/stamp.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kawal::sync {

std::string NodeToHex(uint64_t node) { return absl::StrFormat("%016x", node); }

std::string StampToString(const Stamp& stamp) {
  return absl::StrCat(stamp.wall_ms, ".", stamp.counter, ".", NodeToHex(stamp.node));
}

}  // namespace kawal::sync
