// SHA-256 of photo content, by OpenSSL's libcrypto (EVP), which uses the
// CPU's SHA extensions (SHA-NI, ARMv8 SHA2) where present: photos are up to
// 20 MB and are hashed on import, upload completion and download.
//
// sync/ keeps its own small portable SHA-256 (kawal/sync/sha256.h) for
// token hashes and conflict ids, so that the shared core links nothing but
// absl; both produce the same digests (docs/build.md).
//
// Thread-safety: a Sha256 object is used by one thread at a time; the free
// function is reentrant.
#ifndef KAWAL_COMMON_SHA256_H_
#define KAWAL_COMMON_SHA256_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace kawal::common {

// Incremental SHA-256. libcrypto fails here only when it cannot allocate,
// which aborts the process as operator new would.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  void Update(absl::string_view data) { Update(data.data(), data.size()); }
  // The 64 lowercase hex digits of the digest; the object must not be
  // updated afterwards.
  std::string FinishHex();

 private:
  evp_md_ctx_st* ctx_;
};

// Lowercase hex of the SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_SHA256_H_
