#include "kawal/common/bundle_part_files.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "kawal/common/bundle_file.h"
#include "kawal/common/bundle_keys.h"

namespace kawal::common {
namespace {

constexpr absl::string_view kBundleSuffix = ".bundle";

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), absl::ascii_isdigit);
}

}  // namespace

std::string BundlePartPath(const std::string& out, uint32_t part, uint32_t count) {
  absl::string_view stem = out;
  absl::ConsumeSuffix(&stem, kBundleSuffix);
  return absl::StrCat(stem, ".part", part, "of", count, kBundleSuffix);
}

std::string WholeBundlePath(const std::string& path) {
  absl::string_view stem = path;
  if (!absl::ConsumeSuffix(&stem, kBundleSuffix)) return path;
  const size_t dot = stem.rfind(".part");
  if (dot == absl::string_view::npos) return path;
  const absl::string_view numbers = stem.substr(dot + 5);  // "KofN"
  const size_t of = numbers.find("of");
  if (of == absl::string_view::npos || !AllDigits(numbers.substr(0, of)) ||
      !AllDigits(numbers.substr(of + 2))) {
    return path;
  }
  return absl::StrCat(stem.substr(0, dot), kBundleSuffix);
}

absl::StatusOr<std::vector<std::string>> WriteBundleFiles(const std::string& out,
                                                          const std::vector<std::string>& files) {
  std::vector<std::string> paths;
  for (size_t k = 1; k <= files.size(); ++k) {
    paths.push_back(files.size() == 1 ? out
                                      : BundlePartPath(out, static_cast<uint32_t>(k),
                                                       static_cast<uint32_t>(files.size())));
    if (absl::Status s = WriteOwnerOnlyFile(paths.back(), files[k - 1]); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(paths.back(), ": ", s.message()));
    }
  }
  return paths;
}

absl::StatusOr<std::string> ReadBundleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read bundle file ", path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading bundle file ", path));
  return bytes.str();
}

absl::StatusOr<std::vector<std::string>> ReadBundleFilesOf(const std::string& path) {
  absl::StatusOr<std::string> first = ReadBundleFile(path);
  if (!first.ok()) return first.status();
  absl::StatusOr<VerifiedBundle> bundle = ReadBundle(*first);
  if (!bundle.ok()) return absl::Status(bundle.status().code(),
                                        absl::StrCat(path, ": ", bundle.status().message()));
  const uint32_t count = bundle->header.part_count();
  std::vector<std::string> files;
  if (count <= 1) {
    files.push_back(*std::move(first));
    return files;
  }
  const std::string whole = WholeBundlePath(path);
  for (uint32_t k = 1; k <= count; ++k) {
    if (k == bundle->header.part()) {
      files.push_back(*first);
      continue;
    }
    absl::StatusOr<std::string> part = ReadBundleFile(BundlePartPath(whole, k, count));
    if (!part.ok()) {
      return absl::NotFoundError(absl::StrCat("part ", k, " of ", count, " is missing: ",
                                              part.status().message()));
    }
    files.push_back(*std::move(part));
  }
  return files;
}

std::string BundleGroupLabel(const BundleFileGroup& group) {
  if (group.part_count == 1) return group.paths.front();
  return absl::StrCat(group.name, " [", group.paths.size(), "/", group.part_count, " parts]");
}

BundleFileGroups GroupBundleFiles(const std::vector<std::string>& paths) {
  BundleFileGroups out;
  std::map<std::string, size_t> group_of_id;
  std::vector<std::vector<std::pair<uint32_t, std::string>>> parts;
  for (const std::string& path : paths) {
    absl::StatusOr<std::string> bytes = ReadBundleFile(path);
    absl::StatusOr<VerifiedBundle> bundle =
        bytes.ok() ? ReadBundle(*bytes) : absl::StatusOr<VerifiedBundle>(bytes.status());
    if (!bundle.ok()) {
      out.unreadable.push_back({path, bundle.status()});
      continue;
    }
    const v1::BundleHeader& header = bundle->header;
    const auto [it, added] = group_of_id.emplace(header.bundle_id(), out.groups.size());
    if (added) {
      out.groups.emplace_back();
      out.groups.back().part_count = header.part_count();
      parts.emplace_back();
    }
    auto& group = parts[it->second];
    // Two copies of a part (say, two exports of the same work): the first
    // goes, the other is set aside, named.
    if (std::any_of(group.begin(), group.end(),
                    [&](const auto& part) { return part.first == header.part(); })) {
      out.unreadable.push_back(
          {path, absl::AlreadyExistsError(absl::StrCat("another copy of part ", header.part(),
                                                       " of ", header.part_count(),
                                                       " of the same bundle; not used"))});
      continue;
    }
    group.emplace_back(header.part(), path);
  }
  for (size_t g = 0; g < out.groups.size(); ++g) {
    std::stable_sort(parts[g].begin(), parts[g].end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [part, path] : parts[g]) out.groups[g].paths.push_back(std::move(path));
    out.groups[g].name = WholeBundlePath(out.groups[g].paths.front());
  }
  return out;
}

}  // namespace kawal::common
