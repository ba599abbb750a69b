// SyncService: Handshake, Push and Pull (proto/kawal/v1/sync.proto).
//
// Thread-safety: handlers run concurrently on gRPC's threads; the parts
// they use are thread-safe.
#ifndef KAWAL_SERVER_SERVICE_SYNC_SERVICE_H_
#define KAWAL_SERVER_SERVICE_SYNC_SERVICE_H_

#include "store/database.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/schema.h"
#include "kawal/v1/sync.grpc.pb.h"
#include "engine/pull_reader.h"
#include "engine/push_applier.h"
#include "store/sequencer.h"
#include "base/server_config.h"
#include "service/shard_guard.h"
#include "store/device_keys.h"
#include "store/user_store.h"
#include "kawal/common/bundle_keys.h"

namespace kawal::server {

// Records the last successful sync of a user and device (freshness).
class SyncObserver {
 public:
  enum class SyncKind { kPush, kPull };
  virtual ~SyncObserver() = default;
  // A device opened a sync session under `device_name`.
  virtual void OnHandshake(const Caller& caller, uint64_t device_node,
                           const std::string& device_name) = 0;
  // A push was applied, or a pull reached its last page.
  virtual void OnSynced(const Caller& caller, uint64_t device_node,
                        const std::vector<std::string>& scopes, int64_t now_ms,
                        SyncKind kind) = 0;
};

class SyncServiceImpl final : public v1::SyncService::Service {
 public:
  SyncServiceImpl(const ServerConfig* config, Database* database, Sequencer* sequencer,
                  sync::Clock* clock, UserStore* users, PushApplier* applier,
                  PullReader* reader);

  void SetSyncObserver(SyncObserver* observer) { sync_observer_ = observer; }
  // The regions this server serves (--serve_regions); must outlive the service.
  void SetShardGuard(const ShardGuard* shard) { shard_ = shard; }
  // The server's public bundle keys, told in every handshake, and where the
  // devices' bundle keys the handshakes bring are bound (docs/bundles.md);
  // `device_keys` must outlive the service.
  void SetBundleKeys(common::ServerPublicKeys keys, DeviceKeys* device_keys) {
    bundle_keys_ = std::move(keys);
    device_keys_ = device_keys;
  }

  grpc::Status Handshake(grpc::ServerContext* context, const v1::HandshakeRequest* request,
                         v1::HandshakeResponse* response) override;
  grpc::Status Push(grpc::ServerContext* context, const v1::PushRequest* request,
                    v1::PushResponse* response) override;
  grpc::Status Pull(grpc::ServerContext* context, const v1::PullRequest* request,
                    v1::PullResponse* response) override;

  // The handlers' work for an already authenticated caller: the calls above
  // after Authorize, and the bundle import (bundle_service.h), which
  // authenticates a bundle's signer by the token inside it.
  absl::Status HandshakeAs(const Caller& caller, const v1::HandshakeRequest& request,
                           v1::HandshakeResponse* response);
  absl::Status PushAs(const Caller& caller, const v1::PushRequest& request,
                      v1::PushResponse* response);
  absl::Status PullAs(const Caller& caller, const v1::PullRequest& request,
                      v1::PullResponse* response);
  // The limits Push and Pull enforce.
  const ServerConfig& config() const { return *config_; }
  // Its incarnation and restore lineage (bundle replies decide by them).
  const Database& database() const { return *database_; }

 private:
  // The handlers' bodies, in absl::Status: each authorizes the call once,
  // first; each override above converts the result once (ToGrpcStatus).
  absl::Status HandleHandshake(grpc::ServerContext* context, const v1::HandshakeRequest* request,
                               v1::HandshakeResponse* response);
  absl::Status HandlePush(grpc::ServerContext* context, const v1::PushRequest* request,
                          v1::PushResponse* response);
  absl::Status HandlePull(grpc::ServerContext* context, const v1::PullRequest* request,
                          v1::PullResponse* response);

  const ServerConfig* const config_;
  Database* const database_;
  Sequencer* const sequencer_;
  sync::Clock* const clock_;
  UserStore* const users_;
  PushApplier* const applier_;
  PullReader* const reader_;
  SyncObserver* sync_observer_ = nullptr;
  const ShardGuard* shard_ = &ShardGuard::Everything();
  common::ServerPublicKeys bundle_keys_;
  DeviceKeys* device_keys_ = nullptr;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_SYNC_SERVICE_H_
