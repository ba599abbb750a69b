#include "kawal/common/bundle_file.h"

#include <sodium.h>

#include <cstdint>
#include <utility>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sodium_init.h"

namespace kawal::common {
namespace {

// Limits that keep a hostile file from making the reader allocate much.
constexpr uint32_t kMaxHeaderBytes = 64 * 1024;
constexpr size_t kSignatureBytes = crypto_sign_BYTES;
constexpr size_t kFileKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kSealedKeyBytes = crypto_box_SEALBYTES + kFileKeyBytes;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kSealOverhead =
    kSealedKeyBytes + kNonceBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES;
// Keyed so that the id is a bundle id and nothing else's hash.
constexpr absl::string_view kBundleIdKey = "kawal bundle id v1";

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

void AppendBigEndian(std::string* out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t ReadBigEndian(absl::string_view in, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<uint8_t>(in[i]);
  return value;
}

absl::Status Truncated(absl::string_view where) {
  return absl::DataLossError(
      absl::StrCat("bundle file is truncated (it ends inside its ", where,
                   "); copy it again from the device or the USB stick"));
}

// Seals `body` to `recipient` with `associated` bound to it.
std::string Seal(absl::string_view body, absl::string_view associated,
                 absl::string_view recipient) {
  std::string file_key(kFileKeyBytes, '\0');
  crypto_aead_xchacha20poly1305_ietf_keygen(Bytes(file_key));
  std::string sealed(kSealOverhead + body.size(), '\0');
  crypto_box_seal(Bytes(sealed), Bytes(file_key), file_key.size(), Bytes(recipient));
  unsigned char* nonce = Bytes(sealed) + kSealedKeyBytes;
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long cipher_size = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, &cipher_size, Bytes(body),
                                             body.size(), Bytes(associated), associated.size(),
                                             nullptr, nonce, Bytes(file_key));
  sodium_memzero(file_key.data(), file_key.size());
  return sealed;
}

}  // namespace

std::string BundleIdOf(absl::string_view body) {
  EnsureSodium();
  std::string id(32, '\0');
  crypto_generichash(Bytes(id), id.size(), Bytes(body), body.size(), Bytes(kBundleIdKey),
                     kBundleIdKey.size());
  return id;
}

std::string SerializeBundleBody(const google::protobuf::MessageLite& body) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    body.SerializeToCodedStream(&coded);
  }
  return out;
}

absl::StatusOr<std::string> WriteBundle(v1::BundleHeader header, absl::string_view body,
                                        const SigningKeyPair& signer,
                                        absl::string_view recipient_box_public_key) {
  header.set_bundle_id(BundleIdOf(body));
  if (header.part() == 0) header.set_part(1);
  if (header.part_count() == 0) header.set_part_count(1);
  return WriteBundleSlice(std::move(header), body, signer, recipient_box_public_key);
}

absl::StatusOr<std::string> WriteBundleSlice(v1::BundleHeader header, absl::string_view slice,
                                             const SigningKeyPair& signer,
                                             absl::string_view recipient_box_public_key) {
  EnsureSodium();
  if (signer.public_key.size() != crypto_sign_PUBLICKEYBYTES ||
      signer.secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return absl::InvalidArgumentError("bundle signing key has the wrong size");
  }
  if (recipient_box_public_key.size() != crypto_box_PUBLICKEYBYTES) {
    return absl::InvalidArgumentError("bundle recipient key has the wrong size");
  }
  header.set_signer_public_key(signer.public_key);
  std::string header_bytes;
  if (!header.SerializeToString(&header_bytes) || header_bytes.size() > kMaxHeaderBytes) {
    return absl::InvalidArgumentError("bundle header is too large");
  }
  // A header ReadBundle could not parse would make a file nobody can read
  // (protobuf refuses text fields that are not UTF-8, e.g. a user name).
  if (v1::BundleHeader readable; !readable.ParseFromString(header_bytes)) {
    return absl::InvalidArgumentError("bundle header has a text field that is not valid UTF-8");
  }
  std::string out(kBundleMagic);
  AppendBigEndian(&out, kBundleFormatVersion, 2);
  AppendBigEndian(&out, header_bytes.size(), 4);
  out += header_bytes;
  const std::string sealed = Seal(slice, out, recipient_box_public_key);
  AppendBigEndian(&out, sealed.size(), 8);
  out += sealed;
  std::string signature(kSignatureBytes, '\0');
  crypto_sign_detached(Bytes(signature), nullptr, Bytes(out), out.size(), Bytes(signer.secret_key));
  out += signature;
  return out;
}

uint64_t BundleFileOverhead(const v1::BundleHeader& header) {
  return kBundleMagic.size() + 2 + 4 + header.ByteSizeLong() + 8 + kSealOverhead +
         kSignatureBytes;
}

absl::StatusOr<VerifiedBundle> ReadBundle(absl::string_view file) {
  EnsureSodium();
  const absl::string_view whole = file;
  if (file.empty()) return absl::InvalidArgumentError("bundle file is empty");
  if (!absl::StartsWith(kBundleMagic, file.substr(0, kBundleMagic.size()))) {
    return absl::InvalidArgumentError(
        "not a Kawal bundle file (it does not start with \"KAWALBDL\")");
  }
  if (file.size() < kBundleMagic.size() + 2) return Truncated("format version");
  file.remove_prefix(kBundleMagic.size());
  const uint64_t version = ReadBigEndian(file, 2);
  file.remove_prefix(2);
  if (version != kBundleFormatVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("bundle format version ", version, " is not supported (this program reads ",
                     kBundleFormatVersion, "); update kawal-field or kawal-admin"));
  }
  if (file.size() < 4) return Truncated("header length");
  const uint64_t header_size = ReadBigEndian(file, 4);
  file.remove_prefix(4);
  if (header_size > kMaxHeaderBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("bundle header length ", header_size, " is over the limit of ",
                     kMaxHeaderBytes, " bytes (damaged file?)"));
  }
  if (file.size() < header_size) return Truncated("header");
  const absl::string_view header_bytes = file.substr(0, header_size);
  file.remove_prefix(header_size);
  const size_t prefix_size = whole.size() - file.size();
  if (file.size() < 8) return Truncated("body length");
  const uint64_t sealed_size = ReadBigEndian(file, 8);
  file.remove_prefix(8);
  if (sealed_size > file.size() || file.size() - sealed_size < kSignatureBytes) {
    return Truncated(sealed_size > file.size() ? "body" : "signature");
  }
  if (file.size() - sealed_size > kSignatureBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bundle file has ", file.size() - sealed_size - kSignatureBytes,
        " unexpected bytes after its signature (damaged file, or two files joined?)"));
  }
  if (sealed_size < kSealOverhead) {
    return absl::InvalidArgumentError("bundle body is too short to be sealed (damaged file?)");
  }
  VerifiedBundle bundle;
  if (!bundle.header.ParseFromArray(header_bytes.data(), static_cast<int>(header_bytes.size()))) {
    return absl::InvalidArgumentError("bundle header cannot be read (damaged file?)");
  }
  const std::string& signer = bundle.header.signer_public_key();
  if (signer.size() != crypto_sign_PUBLICKEYBYTES) {
    return absl::InvalidArgumentError("bundle header has no valid signer key (damaged file?)");
  }
  const absl::string_view signed_part = whole.substr(0, whole.size() - kSignatureBytes);
  if (crypto_sign_verify_detached(Bytes(whole.substr(signed_part.size())), Bytes(signed_part),
                                  signed_part.size(), Bytes(signer)) != 0) {
    return absl::DataLossError(
        "bundle signature does not match its content: the file was altered or damaged");
  }
  bundle.signed_prefix = std::string(whole.substr(0, prefix_size));
  bundle.sealed_body = std::string(file.substr(0, sealed_size));
  return bundle;
}

absl::StatusOr<std::string> OpenBundleSlice(const VerifiedBundle& bundle,
                                            const BoxKeyPair& recipient) {
  EnsureSodium();
  if (recipient.public_key.size() != crypto_box_PUBLICKEYBYTES ||
      recipient.secret_key.size() != crypto_box_SECRETKEYBYTES) {
    return absl::InvalidArgumentError("bundle recipient key has the wrong size");
  }
  const absl::string_view sealed = bundle.sealed_body;
  if (sealed.size() < kSealOverhead) return absl::DataLossError("bundle body is too short");
  std::string file_key(kFileKeyBytes, '\0');
  if (crypto_box_seal_open(Bytes(file_key), Bytes(sealed), kSealedKeyBytes,
                           Bytes(recipient.public_key), Bytes(recipient.secret_key)) != 0) {
    return absl::PermissionDeniedError(
        "bundle is sealed to another key: it is not meant for this server or device");
  }
  const unsigned char* nonce = Bytes(sealed) + kSealedKeyBytes;
  const size_t cipher_size = sealed.size() - kSealedKeyBytes - kNonceBytes;
  std::string body(cipher_size - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long body_size = 0;
  const int opened = crypto_aead_xchacha20poly1305_ietf_decrypt(
      Bytes(body), &body_size, nullptr, nonce + kNonceBytes, cipher_size,
      Bytes(bundle.signed_prefix), bundle.signed_prefix.size(), nonce, Bytes(file_key));
  sodium_memzero(file_key.data(), file_key.size());
  if (opened != 0) {
    return absl::DataLossError("bundle body does not open: the file was altered or damaged");
  }
  return body;
}

absl::StatusOr<std::string> OpenBundleBody(const VerifiedBundle& bundle,
                                           const BoxKeyPair& recipient) {
  if (bundle.header.part_count() != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("this file is part ", bundle.header.part(), " of ",
                     bundle.header.part_count(), " of a bundle: open all its parts together"));
  }
  absl::StatusOr<std::string> body = OpenBundleSlice(bundle, recipient);
  if (!body.ok()) return body.status();
  if (BundleIdOf(*body) != bundle.header.bundle_id()) {
    return absl::DataLossError("bundle body does not match its bundle id");
  }
  return body;
}

}  // namespace kawal::common
