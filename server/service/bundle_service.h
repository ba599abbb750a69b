// BundleService: importing device bundles (proto/kawal/v1/bundle.proto,
// docs/bundles.md). The caller only carries the file: the bundle's signer,
// authenticated by the token sealed inside it, decides what is applied.
//
// Thread-safety: handlers run concurrently on gRPC's threads; the parts
// they use are thread-safe.
#ifndef KAWAL_SERVER_SERVICE_BUNDLE_SERVICE_H_
#define KAWAL_SERVER_SERVICE_BUNDLE_SERVICE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/v1/bundle.grpc.pb.h"
#include "service/photo_service.h"
#include "service/shard_guard.h"
#include "service/sync_service.h"
#include "store/device_keys.h"
#include "store/user_store.h"

namespace kawal::server {

// What importing one bundle gives: the reply bundle for the device and a
// summary for the person importing.
struct BundleImport {
  std::string reply;
  v1::ImportSummary summary;
};

class BundleServiceImpl final : public v1::BundleService::Service {
 public:
  // Every pointer outlives the service.
  BundleServiceImpl(UserStore* users, DeviceKeys* device_keys, const common::ServerBundleKeys* keys,
                    SyncServiceImpl* sync, PhotoServiceImpl* photos);
  void SetShardGuard(const ShardGuard* shard) { shard_ = shard; }

  // Any authenticated caller, as a carrier: an admin importing at the
  // office or a device relaying colleagues' bundles (kawal-field bundle
  // relay). The bundle is applied under its signer's identity and scope,
  // never the carrier's.
  grpc::Status ImportBundle(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::ImportBundleResponse, v1::ImportBundleRequest>* stream) override;

  // Imports one bundle file: verifies its signature, opens it, authenticates
  // its token, checks its signer key against the device's bound key and
  // every change against the signer's villages before applying any (one
  // outside them refuses the whole bundle), then applies it as Push does,
  // stores its photos as uploads do, and writes the reply: the push
  // results, the photo results, the pull since the bundle's cursor and the
  // handshake, signed by the server and sealed to the device. Errors name
  // the problem; nothing is applied when one is returned before the push.
  absl::StatusOr<BundleImport> Import(absl::string_view file);
  // The same for a bundle given as its files: one whole bundle, or all the
  // parts of a split one (kawal/common/bundle_parts.h), in any order. Each
  // part is verified; a missing, repeated or foreign part refuses the whole
  // bundle, naming it, before anything is applied.
  absl::StatusOr<BundleImport> Import(const std::vector<std::string>& files);

 private:
  absl::Status HandleImport(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::ImportBundleResponse, v1::ImportBundleRequest>* stream);

  UserStore* const users_;
  DeviceKeys* const device_keys_;
  const common::ServerBundleKeys* const keys_;
  SyncServiceImpl* const sync_;
  PhotoServiceImpl* const photos_;
  const ShardGuard* shard_ = &ShardGuard::Everything();
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_BUNDLE_SERVICE_H_
