#include "kawal/common/bundle_keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "kawal/common/secret_file.h"
#include "sodium_init.h"

namespace kawal::common {
namespace {

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

constexpr absl::string_view kServerKeyTitle = "kawal-server-bundle-keys 1";
constexpr absl::string_view kDeviceKeyTitle = "kawal-device-bundle-key 1";
constexpr absl::string_view kPublicKeyTitle = "kawal-server-key 1";

// "title\nname hex\n...": every key file, secret or public, has this form.
std::string FormatKeyFile(absl::string_view title,
                          const std::vector<std::pair<absl::string_view, std::string>>& keys) {
  std::string out = absl::StrCat(title, "\n");
  for (const auto& [name, value] : keys) absl::StrAppend(&out, name, " ", absl::BytesToHexString(value), "\n");
  return out;
}

// The value of each named key, each of its expected size. Errors name the
// file (`what`) and the line, never a key's value.
absl::StatusOr<std::vector<std::string>> ParseKeyFile(
    absl::string_view text, absl::string_view title, absl::string_view what,
    const std::vector<std::pair<absl::string_view, size_t>>& keys) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n', absl::SkipWhitespace());
  if (lines.empty() || absl::StripAsciiWhitespace(lines[0]) != title) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " does not start with \"", title, "\" (not a Kawal key file?)"));
  }
  std::vector<std::string> values;
  for (const auto& [name, size] : keys) {
    std::string value;
    for (size_t i = 1; i < lines.size(); ++i) {
      absl::string_view line = absl::StripAsciiWhitespace(lines[i]);
      if (!absl::ConsumePrefix(&line, name) || !absl::ConsumePrefix(&line, " ")) continue;
      const bool hex = line.size() == 2 * size &&
                       std::all_of(line.begin(), line.end(), [](char c) { return absl::ascii_isxdigit(c); });
      if (hex) value = absl::HexStringToBytes(line);
      if (!hex) {
        return absl::InvalidArgumentError(absl::StrCat(what, ": the value of \"", name,
                                                       "\" is not ", size, " bytes of hex"));
      }
      break;
    }
    if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(what, " lacks \"", name, "\""));
    values.push_back(std::move(value));
  }
  return values;
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path, absl::string_view what) {
  return ReadOwnerOnlySecretFile(path, std::string(what));
}

absl::StatusOr<SigningKeyPair> SigningKeyPairFromSecret(std::string secret) {
  SigningKeyPair pair{std::string(crypto_sign_PUBLICKEYBYTES, '\0'), std::move(secret)};
  crypto_sign_ed25519_sk_to_pk(Bytes(pair.public_key), Bytes(pair.secret_key));
  return pair;
}

BoxKeyPair BoxKeyPairFromSecret(std::string secret) {
  BoxKeyPair pair{std::string(crypto_box_PUBLICKEYBYTES, '\0'), std::move(secret)};
  crypto_scalarmult_base(Bytes(pair.public_key), Bytes(pair.secret_key));
  return pair;
}

}  // namespace

SigningKeyPair NewSigningKeyPair() {
  EnsureSodium();
  SigningKeyPair pair{std::string(crypto_sign_PUBLICKEYBYTES, '\0'),
                      std::string(crypto_sign_SECRETKEYBYTES, '\0')};
  crypto_sign_keypair(Bytes(pair.public_key), Bytes(pair.secret_key));
  return pair;
}

BoxKeyPair NewBoxKeyPair() {
  EnsureSodium();
  BoxKeyPair pair{std::string(crypto_box_PUBLICKEYBYTES, '\0'),
                  std::string(crypto_box_SECRETKEYBYTES, '\0')};
  crypto_box_keypair(Bytes(pair.public_key), Bytes(pair.secret_key));
  return pair;
}

absl::StatusOr<BoxKeyPair> BoxKeyPairOf(const SigningKeyPair& signing) {
  EnsureSodium();
  if (signing.secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return absl::InvalidArgumentError("signing secret key has the wrong size");
  }
  std::string secret(crypto_box_SECRETKEYBYTES, '\0');
  if (crypto_sign_ed25519_sk_to_curve25519(Bytes(secret), Bytes(signing.secret_key)) != 0) {
    return absl::InvalidArgumentError("signing secret key cannot be converted to a box key");
  }
  return BoxKeyPairFromSecret(std::move(secret));
}

absl::StatusOr<std::string> BoxPublicKeyOf(absl::string_view signing_public_key) {
  EnsureSodium();
  if (signing_public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return absl::InvalidArgumentError(absl::StrCat("an Ed25519 public key has ",
                                                   crypto_sign_PUBLICKEYBYTES, " bytes, not ",
                                                   signing_public_key.size()));
  }
  std::string box(crypto_box_PUBLICKEYBYTES, '\0');
  if (crypto_sign_ed25519_pk_to_curve25519(Bytes(box), Bytes(signing_public_key)) != 0) {
    return absl::InvalidArgumentError("not a valid Ed25519 public key");
  }
  return box;
}

absl::Status WriteOwnerOnlyFile(const std::string& path, absl::string_view content) {
  const std::string temp = absl::StrCat(path, ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", temp, ": ", std::strerror(errno)));
  }
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return absl::InternalError(absl::StrCat("cannot write ", temp, ": ", std::strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  // The mode of an existing temporary file is not reset by O_CREAT.
  const bool ok = ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) return absl::InternalError(absl::StrCat("cannot sync ", temp, ": ", std::strerror(error)));
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", temp, " to ", path, ": ",
                                            std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<ServerBundleKeys> LoadOrCreateServerKeys(const std::string& path) {
  EnsureSodium();
  const std::string what = "server bundle key file";
  if (!std::filesystem::exists(path)) {
    ServerBundleKeys keys{NewSigningKeyPair(), NewBoxKeyPair()};
    absl::Status written = WriteOwnerOnlyFile(
        path, FormatKeyFile(kServerKeyTitle,
                            {{"sign-secret", keys.sign.secret_key}, {"box-secret", keys.box.secret_key}}));
    if (!written.ok()) return written;
    return keys;
  }
  absl::StatusOr<std::string> text = ReadKeyFile(path, what);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<std::string>> values =
      ParseKeyFile(*text, kServerKeyTitle, absl::StrCat(what, " ", path),
                   {{"sign-secret", crypto_sign_SECRETKEYBYTES}, {"box-secret", crypto_box_SECRETKEYBYTES}});
  if (!values.ok()) return values.status();
  absl::StatusOr<SigningKeyPair> sign = SigningKeyPairFromSecret(std::move((*values)[0]));
  if (!sign.ok()) return sign.status();
  return ServerBundleKeys{*std::move(sign), BoxKeyPairFromSecret(std::move((*values)[1]))};
}

absl::StatusOr<SigningKeyPair> LoadOrCreateDeviceKey(const std::string& path) {
  EnsureSodium();
  const std::string what = "device bundle key file";
  if (!std::filesystem::exists(path)) {
    SigningKeyPair key = NewSigningKeyPair();
    absl::Status written =
        WriteOwnerOnlyFile(path, FormatKeyFile(kDeviceKeyTitle, {{"sign-secret", key.secret_key}}));
    if (!written.ok()) return written;
    return key;
  }
  absl::StatusOr<std::string> text = ReadKeyFile(path, what);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<std::string>> values = ParseKeyFile(
      *text, kDeviceKeyTitle, absl::StrCat(what, " ", path), {{"sign-secret", crypto_sign_SECRETKEYBYTES}});
  if (!values.ok()) return values.status();
  return SigningKeyPairFromSecret(std::move((*values)[0]));
}

std::string FormatServerPublicKeys(const ServerPublicKeys& keys) {
  return FormatKeyFile(kPublicKeyTitle,
                       {{"sign-public", keys.sign_public_key}, {"box-public", keys.box_public_key}});
}

absl::StatusOr<ServerPublicKeys> ParseServerPublicKeys(absl::string_view text) {
  absl::StatusOr<std::vector<std::string>> values =
      ParseKeyFile(text, kPublicKeyTitle, "server key file",
                   {{"sign-public", crypto_sign_PUBLICKEYBYTES}, {"box-public", crypto_box_PUBLICKEYBYTES}});
  if (!values.ok()) return values.status();
  return ServerPublicKeys{std::move((*values)[0]), std::move((*values)[1])};
}

}  // namespace kawal::common
