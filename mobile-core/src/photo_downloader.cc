#include "photo_downloader.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "device_core.h"
#include "kawal/v1/photo.grpc.pb.h"
#include "photo_files.h"
#include "sync_link.h"

namespace kawal::mobile {

absl::Status PhotoDownloader::Fetch(const v1::PhotoRef& ref, uint64_t size,
                                    const std::string& out_path) {
  device::v1::DeviceState state = core_.State();
  if (state.server().empty()) {
    return absl::FailedPreconditionError("no server configured: run init with --server first");
  }
  if (absl::Status connected = link_.Connect(state); !connected.ok()) return connected;
  auto stub = v1::PhotoService::NewStub(link_.channel());
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
    grpc::Status status = link_.CallOnce([&](grpc::ClientContext* context) {
      std::unique_ptr<grpc::ClientReader<v1::DownloadPhotoResponse>> reader =
          stub->DownloadPhoto(context, request);
      v1::DownloadPhotoResponse chunk;
      while (reader->Read(&chunk)) {
        out.write(chunk.data().data(), static_cast<std::streamsize>(chunk.data().size()));
        out.flush();  // what arrived survives a cut of the link
        link_.report().bytes_received += chunk.data().size();
      }
      return reader->Finish();
    });
    out.close();
    if (status.ok()) continue;  // the loop head checks the size
    if (status.error_code() == grpc::StatusCode::CANCELLED && link_.cancelled()) {
      return absl::CancelledError("download cancelled");
    }
    const uint64_t now = std::filesystem::file_size(part, ec);
    if (now > have) attempt = 0;
    if (!Retryable(status.error_code()) || ++attempt >= link_.options().max_attempts) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("photo download: ", status.error_message()));
    }
    if (absl::Status b = link_.Backoff(attempt - 1); !b.ok()) return b;
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

}  // namespace kawal::mobile
