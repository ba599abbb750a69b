// Bundle files on a stick or in a folder (docs/bundles.md "Parts"): how the
// parts of a split export are named, writing an export's files, and
// grouping the files a carrier finds into bundles by their headers (no key
// needed), for kawal-admin bundle import and kawal-field bundle relay.
//
// An export to OUT (say ani.bundle) split in n parts writes
// ani.part1ofN.bundle .. ani.partNofN.bundle: OUT without its ".bundle",
// then ".partKofN.bundle", so that "*.bundle" still finds every part. The
// one reply to a split bundle is named after the unsplit name (ani.bundle.reply).
//
// Thread-safety: functions over the file system; no shared state.
#ifndef KAWAL_COMMON_BUNDLE_PART_FILES_H_
#define KAWAL_COMMON_BUNDLE_PART_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kawal::common {

// Where part `part` of `count` of an export to `out` goes.
std::string BundlePartPath(const std::string& out, uint32_t part, uint32_t count);

// The name of the whole bundle a part file belongs to ("x/ani.part2of3.bundle"
// -> "x/ani.bundle"); any other name as it is.
std::string WholeBundlePath(const std::string& path);

// Writes an export's files (mode 0600, atomically): one file at `out`, or
// the parts at BundlePartPath(out, k, n). Returns the paths written.
absl::StatusOr<std::vector<std::string>> WriteBundleFiles(const std::string& out,
                                                          const std::vector<std::string>& files);

// The bytes of a bundle file; NOT_FOUND / DATA_LOSS naming the path.
absl::StatusOr<std::string> ReadBundleFile(const std::string& path);

// The bytes of the bundle at `path` and, when it is one part of a split
// bundle, of all its parts, read next to it by their names
// (BundlePartPath), in part order. NOT_FOUND naming a part file that is
// not there.
absl::StatusOr<std::vector<std::string>> ReadBundleFilesOf(const std::string& path);

// The files of one bundle: one whole file, or the parts found of a split one.
struct BundleFileGroup {
  // In part order.
  std::vector<std::string> paths;
  // WholeBundlePath of the first part: the name its reply is made from.
  std::string name;
  uint32_t part_count = 1;
};

// How a bundle is named in messages: its file, or its parts' common name
// and how many of them were found ("/usb/ani.bundle [2/3 parts]").
std::string BundleGroupLabel(const BundleFileGroup& group);

// A file that could not be read as a bundle, or a second copy of a part
// (the reason names the problem).
struct UnreadableBundleFile {
  std::string path;
  absl::Status status;
};

struct BundleFileGroups {
  // In the order of their first file in `paths`.
  std::vector<BundleFileGroup> groups;
  std::vector<UnreadableBundleFile> unreadable;
};

// Reads each file's header (structure and signature checked, body still
// sealed) and groups the files by bundle id. A group may lack parts
// (CollectBundleParts names the missing ones).
BundleFileGroups GroupBundleFiles(const std::vector<std::string>& paths);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_BUNDLE_PART_FILES_H_
