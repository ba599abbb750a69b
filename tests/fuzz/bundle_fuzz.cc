// Fuzz target: kawal/common/bundle_file.h ReadBundle and OpenBundleBody, and
// bundle_parts.h CollectBundleParts and OpenBundleParts, on untrusted bytes
// (a file from a USB stick).
//
// The bytes are always read raw, as the whole file. Then byte 0 picks a
// mode: raw only; "framed", the rest is placed after a valid magic and
// version so the fuzzer reaches the length fields and the header parser;
// "signed", the rest is the body of a bundle written here with fixed keys,
// then byte 1 picks a position to flip; "split", the rest is a body split
// into parts of at most 400 + 8 * byte 1 bytes, joined again in order and
// reversed, then with byte 1 picking a part and a position to flip, and
// with the last part dropped. Must never crash; a bundle that reads opens
// or is refused; only unaltered bundles read, and only complete, unaltered
// parts join, to the body they were made of.
//
// With KAWAL_FUZZ_ENTRY defined this file also defines LLVMFuzzerTestOneInput.
#include <cstdlib>
#include <string>

#include <algorithm>
#include <vector>

#include "fuzz_checks.h"
#include "kawal/common/bundle_file.h"
#include "kawal/common/bundle_parts.h"

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
  absl::StatusOr<std::vector<common::VerifiedBundle>> parts = common::CollectBundleParts({file});
  if (parts.ok()) (void)common::OpenBundleParts(*parts, Recipient());
}

// The body the parts join to, or its error.
absl::StatusOr<std::string> Join(const std::vector<std::string>& files) {
  absl::StatusOr<std::vector<common::VerifiedBundle>> parts = common::CollectBundleParts(files);
  if (!parts.ok()) return parts.status();
  return common::OpenBundleParts(*parts, Recipient());
}

void SplitAndJoin(const std::string& body, uint8_t knob) {
  const uint64_t max_bytes = 400 + 8 * uint64_t{knob};
  v1::BundleHeader header;
  header.set_kind(v1::DEVICE_EXPORT);
  absl::StatusOr<std::vector<std::string>> files =
      common::WriteBundleParts(header, body, Signer(), Recipient().public_key, max_bytes);
  if (!files.ok()) return;  // a maximum too small for this body: refused
  for (const std::string& file : *files) {
    if (file.size() > max_bytes) std::abort();
  }
  absl::StatusOr<std::string> joined = Join(*files);
  if (!joined.ok() || *joined != body) std::abort();
  std::vector<std::string> reversed(files->rbegin(), files->rend());
  joined = Join(reversed);
  if (!joined.ok() || *joined != body) std::abort();
  std::vector<std::string> altered = *files;
  std::string& part = altered[knob % altered.size()];
  part[knob * part.size() / 256] ^= 0x20;
  if (Join(altered).ok()) std::abort();
  if (files->size() > 1) {
    files->pop_back();
    if (Join(*files).ok()) std::abort();
  }
}

}  // namespace

int CheckBundleInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  ReadAndOpen(input);
  if (size < 2) return 0;
  const std::string rest = input.substr(2);
  switch (data[0] % 4) {
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
    case 3:
      SplitAndJoin(rest, data[1]);
      break;
  }
  return 0;
}

}  // namespace kawal::fuzz

#ifdef KAWAL_FUZZ_ENTRY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kawal::fuzz::CheckBundleInput(data, size);
}
#endif
