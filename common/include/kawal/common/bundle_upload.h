// The client side of BundleService.ImportBundle (proto/kawal/v1/bundle.proto),
// shared by kawal-admin bundle import and Device::RelayBundle: the files of
// one bundle up, the reply and summary down, in one call.
//
// Thread-safety: one call per stub at a time is the caller's choice; no
// shared state here.
#ifndef KAWAL_COMMON_BUNDLE_UPLOAD_H_
#define KAWAL_COMMON_BUNDLE_UPLOAD_H_

#include <string>
#include <vector>

#include <grpcpp/client_context.h>

#include "kawal/v1/bundle.grpc.pb.h"

namespace kawal::common {

struct BundleUpload {
  std::string reply;  // the reply bundle file
  v1::ImportSummary summary;
};

// Sends `files` (one whole bundle, or every part of a split one) in one
// ImportBundle call on `context`, each file's last chunk marked
// end_of_file, and collects the answer into `out` (cleared first, so a
// retried call starts over). Returns the call's status.
grpc::Status UploadBundle(v1::BundleService::StubInterface& stub, grpc::ClientContext* context,
                          const std::vector<std::string>& files, BundleUpload* out);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_BUNDLE_UPLOAD_H_
