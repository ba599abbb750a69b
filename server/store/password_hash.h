// Dashboard passwords as Argon2id hashes (Debian's libargon2, the reference
// implementation), stored in the PHC string form so the parameters travel
// with the hash and can be raised later without breaking old hashes.
//
// Thread-safety: pure functions (each call allocates its own memory).
#ifndef KAWAL_SERVER_STORE_PASSWORD_HASH_H_
#define KAWAL_SERVER_STORE_PASSWORD_HASH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::server {

// Passwords shorter than this are refused (NIST SP 800-63B's minimum).
inline constexpr size_t kMinPasswordLength = 8;
// Argon2 accepts more, but a longer one is a mistake or an attack.
inline constexpr size_t kMaxPasswordLength = 1024;

// INVALID_ARGUMENT (never quoting the password) when it is too short, too
// long or holds a NUL or line break.
absl::Status ValidatePassword(absl::string_view password);

// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" with a random 16-byte salt
// (OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes).
absl::StatusOr<std::string> HashPassword(absl::string_view password);

// True when `password` matches `encoded`; false for a mismatch or a
// malformed `encoded` (constant-time comparison inside libargon2).
bool VerifyPassword(absl::string_view password, const std::string& encoded);

// A random password for the first admin: 24 characters of [A-Za-z0-9].
std::string NewRandomPassword();

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_PASSWORD_HASH_H_
