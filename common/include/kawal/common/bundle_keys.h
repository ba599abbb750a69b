// The keys of sync bundles (docs/bundles.md): Ed25519 signing key pairs (a
// device's, the server's) and X25519 box key pairs (the server's; a device
// seals nothing to itself and opens replies with the X25519 form of its
// Ed25519 key). Key files are small text files, secret ones mode 0600.
//
// Thread-safety: pure functions over their arguments and the file system.
#ifndef KAWAL_COMMON_BUNDLE_KEYS_H_
#define KAWAL_COMMON_BUNDLE_KEYS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::common {

// Ed25519: public_key 32 bytes, secret_key 64 bytes (libsodium's form,
// which holds the public key too).
struct SigningKeyPair {
  std::string public_key;
  std::string secret_key;
};

// X25519: public_key and secret_key 32 bytes each.
struct BoxKeyPair {
  std::string public_key;
  std::string secret_key;
};

// What a device needs to know of the server: both public keys, no secret.
struct ServerPublicKeys {
  std::string sign_public_key;
  std::string box_public_key;
};

// The server's bundle keys.
struct ServerBundleKeys {
  SigningKeyPair sign;
  BoxKeyPair box;
  ServerPublicKeys Public() const { return {sign.public_key, box.public_key}; }
};

SigningKeyPair NewSigningKeyPair();
BoxKeyPair NewBoxKeyPair();

// The X25519 key pair of an Ed25519 key pair, so that a reply can be sealed
// to a device known only by its signing key.
absl::StatusOr<BoxKeyPair> BoxKeyPairOf(const SigningKeyPair& signing);
// The X25519 public key of an Ed25519 public key; INVALID_ARGUMENT when the
// bytes are not a valid Ed25519 public key.
absl::StatusOr<std::string> BoxPublicKeyOf(absl::string_view signing_public_key);

// Writes `content` to `path` atomically (temporary file, fsync, rename),
// readable by its owner only (0600).
absl::Status WriteOwnerOnlyFile(const std::string& path, absl::string_view content);

// The server's key file (secret, 0600): created with new keys when missing,
// else read; a file open to others or malformed is refused with its path.
absl::StatusOr<ServerBundleKeys> LoadOrCreateServerKeys(const std::string& path);
// A device's key file (secret, 0600), likewise.
absl::StatusOr<SigningKeyPair> LoadOrCreateDeviceKey(const std::string& path);

// The public server key file that IT staff copy to never-online devices
// (docs/bundles.md): text, no secret in it.
std::string FormatServerPublicKeys(const ServerPublicKeys& keys);
// INVALID_ARGUMENT naming the problem when `text` is not such a file.
absl::StatusOr<ServerPublicKeys> ParseServerPublicKeys(absl::string_view text);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_BUNDLE_KEYS_H_
