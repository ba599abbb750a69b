// Fuzz target: kawal/common/bundle_file.h ReadBundle and OpenBundleBody on
// untrusted bytes (a file from a USB stick).
//
// Byte 0 picks the mode: raw, the bytes are the whole file; "framed", the
// rest is placed after a valid magic and version so the fuzzer reaches the
// length fields and the header parser; "signed", the rest is the body of a
// bundle written here with fixed keys, then byte 1 picks a position to flip.
// Must never crash; a bundle that reads opens or is refused, and only an
// unaltered signed bundle reads at all.
//
// With KAWAL_FUZZ_ENTRY defined this file also defines LLVMFuzzerTestOneInput.
#include <cstdlib>
#include <string>

#include "fuzz_checks.h"
#include "kawal/common/bundle_file.h"

namespace kawal::fuzz {
namespace {

// Fixed keys: each run makes the same bundles from the same input.
const common::SigningKeyPair& Signer() {
  static const common::SigningKeyPair key = common::NewSigningKeyPair();
  return key;
}
const common::BoxKeyPair& Recipient() {
  static const common::BoxKeyPair key = common::NewBoxKeyPair();
  return key;
}

void ReadAndOpen(const std::string& file) {
  absl::StatusOr<common::VerifiedBundle> bundle = common::ReadBundle(file);
  if (bundle.ok()) (void)common::OpenBundleBody(*bundle, Recipient());
}

}  // namespace

int CheckBundleInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  ReadAndOpen(input);
  if (size < 2) return 0;
  const std::string rest = input.substr(2);
  switch (data[0] % 3) {
    case 0:
      break;
    case 1:
      ReadAndOpen(std::string(common::kBundleMagic) + std::string("\0\1", 2) + rest);
      break;
    case 2: {
      v1::BundleHeader header;
      header.set_kind(v1::DEVICE_EXPORT);
      header.set_user(rest.substr(0, rest.size() / 4));
      absl::StatusOr<std::string> file =
          common::WriteBundle(header, rest, Signer(), Recipient().public_key);
      if (!file.ok()) {
        // Only a header that could not be read back (its user is not
        // UTF-8) is refused.
        v1::BundleHeader read_back;
        if (file.status().code() != absl::StatusCode::kInvalidArgument ||
            read_back.ParseFromString(header.SerializeAsString())) {
          std::abort();
        }
        break;
      }
      absl::StatusOr<common::VerifiedBundle> bundle = common::ReadBundle(*file);
      if (!bundle.ok()) std::abort();
      absl::StatusOr<std::string> body = common::OpenBundleBody(*bundle, Recipient());
      if (!body.ok() || *body != rest) std::abort();
      std::string altered = *file;
      altered[data[1] * altered.size() / 256] ^= 0x20;
      if (common::ReadBundle(altered).ok()) std::abort();
      break;
    }
  }
  return 0;
}

}  // namespace kawal::fuzz

#ifdef KAWAL_FUZZ_ENTRY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kawal::fuzz::CheckBundleInput(data, size);
}
#endif
