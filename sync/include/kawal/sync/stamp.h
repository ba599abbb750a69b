// Hybrid logical clock stamps: the total order that decides every merge.
//
// Thread-safety: plain value type.
#ifndef KAWAL_SYNC_STAMP_H_
#define KAWAL_SYNC_STAMP_H_

#include <compare>
#include <cstdint>
#include <string>

namespace kawal::sync {

// A write's stamp: (wall_ms, counter, node), compared lexicographically.
// The zero stamp (all fields 0) means "no stamp" and sorts before all others.
struct Stamp {
  int64_t wall_ms = 0;
  uint32_t counter = 0;
  uint64_t node = 0;

  bool IsZero() const { return wall_ms == 0 && counter == 0 && node == 0; }
  friend auto operator<=>(const Stamp&, const Stamp&) = default;
  friend bool operator==(const Stamp&, const Stamp&) = default;
};

// "wall_ms.counter.node-hex", e.g. "1764160000000.3.9f2c..."; for logs,
// conflict records and ids.
std::string StampToString(const Stamp& stamp);

// Node ids print as 16 lowercase hex digits.
std::string NodeToHex(uint64_t node);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_STAMP_H_
