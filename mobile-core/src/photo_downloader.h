// Photo bytes on demand (docs/photos.md): metadata always syncs, a
// picture's bytes come down only when asked for (Device::FetchPhoto). The
// download resumes from what a previous attempt left in <out>.part and
// takes its name only once its SHA-256 matches.
//
// Thread-safety: used by one thread; the link's Cancel() from any.
#ifndef KAWAL_MOBILE_PHOTO_DOWNLOADER_H_
#define KAWAL_MOBILE_PHOTO_DOWNLOADER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "kawal/v1/photo.pb.h"

namespace kawal::mobile {

class DeviceCore;
class SyncLink;

class PhotoDownloader {
 public:
  // `core` and `link` outlive the PhotoDownloader.
  PhotoDownloader(DeviceCore& core, SyncLink& link) : core_(core), link_(link) {}

  // Connects to the configured server and downloads the photo `ref` (of
  // `size` bytes) to `out_path`, resuming from `out_path`.part; verified
  // before it takes its name.
  absl::Status Fetch(const v1::PhotoRef& ref, uint64_t size, const std::string& out_path);

 private:
  DeviceCore& core_;
  SyncLink& link_;
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_PHOTO_DOWNLOADER_H_
