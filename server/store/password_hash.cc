#include "store/password_hash.h"

#include <argon2.h>

#include <cstdint>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"

namespace kawal::server {
namespace {

// OWASP Password Storage Cheat Sheet, Argon2id: m=19 MiB, t=2, p=1. About
// 30 ms per login on one core; logins are rare and throttled.
constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19456;
constexpr uint32_t kParallelism = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

}  // namespace

absl::Status ValidatePassword(absl::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("password is too short: at least ", kMinPasswordLength, " characters"));
  }
  if (password.size() > kMaxPasswordLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("password is too long: at most ", kMaxPasswordLength, " characters"));
  }
  for (char c : password) {
    if (c == '\0' || c == '\n' || c == '\r') {
      return absl::InvalidArgumentError("password may not hold a NUL or a line break");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(absl::string_view password) {
  if (absl::Status s = ValidatePassword(password); !s.ok()) return s;
  std::random_device entropy;  // getrandom(2) on Linux
  uint8_t salt[kSaltBytes];
  for (size_t i = 0; i < kSaltBytes; ++i) salt[i] = static_cast<uint8_t>(entropy());
  std::vector<char> encoded(
      argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltBytes, kHashBytes, Argon2_id) +
      1);
  const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, password.data(),
                                       password.size(), salt, kSaltBytes, kHashBytes,
                                       encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return absl::InternalError(absl::StrCat("hashing a password: ", argon2_error_message(rc)));
  }
  return std::string(encoded.data());
}

bool VerifyPassword(absl::string_view password, const std::string& encoded) {
  if (encoded.empty() || password.size() > kMaxPasswordLength) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string NewRandomPassword() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device entropy;
  // Rejection sampling keeps every character equally likely.
  std::uniform_int_distribution<int> pick(0, sizeof(kAlphabet) - 2);
  std::string out;
  for (int i = 0; i < 24; ++i) out.push_back(kAlphabet[pick(entropy)]);
  return out;
}

}  // namespace kawal::server
