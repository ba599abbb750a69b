// The photo step of a sync, after the records (docs/photos.md): each photo
// this device holds and the server lacks goes up, smallest first, from the
// offset the server has stored. Upload calls are bounded
// (photo_call_bytes), and before each one any record written meanwhile is
// pushed first, so photos never hold records back. After a cut the server's
// durable offset is asked again, so what is resent is at most what was in
// flight.
#include <algorithm>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "kawal/v1/photo.grpc.pb.h"
#include "local_store.h"
#include "sync_session.h"

namespace kawal::mobile {
namespace {

constexpr int kStatusBatch = 1000;

v1::PhotoRef RefOf(const device::v1::PhotoUpload& photo) {
  v1::PhotoRef ref;
  ref.set_record_id(photo.record_id());
  ref.set_sha256(photo.sha256());
  return ref;
}

}  // namespace

absl::Status SyncSession::SavePhoto(const device::v1::PhotoUpload& photo) {
  std::lock_guard<std::mutex> lock(device_->write_mu_);
  LocalStore::Batch batch;
  batch.PutPhotoUpload(photo);
  return device_->store_->Commit(batch);
}

absl::StatusOr<std::vector<v1::PhotoStatusEntry>> SyncSession::PhotoStatuses(
    v1::PhotoService::Stub& stub, const std::vector<device::v1::PhotoUpload>& photos) {
  std::vector<v1::PhotoStatusEntry> out;
  for (size_t from = 0; from < photos.size(); from += kStatusBatch) {
    v1::PhotoStatusRequest request;
    for (size_t i = from; i < std::min(photos.size(), from + kStatusBatch); ++i) {
      *request.add_photos() = RefOf(photos[i]);
    }
    v1::PhotoStatusResponse response;
    absl::Status s = Retry("photo status", [&](grpc::ClientContext* context) {
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

grpc::Status SyncSession::UploadCall(v1::PhotoService::Stub& stub,
                                     const device::v1::PhotoUpload& photo, uint64_t offset,
                                     v1::UploadPhotoResponse* response) {
  std::ifstream file(device_->store_->dir() + "/photos/" + photo.sha256(), std::ios::binary);
  if (!file) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS,
                        "the photo file is missing from this device's store");
  }
  file.seekg(static_cast<std::streamoff>(offset));
  return CallOnce([&](grpc::ClientContext* context) {
    std::unique_ptr<grpc::ClientWriter<v1::UploadPhotoRequest>> writer =
        stub.UploadPhoto(context, response);
    v1::UploadPhotoRequest message;
    v1::UploadStart* start = message.mutable_start();
    *start->mutable_photo() = RefOf(photo);
    start->set_offset(offset);
    start->set_size(photo.size());
    start->set_content_type(photo.content_type());
    bool open = writer->Write(message);
    const uint64_t chunk = std::max<uint32_t>(1, options_.photo_chunk_bytes);
    const uint64_t end = std::min<uint64_t>(photo.size(), offset + options_.photo_call_bytes);
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
      report_.photo_bytes_sent += buffer.size();
      report_.bytes_sent += buffer.size();
      since_report += buffer.size();
      if (since_report >= (64u << 10)) {
        since_report = 0;
        // Stored bytes of earlier photos + this one up to what is written.
        state_progress_.photo_bytes_sent = photo_bytes_done_ + at;
        Report("photos");
      }
    }
    if (open) writer->WritesDone();
    return writer->Finish();
  });
}

absl::Status SyncSession::PushPhotos() {
  if (!options_.photos) return absl::OkStatus();
  // After a restore the server may lack photos this device thinks it sent:
  // ask about every photo held here (the server's answer decides).
  const bool recheck_all = report_.restore_detected;
  std::vector<device::v1::PhotoUpload> queue;
  absl::Status s = device_->store_->ForEachPhotoUpload([&](const device::v1::PhotoUpload& p) {
    if (!p.uploaded() || recheck_all) queue.push_back(p);
    return true;
  });
  if (!s.ok()) return s;
  if (queue.empty()) return absl::OkStatus();
  std::stable_sort(queue.begin(), queue.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });

  auto stub = v1::PhotoService::NewStub(channel_);
  absl::StatusOr<std::vector<v1::PhotoStatusEntry>> statuses = PhotoStatuses(*stub, queue);
  if (!statuses.ok()) return statuses.status();
  std::map<std::string, uint64_t> offsets;
  uint64_t to_send = 0;
  for (size_t i = 0; i < queue.size(); ++i) {
    const v1::PhotoStatusEntry& status = (*statuses)[i];
    if (status.state() == v1::PHOTO_COMPLETE) {
      if (!queue[i].uploaded() || !queue[i].last_error().empty()) {
        queue[i].set_uploaded(true);
        queue[i].clear_last_error();
        if (absl::Status saved = SavePhoto(queue[i]); !saved.ok()) return saved;
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
  photo_bytes_done_ = 0;
  state_progress_.photo_bytes_to_send = to_send;
  state_progress_.photo_bytes_sent = 0;
  Report("photos");

  for (device::v1::PhotoUpload& photo : queue) {
    if (photo.uploaded()) continue;
    uint64_t offset = offsets[photo.sha256()];
    int attempt = 0;
    while (true) {
      // Records written while photos go up are pushed first.
      absl::StatusOr<uint64_t> pending = device_->PendingCount();
      if (!pending.ok()) return pending.status();
      if (*pending > 0) {
        if (absl::Status pushed = PushAll(); !pushed.ok()) return pushed;
        Report("photos");
      }
      v1::UploadPhotoResponse response;
      grpc::Status status = UploadCall(*stub, photo, offset, &response);
      if (status.ok()) {
        if (response.received_offset() > offset) attempt = 0;
        offset = response.received_offset();
        if (!response.complete()) continue;
        photo.set_uploaded(true);
        photo.clear_last_error();
        ++report_.photos_uploaded;
        if (absl::Status saved = SavePhoto(photo); !saved.ok()) return saved;
        break;
      }
      state_progress_.photo_bytes_sent = photo_bytes_done_ + offset;
      if (status.error_code() == grpc::StatusCode::CANCELLED && cancelled()) {
        return absl::CancelledError("sync cancelled");
      }
      const bool retryable = Retryable(status.error_code()) ||
                             status.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
      if (!retryable) {
        // Refused (hash mismatch, scope, size, quota, record not there):
        // kept here with the reason; the next sync tries again.
        photo.set_last_error(status.error_message());
        ++report_.photos_failed;
        if (absl::Status saved = SavePhoto(photo); !saved.ok()) return saved;
        break;
      }
      if (++attempt >= options_.max_attempts) {
        return absl::UnavailableError(
            absl::StrCat("photo upload: ", status.error_message()));
      }
      if (absl::Status b = Backoff(attempt - 1); !b.ok()) return b;
      // Where the server is now (durable): resume from there.
      absl::StatusOr<std::vector<v1::PhotoStatusEntry>> now = PhotoStatuses(*stub, {photo});
      if (!now.ok()) return now.status();
      const v1::PhotoStatusEntry& entry = now->front();
      if (entry.received_offset() > offset) attempt = 0;
      if (entry.state() == v1::PHOTO_COMPLETE) {
        photo.set_uploaded(true);
        photo.clear_last_error();
        ++report_.photos_uploaded;
        if (absl::Status saved = SavePhoto(photo); !saved.ok()) return saved;
        break;
      }
      offset = entry.received_offset();
    }
    photo_bytes_done_ += photo.size();
    state_progress_.photo_bytes_sent = photo_bytes_done_;
    Report("photos");
  }
  return absl::OkStatus();
}

}  // namespace kawal::mobile
