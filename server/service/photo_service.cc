#include "service/photo_service.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/server_tuning.h"
#include "service/call_auth.h"
#include "kawal/common/grpc_status.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/quote.h"

namespace kawal::server {
namespace {

using tuning::kMaxStatusPhotos;
constexpr size_t kDownloadChunkBytes = tuning::kPhotoDownloadChunkBytes;
constexpr size_t kMaxUploadMessageBytes = tuning::kMaxPhotoUploadMessageBytes;

enum class Access { kRead, kWrite };

// The photo record `ref` names, once the caller may `access` it and it
// vouches for ref.sha256.
absl::StatusOr<sync::RecordState> ResolveRef(const Caller& caller, const PushApplier& records,
                                             const v1::PhotoRef& ref, Access access) {
  if (absl::Status s = sync::ValidateRecordId(ref.record_id()); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("photo record id \"", sync::QuoteClientValue(ref.record_id(), 64), "\": ",
                     s.message()));
  }
  absl::StatusOr<sync::RecordState> state = records.Get(sync::kPhoto, ref.record_id());
  if (!state.ok()) return state.status();
  if (!state->Visible()) {
    return absl::NotFoundError(absl::StrCat("photo record ",
                                            sync::QuoteClientValue(ref.record_id(), 64),
                                            " is not on the server: push records first"));
  }
  const bool allowed = access == Access::kWrite ? CanWriteScope(caller, state->scope)
                                                : CanReadScope(caller, state->scope);
  if (!allowed) {
    return absl::PermissionDeniedError(
        absl::StrCat("user ", caller.name, " may not ",
                     access == Access::kWrite ? "upload photos of " : "read photos of ",
                     "region ", state->scope));
  }
  const std::string sha256 = state->GetString("sha256");
  if (ref.sha256() != sha256) {
    return absl::InvalidArgumentError(
        absl::StrCat("photo record ", ref.record_id(), " is of SHA-256 ", sha256, ", not \"",
                     sync::QuoteClientValue(ref.sha256(), 64), "\""));
  }
  return state;
}

// The upload's declared size and type must be the photo record's.
absl::Status CheckDeclared(const sync::RecordState& record, const v1::PhotoRef& ref, uint64_t size,
                           const std::string& content_type) {
  const int64_t record_size = record.GetInt("size_bytes");
  const std::string record_type = record.GetString("content_type");
  if (static_cast<int64_t>(size) != record_size || content_type != record_type) {
    return absl::InvalidArgumentError(absl::StrCat(
        "upload declares ", size, " bytes of \"", content_type, "\" but photo record ",
        ref.record_id(), " says ", record_size, " bytes of \"", record_type, "\""));
  }
  return absl::OkStatus();
}

}  // namespace

PhotoServiceImpl::PhotoServiceImpl(UserStore* users, PushApplier* records, PhotoStore* photos)
    : users_(users), records_(records), photos_(photos) {}

grpc::Status PhotoServiceImpl::PhotoStatus(grpc::ServerContext* context,
                                           const v1::PhotoStatusRequest* request,
                                           v1::PhotoStatusResponse* response) {
  return common::ToGrpcStatus(HandlePhotoStatus(context, request, response));
}

absl::Status PhotoServiceImpl::HandlePhotoStatus(grpc::ServerContext* context,
                                                 const v1::PhotoStatusRequest* request,
                                                 v1::PhotoStatusResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return caller.status();
  if (request->photos_size() > kMaxStatusPhotos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "asked about ", request->photos_size(), " photos; at most ", kMaxStatusPhotos));
  }
  bool any_partial = false;
  for (const v1::PhotoRef& ref : request->photos()) {
    absl::StatusOr<sync::RecordState> record = ResolveRef(*caller, *records_, ref, Access::kRead);
    if (!record.ok()) return record.status();
    absl::StatusOr<v1::PhotoStatusEntry> status = photos_->Status(ref.sha256());
    if (!status.ok()) return status.status();
    any_partial = any_partial || status->state() == v1::PHOTO_PARTIAL;
    *response->add_photos() = *std::move(status);
  }
  // A reported offset is where the client resumes: it must survive a crash.
  if (any_partial) {
    if (absl::Status s = photos_->SyncReceived(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

grpc::Status PhotoServiceImpl::UploadPhoto(grpc::ServerContext* context,
                                           grpc::ServerReader<v1::UploadPhotoRequest>* reader,
                                           v1::UploadPhotoResponse* response) {
  return common::ToGrpcStatus(HandleUploadPhoto(context, reader, response));
}

absl::Status PhotoServiceImpl::HandleUploadPhoto(grpc::ServerContext* context,
                                                 grpc::ServerReader<v1::UploadPhotoRequest>* reader,
                                                 v1::UploadPhotoResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return caller.status();
  v1::UploadPhotoRequest message;
  if (!reader->Read(&message) || !message.has_start()) {
    return absl::InvalidArgumentError(
        "an upload must begin with an UploadStart message naming the photo");
  }
  // A copy: `message` is reused for the data messages.
  const v1::UploadStart start = message.start();
  absl::StatusOr<sync::RecordState> record =
      ResolveRef(*caller, *records_, start.photo(), Access::kWrite);
  if (!record.ok()) return record.status();
  if (absl::Status s = CheckDeclared(*record, start.photo(), start.size(), start.content_type());
      !s.ok()) {
    return s;
  }
  const std::string sha256 = start.photo().sha256();
  absl::StatusOr<v1::PhotoStatusEntry> state = photos_->Begin(PhotoUploadStart{
      sha256, start.offset(), start.size(), start.content_type(), caller->name});
  if (!state.ok()) return state.status();

  uint64_t offset = start.offset();
  while (state->state() != v1::PHOTO_COMPLETE && reader->Read(&message)) {
    if (message.part_case() != v1::UploadPhotoRequest::kData) {
      return 
          absl::InvalidArgumentError("only data messages may follow the UploadStart");
    }
    if (message.data().size() > kMaxUploadMessageBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("data message of ", message.data().size(), " bytes; at most ",
                       kMaxUploadMessageBytes));
    }
    state = photos_->Append(sha256, offset, message.data());
    if (!state.ok()) return state.status();
    offset = state->received_offset();
  }
  if (context->IsCancelled()) return absl::CancelledError("upload cut");
  if (state->state() != v1::PHOTO_COMPLETE) {
    // Ended early by the client: what it is told is durable.
    if (absl::Status s = photos_->SyncReceived(); !s.ok()) return s;
  }
  response->set_received_offset(state->received_offset());
  response->set_complete(state->state() == v1::PHOTO_COMPLETE);
  return absl::OkStatus();
}

absl::StatusOr<v1::PhotoStatusEntry> PhotoServiceImpl::StoreWholePhoto(
    const Caller& caller, const v1::PhotoRef& ref, const std::string& content_type,
    absl::string_view data) {
  absl::StatusOr<sync::RecordState> record = ResolveRef(caller, *records_, ref, Access::kWrite);
  if (!record.ok()) return record.status();
  if (absl::Status s = CheckDeclared(*record, ref, data.size(), content_type); !s.ok()) return s;
  absl::StatusOr<v1::PhotoStatusEntry> state = photos_->Status(ref.sha256());
  if (!state.ok() || state->state() == v1::PHOTO_COMPLETE) return state;
  uint64_t offset = state->received_offset();
  state = photos_->Begin(
      PhotoUploadStart{ref.sha256(), offset, data.size(), content_type, caller.name});
  while (state.ok() && state->state() != v1::PHOTO_COMPLETE) {
    state = photos_->Append(ref.sha256(), offset, data.substr(offset, kMaxUploadMessageBytes));
    if (!state.ok()) break;
    if (state->state() != v1::PHOTO_COMPLETE && state->received_offset() <= offset) {
      return absl::InternalError(absl::StrCat("storing photo ", ref.sha256(), " made no progress"));
    }
    offset = state->received_offset();
  }
  return state;
}

grpc::Status PhotoServiceImpl::DownloadPhoto(
    grpc::ServerContext* context, const v1::DownloadPhotoRequest* request,
    grpc::ServerWriter<v1::DownloadPhotoResponse>* writer) {
  return common::ToGrpcStatus(HandleDownloadPhoto(context, request, writer));
}

absl::Status PhotoServiceImpl::HandleDownloadPhoto(
          grpc::ServerContext* context, const v1::DownloadPhotoRequest* request,
          grpc::ServerWriter<v1::DownloadPhotoResponse>* writer) {
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return caller.status();
  absl::StatusOr<sync::RecordState> record =
      ResolveRef(*caller, *records_, request->photo(), Access::kRead);
  if (!record.ok()) return record.status();
  const std::string& sha256 = request->photo().sha256();
  absl::StatusOr<v1::PhotoStatusEntry> status = photos_->Status(sha256);
  if (!status.ok()) return status.status();
  uint64_t offset = request->offset();
  do {
    absl::StatusOr<std::string> data = photos_->Read(sha256, offset, kDownloadChunkBytes);
    if (!data.ok()) return data.status();
    v1::DownloadPhotoResponse chunk;
    chunk.set_offset(offset);
    chunk.set_size(status->size());
    offset += data->size();
    *chunk.mutable_data() = *std::move(data);
    if (!writer->Write(chunk)) return absl::CancelledError("download cut");
  } while (offset < status->size());
  return absl::OkStatus();
}

grpc::Status PhotoServiceImpl::PurgePhotos(grpc::ServerContext* context,
                                           const v1::PurgePhotosRequest* request,
                                           v1::PurgePhotosResponse* response) {
  return common::ToGrpcStatus(HandlePurgePhotos(context, request, response));
}

absl::Status PhotoServiceImpl::HandlePurgePhotos(grpc::ServerContext* context,
                                                 const v1::PurgePhotosRequest* request,
                                                 v1::PurgePhotosResponse* response) {
  if (absl::Status s = AuthorizeAdmin(*context, *shard_, *users_, "purge photos"); !s.ok()) {
    return s;
  }
  // The schema's rule for photo.sha256: a purge names real hashes only.
  const sync::FieldSpec& sha_rule =
      *sync::Schema::Default().Find(sync::kPhoto)->Find("sha256");
  for (const std::string& sha256 : request->sha256()) {
    if (absl::Status s = sync::ValidateValue(sha_rule, sha256); !s.ok()) {
      return s;
    }
  }
  std::vector<std::string> shas(request->sha256().begin(), request->sha256().end());
  absl::StatusOr<uint64_t> purged = photos_->Purge(shas);
  if (!purged.ok()) return purged.status();
  response->set_purged(*purged);
  return absl::OkStatus();
}

}  // namespace kawal::server
