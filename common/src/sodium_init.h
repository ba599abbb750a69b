// libsodium must be initialised once before use; every bundle function
// calls this first.
#ifndef KAWAL_COMMON_SRC_SODIUM_INIT_H_
#define KAWAL_COMMON_SRC_SODIUM_INIT_H_

#include <sodium.h>

#include <cstdlib>

namespace kawal::common {

// Aborts when libsodium cannot initialise (no entropy source): nothing
// cryptographic can be done safely then.
inline void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

}  // namespace kawal::common

#endif  // KAWAL_COMMON_SRC_SODIUM_INIT_H_
