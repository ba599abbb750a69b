// Photo bytes on demand (docs/photos.md): metadata always syncs, a
// picture's bytes come down only when asked for. The download resumes from
// what a previous attempt left in <out>.part and takes its name only once
// its SHA-256 matches.
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/schema.h"
#include "local_store.h"
#include "photo_files.h"
#include "sync_session.h"

namespace kawal::mobile {

absl::Status SyncSession::FetchPhoto(const v1::PhotoRef& ref, uint64_t size,
                                     const std::string& out_path) {
  device::v1::DeviceState state = State();
  if (state.server().empty()) {
    return absl::FailedPreconditionError("no server configured: run init with --server first");
  }
  Connect(state.server());
  auto stub = v1::PhotoService::NewStub(channel_);
  const std::string part = out_path + ".part";
  std::error_code ec;
  int attempt = 0;
  while (true) {
    uint64_t have = std::filesystem::exists(part, ec) ? std::filesystem::file_size(part, ec) : 0;
    if (have > size) {  // not this photo's beginning: start over
      std::filesystem::remove(part, ec);
      have = 0;
    }
    if (have == size) break;
    std::ofstream out(part, std::ios::binary | std::ios::app);
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", part));
    v1::DownloadPhotoRequest request;
    *request.mutable_photo() = ref;
    request.set_offset(have);
    grpc::Status status = CallOnce([&](grpc::ClientContext* context) {
      std::unique_ptr<grpc::ClientReader<v1::DownloadPhotoResponse>> reader =
          stub->DownloadPhoto(context, request);
      v1::DownloadPhotoResponse chunk;
      while (reader->Read(&chunk)) {
        out.write(chunk.data().data(), static_cast<std::streamsize>(chunk.data().size()));
        out.flush();  // what arrived survives a cut of the link
        report_.bytes_received += chunk.data().size();
      }
      return reader->Finish();
    });
    out.close();
    if (status.ok()) continue;  // the loop head checks the size
    if (status.error_code() == grpc::StatusCode::CANCELLED && cancelled()) {
      return absl::CancelledError("download cancelled");
    }
    const uint64_t now = std::filesystem::file_size(part, ec);
    if (now > have) attempt = 0;
    if (!Retryable(status.error_code()) || ++attempt >= options_.max_attempts) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("photo download: ", status.error_message()));
    }
    if (absl::Status b = Backoff(attempt - 1); !b.ok()) return b;
  }
  absl::StatusOr<std::string> hash = HashFile(part);
  if (!hash.ok()) return hash.status();
  if (*hash != ref.sha256()) {
    std::filesystem::remove(part, ec);
    return absl::DataLossError(absl::StrCat("downloaded photo hashes to ", *hash, ", not ",
                                            ref.sha256(), ": discarded; try again"));
  }
  if (absl::Status s = SyncPath(part); !s.ok()) return s;
  std::filesystem::rename(part, out_path, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("writing ", out_path, ": ", ec.message()));
  return absl::OkStatus();
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
    const std::string source = store_->dir() + "/photos/" + sha256;
    std::filesystem::copy_file(source, out_path,
                               std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) return absl::UnavailableError(absl::StrCat("writing ", out_path, ": ", ec.message()));
    return absl::OkStatus();
  }
  v1::PhotoRef ref;
  ref.set_record_id(found->record_id);
  ref.set_sha256(sha256);
  std::lock_guard<std::mutex> sync_lock(sync_mu_);
  SyncSession session(this, options, nullptr);
  {
    std::lock_guard<std::mutex> lock(session_mu_);
    session_ = &session;
  }
  absl::Status status = session.FetchPhoto(ref, found->size, out_path);
  std::lock_guard<std::mutex> lock(session_mu_);
  session_ = nullptr;
  return status;
}

}  // namespace kawal::mobile
