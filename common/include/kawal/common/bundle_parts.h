// A bundle split by size (docs/bundles.md "Parts"): each part is a whole
// bundle file (kawal/common/bundle_file.h) whose header says part k of n and
// carries the id of the whole body; its sealed body is the k-th slice of the
// serialized whole body. The header is the seal's associated data, so a
// slice cannot be moved to another part or bundle.
//
// Thread-safety: pure functions.
#ifndef KAWAL_COMMON_BUNDLE_PARTS_H_
#define KAWAL_COMMON_BUNDLE_PARTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/common/bundle_file.h"

namespace kawal::common {

// At most this many parts: more would be a stick full of files for one
// bundle, the sign of a --max_bytes mistyped.
inline constexpr uint32_t kMaxBundleParts = 10000;

// The files of `body` split so that each is at most `max_bytes` long:
// part 1 of n .. n of n, in order, all with header.bundle_id =
// BundleIdOf(body). One file (part 1 of 1, as WriteBundle) when it fits.
// INVALID_ARGUMENT naming the smallest usable size when `max_bytes` cannot
// hold a part's header, seal and signature with at least one body byte, or
// when the body would need more than kMaxBundleParts parts.
absl::StatusOr<std::vector<std::string>> WriteBundleParts(
    const v1::BundleHeader& header, absl::string_view body, const SigningKeyPair& signer,
    absl::string_view recipient_box_public_key, uint64_t max_bytes);

// Reads every file (ReadBundle) and checks that they are the parts of one
// bundle: the same bundle id, signer, kind, device, user and part count,
// each part once, none missing. Returns them in part order. Errors name the
// file or the part ("part 2 of 3 missing"); a single whole bundle (part 1 of
// 1) passes as itself.
absl::StatusOr<std::vector<VerifiedBundle>> CollectBundleParts(
    const std::vector<std::string>& files);

// Opens every part (in part order, as CollectBundleParts returns them) with
// the recipient's key and joins the slices into the whole body, checked
// against the bundle id. Errors as OpenBundleBody's, naming the part.
absl::StatusOr<std::string> OpenBundleParts(const std::vector<VerifiedBundle>& parts,
                                            const BoxKeyPair& recipient);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_BUNDLE_PARTS_H_
