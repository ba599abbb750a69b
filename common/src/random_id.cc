#include "kawal/common/random_id.h"

#include <random>

namespace kawal::common {

std::string RandomHexId(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device entropy;  // getrandom(2) on Linux
  std::string out;
  out.reserve(2 * bytes);
  uint32_t word = 0;
  for (size_t i = 0; i < bytes; ++i) {
    if (i % 4 == 0) word = entropy();
    const uint8_t byte = static_cast<uint8_t>(word >> (8 * (i % 4)));
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

uint64_t RandomNonZeroU64() {
  std::random_device entropy;
  uint64_t value = 0;
  while (value == 0) value = (uint64_t{entropy()} << 32) | entropy();
  return value;
}

}  // namespace kawal::common
