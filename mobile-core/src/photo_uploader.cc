#include "photo_uploader.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "device_core.h"
#include "local_store.h"
#include "photo_files.h"
#include "pusher.h"
#include "sync_link.h"
#include "sync_tuning.h"

namespace kawal::mobile {
namespace {

v1::PhotoRef RefOf(const device::v1::PhotoUpload& photo) {
  v1::PhotoRef ref;
  ref.set_record_id(photo.record_id());
  ref.set_sha256(photo.sha256());
  return ref;
}

}  // namespace

PhotoUploader::PhotoUploader(DeviceCore& core, SyncLink& link, Pusher& pusher)
    : core_(core), link_(link), pusher_(pusher) {}

absl::Status PhotoUploader::Save(const device::v1::PhotoUpload& photo) {
  absl::MutexLock lock(&core_.write_mu());
  LocalStore::Batch batch;
  batch.PutPhotoUpload(photo);
  return core_.store().Commit(batch);
}

absl::StatusOr<std::vector<v1::PhotoStatusEntry>> PhotoUploader::Statuses(
    v1::PhotoService::Stub& stub, const std::vector<device::v1::PhotoUpload>& photos) {
  constexpr size_t kBatch = tuning::kPhotoStatusBatch;
  std::vector<v1::PhotoStatusEntry> out;
  for (size_t from = 0; from < photos.size(); from += kBatch) {
    v1::PhotoStatusRequest request;
    for (size_t i = from; i < std::min(photos.size(), from + kBatch); ++i) {
      *request.add_photos() = RefOf(photos[i]);
    }
    v1::PhotoStatusResponse response;
    absl::Status s = link_.Retry("photo status", [&](grpc::ClientContext* context) {
      response.Clear();
      return stub.PhotoStatus(context, request, &response);
    });
    if (!s.ok()) return s;
    if (response.photos_size() != request.photos_size()) {
      return absl::InternalError("photo status: the server answered for a different list");
    }
    out.insert(out.end(), response.photos().begin(), response.photos().end());
  }
  return out;
}

grpc::Status PhotoUploader::UploadCall(v1::PhotoService::Stub& stub,
                                       const device::v1::PhotoUpload& photo, uint64_t offset,
                                       v1::UploadPhotoResponse* response) {
  const SyncOptions& options = link_.options();
  SyncReport& report = link_.report();
  std::ifstream file(PhotosDirOf(core_.store().dir()) + "/" + photo.sha256(), std::ios::binary);
  if (!file) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS,
                        "the photo file is missing from this device's store");
  }
  file.seekg(static_cast<std::streamoff>(offset));
  return link_.CallOnce([&](grpc::ClientContext* context) {
    std::unique_ptr<grpc::ClientWriter<v1::UploadPhotoRequest>> writer =
        stub.UploadPhoto(context, response);
    v1::UploadPhotoRequest message;
    v1::UploadStart* start = message.mutable_start();
    *start->mutable_photo() = RefOf(photo);
    start->set_offset(offset);
    start->set_size(photo.size());
    start->set_content_type(photo.content_type());
    bool open = writer->Write(message);
    const uint64_t chunk = std::max<uint32_t>(1, options.photo_chunk_bytes);
    const uint64_t end = std::min<uint64_t>(photo.size(), offset + options.photo_call_bytes);
    std::string buffer;
    uint64_t since_report = 0;
    for (uint64_t at = offset; open && at < end;) {
      buffer.resize(std::min(chunk, end - at));
      file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      if (static_cast<uint64_t>(file.gcount()) != buffer.size()) {
        context->TryCancel();
        return grpc::Status(grpc::StatusCode::DATA_LOSS,
                            "the photo file on this device is shorter than its record says");
      }
      message.set_data(buffer);
      open = writer->Write(message);
      at += buffer.size();
      report.photo_bytes_sent += buffer.size();
      report.bytes_sent += buffer.size();
      since_report += buffer.size();
      if (since_report >= tuning::kPhotoProgressBytes) {
        since_report = 0;
        // Stored bytes of earlier photos + this one up to what is written.
        link_.progress().photo_bytes_sent = bytes_done_ + at;
        link_.Report("photos");
      }
    }
    if (open) writer->WritesDone();
    return writer->Finish();
  });
}

absl::Status PhotoUploader::UploadAll() {
  const SyncOptions& options = link_.options();
  SyncReport& report = link_.report();
  SyncProgress& progress = link_.progress();
  if (!options.photos) return absl::OkStatus();
  // After a restore the server may lack photos this device thinks it sent:
  // ask about every photo held here (the server's answer decides).
  const bool recheck_all = report.restore_detected;
  std::vector<device::v1::PhotoUpload> queue;
  absl::Status s = core_.store().ForEachPhotoUpload([&](const device::v1::PhotoUpload& p) {
    if (!p.uploaded() || recheck_all) queue.push_back(p);
    return true;
  });
  if (!s.ok()) return s;
  if (queue.empty()) return absl::OkStatus();
  std::stable_sort(queue.begin(), queue.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });

  auto stub = v1::PhotoService::NewStub(link_.channel());
  absl::StatusOr<std::vector<v1::PhotoStatusEntry>> statuses = Statuses(*stub, queue);
  if (!statuses.ok()) return statuses.status();
  std::map<std::string, uint64_t> offsets;
  uint64_t to_send = 0;
  for (size_t i = 0; i < queue.size(); ++i) {
    const v1::PhotoStatusEntry& status = (*statuses)[i];
    if (status.state() == v1::PHOTO_COMPLETE) {
      if (!queue[i].uploaded() || !queue[i].last_error().empty()) {
        queue[i].set_uploaded(true);
        queue[i].clear_last_error();
        if (absl::Status saved = Save(queue[i]); !saved.ok()) return saved;
      }
      continue;
    }
    queue[i].set_uploaded(false);
    offsets[queue[i].sha256()] = status.received_offset();
    to_send += queue[i].size();
  }
  // Uploads the server has begun go first (they count against the user's
  // quota of uploads in progress), then the smallest.
  auto begun = [&](const device::v1::PhotoUpload& p) {
    auto it = offsets.find(p.sha256());
    return it != offsets.end() && it->second > 0;
  };
  std::stable_sort(queue.begin(), queue.end(),
                   [&](const auto& a, const auto& b) { return begun(a) && !begun(b); });
  bytes_done_ = 0;
  progress.photo_bytes_to_send = to_send;
  progress.photo_bytes_sent = 0;
  link_.Report("photos");

  for (device::v1::PhotoUpload& photo : queue) {
    if (photo.uploaded()) continue;
    uint64_t offset = offsets[photo.sha256()];
    int attempt = 0;
    while (true) {
      // Records written while photos go up are pushed first.
      absl::StatusOr<uint64_t> pending = core_.PendingCount();
      if (!pending.ok()) return pending.status();
      if (*pending > 0) {
        if (absl::Status pushed = pusher_.PushAll(); !pushed.ok()) return pushed;
        link_.Report("photos");
      }
      v1::UploadPhotoResponse response;
      grpc::Status status = UploadCall(*stub, photo, offset, &response);
      if (status.ok()) {
        if (response.received_offset() > offset) attempt = 0;
        offset = response.received_offset();
        if (!response.complete()) continue;
        photo.set_uploaded(true);
        photo.clear_last_error();
        ++report.photos_uploaded;
        if (absl::Status saved = Save(photo); !saved.ok()) return saved;
        break;
      }
      progress.photo_bytes_sent = bytes_done_ + offset;
      if (status.error_code() == grpc::StatusCode::CANCELLED && link_.cancelled()) {
        return absl::CancelledError("sync cancelled");
      }
      const bool retryable = Retryable(status.error_code()) ||
                             status.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
      if (!retryable) {
        // Refused (hash mismatch, scope, size, quota, record not there):
        // kept here with the reason; the next sync tries again.
        photo.set_last_error(status.error_message());
        ++report.photos_failed;
        if (absl::Status saved = Save(photo); !saved.ok()) return saved;
        break;
      }
      if (++attempt >= options.max_attempts) {
        return absl::UnavailableError(
            absl::StrCat("photo upload: ", status.error_message()));
      }
      if (absl::Status b = link_.Backoff(attempt - 1); !b.ok()) return b;
      // Where the server is now (durable): resume from there.
      absl::StatusOr<std::vector<v1::PhotoStatusEntry>> now = Statuses(*stub, {photo});
      if (!now.ok()) return now.status();
      const v1::PhotoStatusEntry& entry = now->front();
      if (entry.received_offset() > offset) attempt = 0;
      if (entry.state() == v1::PHOTO_COMPLETE) {
        photo.set_uploaded(true);
        photo.clear_last_error();
        ++report.photos_uploaded;
        if (absl::Status saved = Save(photo); !saved.ok()) return saved;
        break;
      }
      offset = entry.received_offset();
    }
    bytes_done_ += photo.size();
    progress.photo_bytes_sent = bytes_done_;
    link_.Report("photos");
  }
  return absl::OkStatus();
}

}  // namespace kawal::mobile
