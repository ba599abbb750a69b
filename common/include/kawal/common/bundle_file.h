// Writing and reading bundle files (docs/bundles.md "File format"):
//   "KAWALBDL" | u16 version | u32 header length | BundleHeader |
//   u64 sealed length | sealed body | Ed25519 signature of all before it.
// The body is sealed to the recipient's X25519 key: a random file key sealed
// with crypto_box_seal, then XChaCha20-Poly1305 over the body with the
// signed prefix (magic .. header) as associated data, so a body cannot be
// moved under another header or signer.
//
// Thread-safety: pure functions.
#ifndef KAWAL_COMMON_BUNDLE_FILE_H_
#define KAWAL_COMMON_BUNDLE_FILE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/v1/bundle.pb.h"

namespace kawal::common {

inline constexpr absl::string_view kBundleMagic = "KAWALBDL";
inline constexpr uint16_t kBundleFormatVersion = 1;

// A bundle whose structure and signature were checked; its body still sealed.
struct VerifiedBundle {
  v1::BundleHeader header;
  // magic .. header: the associated data of the seal.
  std::string signed_prefix;
  std::string sealed_body;
};

// The content-derived bundle id of a body: the same body, the same id.
std::string BundleIdOf(absl::string_view body);

// `body` serialized deterministically (map entries in key order), so that
// the same content always gives the same bytes and bundle id.
std::string SerializeBundleBody(const google::protobuf::MessageLite& body);

// The bytes of a bundle file. Fills header.signer_public_key and
// header.bundle_id (from `body`); part/part_count default to 1 of 1.
// INVALID_ARGUMENT when a key has the wrong size.
absl::StatusOr<std::string> WriteBundle(v1::BundleHeader header, absl::string_view body,
                                        const SigningKeyPair& signer,
                                        absl::string_view recipient_box_public_key);

// As WriteBundle, for one part of a split bundle (kawal/common/bundle_parts.h):
// header.bundle_id, part and part_count are kept as given, since the id is
// that of the whole body, not of `slice`.
absl::StatusOr<std::string> WriteBundleSlice(v1::BundleHeader header, absl::string_view slice,
                                             const SigningKeyPair& signer,
                                             absl::string_view recipient_box_public_key);

// The bytes a bundle file with `header` (signer key and bundle id set) adds
// to its body: magic, version, lengths, header, seal and signature.
uint64_t BundleFileOverhead(const v1::BundleHeader& header);

// Checks the structure and the signature (by the header's signer key; the
// caller decides whether it trusts that key). Errors name the problem:
// INVALID_ARGUMENT for a file that is not a bundle (bad magic), of an
// unknown version, with a malformed header or trailing bytes; DATA_LOSS for
// a truncated file or a signature that does not match (altered or damaged).
absl::StatusOr<VerifiedBundle> ReadBundle(absl::string_view file);

// Opens the sealed body with the recipient's key pair. PERMISSION_DENIED
// when the bundle is sealed to another key; DATA_LOSS when the seal is
// damaged or the body does not match the header's bundle id;
// FAILED_PRECONDITION for one part of a split bundle (OpenBundleParts).
absl::StatusOr<std::string> OpenBundleBody(const VerifiedBundle& bundle,
                                           const BoxKeyPair& recipient);

// Opens the sealed bytes of one bundle or part, without the bundle id check
// (a part's id is that of the whole body). Errors as OpenBundleBody's.
absl::StatusOr<std::string> OpenBundleSlice(const VerifiedBundle& bundle,
                                            const BoxKeyPair& recipient);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_BUNDLE_FILE_H_
