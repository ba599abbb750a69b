#include "kawal/common/bundle_upload.h"

namespace kawal::common {
namespace {

// Bytes per request message (the server takes at most 1 MiB).
constexpr size_t kChunkBytes = 1 << 20;

}  // namespace

grpc::Status UploadBundle(v1::BundleService::StubInterface& stub, grpc::ClientContext* context,
                          const std::vector<std::string>& files, BundleUpload* out) {
  *out = BundleUpload();
  auto stream = stub.ImportBundle(context);
  v1::ImportBundleRequest chunk;
  bool sending = true;
  for (size_t f = 0; f < files.size() && sending; ++f) {
    const std::string& file = files[f];
    for (size_t at = 0; at == 0 || at < file.size(); at += kChunkBytes) {
      chunk.set_data(file.substr(at, kChunkBytes));
      chunk.set_end_of_file(at + kChunkBytes >= file.size());
      // False: the server ended the call; Finish says why.
      if (!stream->Write(chunk)) {
        sending = false;
        break;
      }
    }
  }
  stream->WritesDone();
  v1::ImportBundleResponse response;
  while (stream->Read(&response)) {
    if (response.has_summary()) {
      out->summary = response.summary();
    } else {
      out->reply += response.reply_data();
    }
  }
  return stream->Finish();
}

}  // namespace kawal::common
