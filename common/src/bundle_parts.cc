#include "kawal/common/bundle_parts.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace kawal::common {
namespace {

// The status `s` with its message prefixed by `where`.
absl::Status Named(const absl::Status& s, absl::string_view where) {
  return absl::Status(s.code(), absl::StrCat(where, ": ", s.message()));
}

std::string ShortId(absl::string_view id) {
  return absl::BytesToHexString(id.substr(0, 8));
}

// Why `part` is not a part of the same bundle as `first`, or "".
std::string Mismatch(const v1::BundleHeader& first, const v1::BundleHeader& part) {
  if (part.bundle_id() != first.bundle_id()) {
    return absl::StrCat("it belongs to bundle ", ShortId(part.bundle_id()), "..., not ",
                        ShortId(first.bundle_id()), "...");
  }
  if (part.signer_public_key() != first.signer_public_key()) return "it has another signer";
  if (part.kind() != first.kind()) return "it is of another kind";
  if (part.device_node() != first.device_node()) return "it names another device";
  if (part.user() != first.user()) return "it names another user";
  if (part.part_count() != first.part_count()) {
    return absl::StrCat("it says ", part.part_count(), " parts, not ", first.part_count());
  }
  return "";
}

}  // namespace

absl::StatusOr<std::vector<std::string>> WriteBundleParts(
    const v1::BundleHeader& header, absl::string_view body, const SigningKeyPair& signer,
    absl::string_view recipient_box_public_key, uint64_t max_bytes) {
  v1::BundleHeader sized = header;
  sized.set_signer_public_key(signer.public_key);
  sized.set_bundle_id(BundleIdOf(body));
  // What each of `count` parts adds to its slice: the largest part number
  // is the longest header (varints grow with the value).
  auto overhead = [&sized](uint64_t count) {
    sized.set_part(static_cast<uint32_t>(count));
    sized.set_part_count(static_cast<uint32_t>(count));
    return BundleFileOverhead(sized);
  };
  // The fewest parts that fit: more parts mean longer headers, so grow the
  // count until the body fits the room the headers leave.
  uint64_t count = 1;
  uint64_t needed = 1;
  for (;;) {
    const uint64_t fixed = overhead(count);
    if (max_bytes <= fixed) {
      return absl::InvalidArgumentError(
          absl::StrCat("a part of at most ", max_bytes, " bytes cannot hold anything: each part "
                       "needs ", fixed, " bytes of header, seal and signature; use a maximum of "
                       "at least ", fixed + 1, " bytes (better: far more)"));
    }
    const uint64_t room = max_bytes - fixed;
    needed = body.empty() ? 1 : (body.size() - 1) / room + 1;  // no overflow near 2^64
    if (needed > kMaxBundleParts) {
      return absl::InvalidArgumentError(
          absl::StrCat("a maximum of ", max_bytes, " bytes per part would split this bundle of ",
                       body.size(), " bytes into ", needed, " parts (at most ", kMaxBundleParts,
                       "); use a larger maximum"));
    }
    if (needed <= count) break;
    count = needed;
  }
  std::vector<std::string> files;
  if (needed == 1) {
    absl::StatusOr<std::string> file = WriteBundle(header, body, signer, recipient_box_public_key);
    if (!file.ok()) return file.status();
    files.push_back(*std::move(file));
    return files;
  }
  // Even slices: each at most the room of `count` parts' headers.
  const uint64_t slice = (body.size() + needed - 1) / needed;
  for (uint64_t k = 1; k <= needed; ++k) {
    v1::BundleHeader part = header;
    part.set_bundle_id(sized.bundle_id());
    part.set_part(static_cast<uint32_t>(k));
    part.set_part_count(static_cast<uint32_t>(needed));
    const uint64_t at = std::min<uint64_t>(body.size(), (k - 1) * slice);
    absl::StatusOr<std::string> file =
        WriteBundleSlice(std::move(part), body.substr(at, slice), signer, recipient_box_public_key);
    if (!file.ok()) return file.status();
    files.push_back(*std::move(file));
  }
  return files;
}

absl::StatusOr<std::vector<VerifiedBundle>> CollectBundleParts(
    const std::vector<std::string>& files) {
  if (files.empty()) return absl::InvalidArgumentError("no bundle file was given");
  if (files.size() > kMaxBundleParts) {
    return absl::InvalidArgumentError(
        absl::StrCat(files.size(), " files for one bundle: at most ", kMaxBundleParts, " parts"));
  }
  std::vector<VerifiedBundle> parts;
  parts.reserve(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    absl::StatusOr<VerifiedBundle> part = ReadBundle(files[i]);
    if (!part.ok()) {
      if (files.size() == 1) return part.status();
      return Named(part.status(), absl::StrCat("file ", i + 1, " of ", files.size()));
    }
    const v1::BundleHeader& header = part->header;
    if (header.part_count() < 1 || header.part_count() > kMaxBundleParts ||
        header.part() < 1 || header.part() > header.part_count()) {
      return absl::InvalidArgumentError(
          absl::StrCat("file ", i + 1, " says it is part ", header.part(), " of ",
                       header.part_count(), " (damaged file?)"));
    }
    if (!parts.empty()) {
      if (std::string why = Mismatch(parts.front().header, header); !why.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "file ", i + 1, " is not a part of the same bundle as file 1: ", why));
      }
    }
    parts.push_back(*std::move(part));
  }
  std::sort(parts.begin(), parts.end(), [](const VerifiedBundle& a, const VerifiedBundle& b) {
    return a.header.part() < b.header.part();
  });
  const uint32_t count = parts.front().header.part_count();
  std::vector<std::string> missing;
  size_t at = 0;
  for (uint32_t k = 1; k <= count; ++k) {
    if (at < parts.size() && parts[at].header.part() == k) {
      ++at;
      if (at < parts.size() && parts[at].header.part() == k) {
        return absl::InvalidArgumentError(
            absl::StrCat("part ", k, " of ", count, " was given twice"));
      }
    } else {
      missing.push_back(absl::StrCat(k));
    }
  }
  if (!missing.empty()) {
    const bool one = missing.size() == 1;
    if (missing.size() > 10) {
      missing.resize(10);
      missing.push_back("...");
    }
    return absl::InvalidArgumentError(
        absl::StrCat(one ? "part " : "parts ", absl::StrJoin(missing, ", "), " of ", count,
                     one ? " is" : " are", " missing: bring all parts of the bundle together"));
  }
  return parts;
}

absl::StatusOr<std::string> OpenBundleParts(const std::vector<VerifiedBundle>& parts,
                                            const BoxKeyPair& recipient) {
  if (parts.size() == 1 && parts.front().header.part_count() == 1) {
    return OpenBundleBody(parts.front(), recipient);
  }
  std::string body;
  for (size_t i = 0; i < parts.size(); ++i) {
    const v1::BundleHeader& header = parts[i].header;
    if (header.part() != i + 1 || header.part_count() != parts.size()) {
      return absl::InvalidArgumentError("bundle parts are not complete and in order");
    }
    absl::StatusOr<std::string> slice = OpenBundleSlice(parts[i], recipient);
    if (!slice.ok()) {
      return Named(slice.status(), absl::StrCat("part ", header.part(), " of ", parts.size()));
    }
    body += *slice;
  }
  if (BundleIdOf(body) != parts.front().header.bundle_id()) {
    return absl::DataLossError("the joined parts do not match the bundle id");
  }
  return body;
}

}  // namespace kawal::common
