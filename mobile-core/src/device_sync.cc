// Device's calls to the server: Sync (a SyncSession), FetchPhoto (a
// PhotoDownloader) and Cancel; one at a time (DeviceCore::SyncSlot).
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "device_core.h"
#include "kawal/mobile/device.h"
#include "photo_downloader.h"
#include "sync_session.h"

namespace kawal::mobile {

absl::StatusOr<SyncReport> Device::Sync(const SyncOptions& options,
                                        const ProgressCallback& progress) {
  SyncSession session(*core_, options, progress);
  DeviceCore::SyncSlot slot(*core_, session.link());
  return session.Run();
}

absl::Status Device::FetchPhoto(const std::string& sha256, const std::string& out_path,
                                const SyncOptions& options) {
  absl::StatusOr<std::vector<PhotoView>> photos = Photos();
  if (!photos.ok()) return photos.status();
  const PhotoView* found = nullptr;
  for (const PhotoView& p : *photos) {
    if (p.sha256 == sha256) found = &p;
  }
  if (found == nullptr) {
    return absl::NotFoundError(absl::StrCat("no photo with SHA-256 ", sha256,
                                            " on this device: sync first to get its record"));
  }
  std::error_code ec;
  if (found->local) {  // taken here: copy from the store
    const std::string source = core_->store().dir() + "/photos/" + sha256;
    std::filesystem::copy_file(source, out_path,
                               std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) return absl::UnavailableError(absl::StrCat("writing ", out_path, ": ", ec.message()));
    return absl::OkStatus();
  }
  v1::PhotoRef ref;
  ref.set_record_id(found->record_id);
  ref.set_sha256(sha256);
  SyncLink link(*core_, options, nullptr);
  DeviceCore::SyncSlot slot(*core_, link);
  return PhotoDownloader(*core_, link).Fetch(ref, found->size, out_path);
}

void Device::Cancel() {
  // Only a running sync is cancelled; a later Sync() starts normally.
  core_->CancelSync();
}

}  // namespace kawal::mobile
