// The photo job of a sync, after the records (docs/photos.md): each photo
// this device holds and the server lacks goes up, smallest first (uploads
// the server has begun before those), from the offset the server has
// stored. Upload calls are bounded (SyncOptions::photo_call_bytes), and
// before each one any record written meanwhile is pushed first, so photos
// never hold records back. After a cut the server's durable offset is asked
// again, so what is resent is at most what was in flight.
//
// Thread-safety: used by the thread running the sync.
#ifndef KAWAL_MOBILE_PHOTO_UPLOADER_H_
#define KAWAL_MOBILE_PHOTO_UPLOADER_H_

#include <cstdint>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/v1/photo.grpc.pb.h"

namespace kawal::mobile {

class DeviceCore;
class Pusher;
class SyncLink;

class PhotoUploader {
 public:
  // `core`, `link` and `pusher` (for records written during the upload)
  // outlive the PhotoUploader.
  PhotoUploader(DeviceCore& core, SyncLink& link, Pusher& pusher);

  // Uploads every photo the server lacks (all of them are asked about
  // after a restore); a photo the server refuses keeps its reason in
  // PhotoUpload.last_error and the next sync tries again.
  absl::Status UploadAll();

 private:
  // The server's state of each photo (in order), with retries.
  absl::StatusOr<std::vector<v1::PhotoStatusEntry>> Statuses(
      v1::PhotoService::Stub& stub, const std::vector<device::v1::PhotoUpload>& photos);
  // One bounded upload call of `photo` from `offset`.
  grpc::Status UploadCall(v1::PhotoService::Stub& stub, const device::v1::PhotoUpload& photo,
                          uint64_t offset, v1::UploadPhotoResponse* response);
  absl::Status Save(const device::v1::PhotoUpload& photo);

  DeviceCore& core_;
  SyncLink& link_;
  Pusher& pusher_;
  uint64_t bytes_done_ = 0;  // sizes of the photos finished this sync
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_PHOTO_UPLOADER_H_
