// kawal_version(): which library and ABI an app runs against.
#include "kawal/kawal.h"

extern "C" const char* kawal_version(int* abi_version) KAWAL_NOEXCEPT {
  if (abi_version != nullptr) *abi_version = KAWAL_ABI_VERSION;
  return KAWAL_LIBRARY_VERSION;
}
