// PhotoService: photo bytes up and down (proto/kawal/v1/photo.proto). Every
// call names the `photo` record that references the bytes; the caller's
// rights on that record's scope decide, and the record's SHA-256, size and
// content type bind the upload.
//
// Thread-safety: handlers run concurrently on gRPC's threads; PhotoStore and
// the parts used for lookups are thread-safe.
#ifndef KAWAL_SERVER_SERVICE_PHOTO_SERVICE_H_
#define KAWAL_SERVER_SERVICE_PHOTO_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "kawal/v1/photo.grpc.pb.h"
#include "store/photo_store.h"
#include "engine/push_applier.h"
#include "service/shard_guard.h"
#include "store/user_store.h"

namespace kawal::server {

class PhotoServiceImpl final : public v1::PhotoService::Service {
 public:
  PhotoServiceImpl(UserStore* users, PushApplier* records, PhotoStore* photos);
  // A shard answers only calls routed to it (photos follow their records).
  void SetShardGuard(const ShardGuard* shard) { shard_ = shard; }

  grpc::Status PhotoStatus(grpc::ServerContext* context, const v1::PhotoStatusRequest* request,
                           v1::PhotoStatusResponse* response) override;
  grpc::Status UploadPhoto(grpc::ServerContext* context,
                           grpc::ServerReader<v1::UploadPhotoRequest>* reader,
                           v1::UploadPhotoResponse* response) override;
  grpc::Status DownloadPhoto(grpc::ServerContext* context,
                             const v1::DownloadPhotoRequest* request,
                             grpc::ServerWriter<v1::DownloadPhotoResponse>* writer) override;
  grpc::Status PurgePhotos(grpc::ServerContext* context, const v1::PurgePhotosRequest* request,
                           v1::PurgePhotosResponse* response) override;

  // Stores a whole photo carried in a sync bundle for `caller` (the
  // bundle's signer), through the upload path: the photo record must be on
  // the server, in the caller's villages, of this SHA-256, size and type;
  // the bytes are verified against the SHA-256. Resumes a partial upload;
  // a photo already complete is left as is. Returns the stored state.
  absl::StatusOr<v1::PhotoStatusEntry> StoreWholePhoto(const Caller& caller,
                                                       const v1::PhotoRef& ref,
                                                       const std::string& content_type,
                                                       absl::string_view data);

 private:
  // The handlers' bodies, in absl::Status: each authorizes the call once,
  // first; each override above converts the result once (ToGrpcStatus).
  absl::Status HandlePhotoStatus(grpc::ServerContext* context, const v1::PhotoStatusRequest* request,
                                 v1::PhotoStatusResponse* response);
  absl::Status HandleUploadPhoto(grpc::ServerContext* context,
                                 grpc::ServerReader<v1::UploadPhotoRequest>* reader,
                                 v1::UploadPhotoResponse* response);
  absl::Status HandleDownloadPhoto(grpc::ServerContext* context,
                                   const v1::DownloadPhotoRequest* request,
                                   grpc::ServerWriter<v1::DownloadPhotoResponse>* writer);
  absl::Status HandlePurgePhotos(grpc::ServerContext* context, const v1::PurgePhotosRequest* request,
                                 v1::PurgePhotosResponse* response);

  UserStore* const users_;
  PushApplier* const records_;
  PhotoStore* const photos_;
  const ShardGuard* shard_ = &ShardGuard::Everything();
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_PHOTO_SERVICE_H_
