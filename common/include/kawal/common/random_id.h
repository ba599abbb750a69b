// Random identifiers from the operating system's entropy (getrandom(2) on
// Linux): record ids, database incarnations, node ids, tokens.
//
// Thread-safety: safe to call from any thread.
#ifndef KAWAL_COMMON_RANDOM_ID_H_
#define KAWAL_COMMON_RANDOM_ID_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace kawal::common {

// `bytes` random bytes as 2*bytes lowercase hex digits.
std::string RandomHexId(size_t bytes);

// A random 64-bit number that is never 0 (0 means "unset" in node ids).
uint64_t RandomNonZeroU64();

}  // namespace kawal::common

#endif  // KAWAL_COMMON_RANDOM_ID_H_
