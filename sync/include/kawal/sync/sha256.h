// SHA-256 (FIPS 180-4), for content addresses of photos, token hashes and
// deterministic conflict ids. Pure computation, no dependencies.
//
// Thread-safety: a Sha256 object is not shared; the free function is pure.
#ifndef KAWAL_SYNC_SHA256_H_
#define KAWAL_SYNC_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace kawal::sync {

class Sha256 {
 public:
  Sha256();
  void Update(const void* data, size_t size);
  void Update(absl::string_view data) { Update(data.data(), data.size()); }
  // Finishes and returns the 32-byte digest; the object must not be reused.
  std::array<uint8_t, 32> Finish();

 private:
  void Block(const uint8_t* block);
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// Lowercase hex of the SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

// Lowercase hex of any bytes.
std::string ToHex(const uint8_t* data, size_t size);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_SHA256_H_
