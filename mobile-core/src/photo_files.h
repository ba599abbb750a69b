// The device's photo bytes: files named by their SHA-256 in the store's
// photos/ folder, so the same picture attached twice is stored once. A file
// appears under its name only once complete and synced (written aside,
// then renamed), so a crash never leaves a half photo behind its name.
//
// Thread-safety: stateless apart from the folder; concurrent imports of
// the same picture both end with the one complete file.
#ifndef KAWAL_MOBILE_PHOTO_FILES_H_
#define KAWAL_MOBILE_PHOTO_FILES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::mobile {

struct PhotoFile {
  std::string sha256;  // 64 lowercase hex digits
  uint64_t size = 0;
  std::string content_type;  // from the file's first bytes; "" if not an image we know
};

// "image/jpeg", "image/png", "image/webp", "image/heic" from a file's first
// bytes, or "" when none matches.
std::string SniffImageType(absl::string_view head);

class PhotoFiles {
 public:
  explicit PhotoFiles(std::string dir) : dir_(std::move(dir)) {}

  // Copies `source` into the folder (durable on return). INVALID_ARGUMENT
  // for an empty file or one larger than `max_bytes`.
  absl::StatusOr<PhotoFile> Import(const std::string& source, uint64_t max_bytes) const;
  std::string PathOf(const std::string& sha256) const { return dir_ + "/" + sha256; }
  // Up to `max_bytes` from `offset` of a stored photo.
  absl::StatusOr<std::string> ReadAt(const std::string& sha256, uint64_t offset,
                                     size_t max_bytes) const;

 private:
  std::string dir_;
};

// The photos/ folder of the store in `store_dir`.
inline std::string PhotosDirOf(const std::string& store_dir) { return store_dir + "/photos"; }

// Hashes a whole file (SHA-256, lowercase hex).
absl::StatusOr<std::string> HashFile(const std::string& path);

// fsyncs `path` (a file or a folder).
absl::Status SyncPath(const std::string& path);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_PHOTO_FILES_H_
