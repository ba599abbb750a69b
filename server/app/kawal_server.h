// A whole kawal-server: the database, the sequencer, the services and the
// gRPC server that hosts them. main() and in-process tests both use it.
//
// Thread-safety: Start, Wait and Shutdown are called from one controlling
// thread (Shutdown may come from a signal-watching thread).
#ifndef KAWAL_SERVER_APP_KAWAL_SERVER_H_
#define KAWAL_SERVER_APP_KAWAL_SERVER_H_

#include <memory>
#include <string>

#include <grpcpp/server.h>

#include "absl/status/statusor.h"
#include "store/database.h"
#include "kawal/sync/clock.h"
#include "engine/pull_reader.h"
#include "aggregates/region_directory.h"
#include "engine/push_applier.h"
#include "store/sequencer.h"
#include "base/server_config.h"
#include "ops/metrics.h"
#include "ops/metrics_endpoint.h"
#include "service/shard_guard.h"
#include "store/device_keys.h"
#include "store/user_store.h"
#include "kawal/common/bundle_keys.h"

namespace kawal::server {

class SyncServiceImpl;
class AdminServiceImpl;
class ReportServiceImpl;
class AggregateObserver;
class FreshnessRecorder;
class BackupManager;
class PhotoStore;
class PhotoServiceImpl;
class BundleServiceImpl;
class SessionServiceImpl;

class KawalServer {
 public:
  // Opens the database and prepares the services; does not listen yet.
  // On a new database, creates the admin user and writes its token to
  // <data_dir>/admin.token (mode 0600).
  static absl::StatusOr<std::unique_ptr<KawalServer>> Create(const ServerConfig& config);
  ~KawalServer();

  // Starts listening on config.listen; returns the bound port (useful with
  // port 0).
  absl::StatusOr<int> Start();
  // The port of the metrics endpoint (--metrics_listen); 0 when off.
  int metrics_port() const { return metrics_endpoint_ ? metrics_endpoint_->port() : 0; }
  // True while the database answers a read (the systemd watchdog's test).
  bool Healthy() const;

 private:
  void RegisterGauges();

 public:
  // Blocks until Shutdown.
  void Wait();
  // Stops accepting calls, lets in-flight calls finish (up to a deadline),
  // then closes the database.
  void Shutdown();

  const std::string& admin_token_path() const { return admin_token_path_; }
  // The admin's dashboard password, written at first start next to the token.
  const std::string& admin_password_path() const { return admin_password_path_; }
  bool created_admin_token() const { return created_admin_token_; }
  Database* database() { return database_.get(); }
  UserStore* users() { return users_.get(); }
  // The server's bundle keys (<data_dir>/bundle_keys, docs/bundles.md).
  const common::ServerBundleKeys& bundle_keys() const { return bundle_keys_; }

 private:
  KawalServer() = default;
  absl::Status CreateAdminOnFirstStart();

  ServerConfig config_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<sync::Clock> clock_;
  std::unique_ptr<UserStore> users_;
  common::ServerBundleKeys bundle_keys_;
  std::unique_ptr<DeviceKeys> device_keys_;
  std::unique_ptr<PushApplier> applier_;
  std::unique_ptr<PullReader> reader_;
  std::unique_ptr<SyncServiceImpl> sync_service_;
  std::unique_ptr<AdminServiceImpl> admin_service_;
  std::unique_ptr<ReportServiceImpl> report_service_;
  std::unique_ptr<AggregateObserver> aggregates_;
  std::unique_ptr<FreshnessRecorder> freshness_;
  std::unique_ptr<BackupManager> backups_;
  std::unique_ptr<PhotoStore> photos_;
  std::unique_ptr<PhotoServiceImpl> photo_service_;
  std::unique_ptr<BundleServiceImpl> bundle_service_;
  std::unique_ptr<SessionServiceImpl> session_service_;
  RegionDirectory regions_;
  ShardGuard shard_;
  std::unique_ptr<grpc::Server> grpc_server_;
  ops::MetricsRegistry metrics_;
  std::unique_ptr<ChangeObserver> metrics_observer_;
  std::unique_ptr<ops::MetricsEndpoint> metrics_endpoint_;
  std::string admin_token_path_;
  std::string admin_password_path_;
  bool created_admin_token_ = false;
  bool shut_down_ = false;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_APP_KAWAL_SERVER_H_
