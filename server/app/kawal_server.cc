#include "app/kawal_server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/admin_service.h"
#include "aggregates/aggregates.h"
#include "backup/backup.h"
#include "service/freshness.h"
#include "service/bundle_service.h"
#include "service/photo_service.h"
#include "service/session_service.h"
#include "store/password_hash.h"
#include "store/photo_store.h"
#include "service/report_service.h"
#include "app/region_seed.h"
#include "base/server_log.h"
#include "service/sync_service.h"
#include "ops/reloading_tls.h"
#include "ops/rpc_observer.h"
#include "store/storage_keys.h"

namespace kawal::server {
namespace {

bool IsLoopback(const std::string& listen) {
  std::string host = listen.substr(0, listen.rfind(':'));
  return absl::StartsWith(host, "127.") || host == "localhost" || host == "[::1]" ||
         host == "::1";
}

// Writes `content` to `path` readable by the owner only, durably.
absl::Status WritePrivateFile(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::FailedPreconditionError(absl::StrCat("cannot write ", tmp));
  ::fchmod(fd, 0600);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

// Counts what pushes wrote that an operator watches: conflict records (a
// concurrent overwrite was detected) and photo records (evidence arriving).
// Photo bytes are counted by the photo store, where content is stored.
class WriteCounter final : public ChangeObserver {
 public:
  explicit WriteCounter(ops::MetricsRegistry* metrics)
      : conflicts_(metrics->GetCounter("kawal_conflicts_detected_total",
                                       "Conflict records written (concurrent overwrites).")),
        photos_(metrics->GetCounter("kawal_photo_records_total",
                                    "Photo records received (evidence metadata).")) {}

  std::unique_ptr<PushObserver> StartPush() override {
    return std::make_unique<Push>(this);
  }

 private:
  class Push final : public PushObserver {
   public:
    explicit Push(WriteCounter* counter) : counter_(counter) {}
    absl::Status OnChange(const sync::RecordState& before, const sync::RecordState& after,
                          rocksdb::WriteBatch&) override {
      if (!before.IsEmpty()) return absl::OkStatus();  // only new records count
      if (after.collection == "conflict") ++conflicts_;
      if (after.collection == "photo") {
        ++photos_;
      }
      return absl::OkStatus();
    }
    // Counted when the push's batch is complete: a push rejected earlier
    // counts nothing (a disk failure on the final write is the exception).
    absl::Status Finish(rocksdb::WriteBatch&) override {
      counter_->conflicts_->Add(conflicts_);
      counter_->photos_->Add(photos_);
      return absl::OkStatus();
    }

   private:
    WriteCounter* counter_;
    uint64_t conflicts_ = 0, photos_ = 0;
  };

  ops::Counter* conflicts_;
  ops::Counter* photos_;
};

// The server's own HLC node: derived from the incarnation, so conflict
// records it writes are attributable to this database.
uint64_t ServerNode(const std::string& incarnation) {
  uint64_t node = 0;
  if (!absl::SimpleHexAtoi(absl::string_view(incarnation).substr(0, 16), &node)) node = 1;
  return node;
}

}  // namespace

absl::StatusOr<std::unique_ptr<KawalServer>> KawalServer::Create(const ServerConfig& config) {
  std::unique_ptr<KawalServer> server(new KawalServer());
  server->config_ = config;
  absl::StatusOr<ShardGuard> shard = ShardGuard::Parse(config.serve_regions);
  if (!shard.ok()) return shard.status();
  server->shard_ = *std::move(shard);
  if (!config.seed_region.empty()) {
    if (absl::Status s = server->shard_.CheckWrite(config.seed_region); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--seed_region=", config.seed_region,
                                                     " is outside --serve_regions: ", s.message()));
    }
  }
  if (!server->shard_.serves_everything()) {
    LogInfo(absl::StrCat("shard: serves ", server->shard_.Describe(), " only"));
  }
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(config.data_dir);
  if (!database.ok()) return database.status();
  server->database_ = *std::move(database);
  if (const RecordFormatMigration& m = server->database_->record_migration();
      m.from_format != kCurrentRecordFormat) {
    LogInfo(absl::StrCat("records migrated from format ", m.from_format, " to ",
                         kCurrentRecordFormat, ": ", m.records_rewritten, " rewritten"));
  }
  absl::StatusOr<bool> aggregates_rebuilt = UpgradeAggregates(*server->database_);
  if (!aggregates_rebuilt.ok()) return aggregates_rebuilt.status();
  if (*aggregates_rebuilt) {
    LogInfo(absl::StrCat("aggregates recomputed for version ", kAggregatesVersion));
  }
  server->sequencer_ = std::make_unique<Sequencer>(server->database_.get());
  server->clock_ = std::make_unique<sync::Clock>(ServerNode(server->database_->incarnation()));
  server->users_ = std::make_unique<UserStore>(server->database_.get());
  absl::StatusOr<common::ServerBundleKeys> bundle_keys =
      common::LoadOrCreateServerKeys(absl::StrCat(config.data_dir, "/", kBundleKeysFile));
  if (!bundle_keys.ok()) return bundle_keys.status();
  server->bundle_keys_ = *std::move(bundle_keys);
  server->device_keys_ = std::make_unique<DeviceKeys>(server->database_.get());
  server->applier_ = std::make_unique<PushApplier>(server->database_.get(), server->sequencer_.get(),
                                                   server->clock_.get(), &sync::Schema::Default());
  server->reader_ = std::make_unique<PullReader>(server->database_.get(), server->sequencer_.get());
  server->aggregates_ = std::make_unique<AggregateObserver>();
  server->applier_->AddObserver(server->aggregates_.get());
  server->metrics_observer_ = std::make_unique<WriteCounter>(&server->metrics_);
  server->applier_->AddObserver(server->metrics_observer_.get());
  const std::string regions_file =
      config.regions_file.empty() ? DefaultRegionsFile() : config.regions_file;
  if (absl::StatusOr<RegionDirectory> regions = RegionDirectory::Load(regions_file); regions.ok()) {
    server->regions_ = *std::move(regions);
  } else if (!config.seed_region.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(regions.status().message(), ": needed by --seed_region (set --regions_file)"));
  } else {
    LogError(absl::StrCat(regions.status().message(), "; reports will show codes without names"));
  }
  server->freshness_ = std::make_unique<FreshnessRecorder>(server->database_.get(),
                                                           &server->regions_);
  server->sync_service_ = std::make_unique<SyncServiceImpl>(
      &server->config_, server->database_.get(), server->sequencer_.get(), server->clock_.get(),
      server->users_.get(), server->applier_.get(), server->reader_.get());
  server->sync_service_->SetSyncObserver(server->freshness_.get());
  server->sync_service_->SetBundleKeys(server->bundle_keys_.Public(), server->device_keys_.get());
  server->admin_service_ = std::make_unique<AdminServiceImpl>(
      server->database_.get(), server->sequencer_.get(), server->users_.get(),
      server->clock_.get());
  server->admin_service_->SetApplier(server->applier_.get());
  server->backups_ = std::make_unique<BackupManager>(
      server->database_.get(), server->sequencer_.get(),
      config.backup_dir.empty() ? config.data_dir + "-backups" : config.backup_dir);
  server->admin_service_->SetBackups(server->backups_.get());
  server->report_service_ = std::make_unique<ReportServiceImpl>(
      server->database_.get(), server->users_.get(), &server->regions_, server->clock_.get());
  server->sync_service_->SetShardGuard(&server->shard_);
  server->admin_service_->SetShardGuard(&server->shard_);
  server->report_service_->SetShardGuard(&server->shard_);
  server->report_service_->SetApplier(server->applier_.get());
  server->photos_ = std::make_unique<PhotoStore>(
      server->database_.get(),
      PhotoLimits{config.max_photo_bytes, config.photo_uploads_per_user});
  ops::Counter* photo_bytes_stored = server->metrics_.GetCounter(
      "kawal_photo_bytes_stored_total",
      "Bytes of photo content stored (uploads completed and verified against their SHA-256).");
  server->photos_->SetStoredObserver(
      [photo_bytes_stored](uint64_t bytes) { photo_bytes_stored->Add(bytes); });
  server->photo_service_ = std::make_unique<PhotoServiceImpl>(
      server->users_.get(), server->applier_.get(), server->photos_.get());
  server->photo_service_->SetShardGuard(&server->shard_);
  server->bundle_service_ = std::make_unique<BundleServiceImpl>(
      server->users_.get(), server->device_keys_.get(), &server->bundle_keys_,
      server->sync_service_.get(), server->photo_service_.get());
  server->bundle_service_->SetShardGuard(&server->shard_);
  server->session_service_ = std::make_unique<SessionServiceImpl>(server->users_.get());
  server->session_service_->SetShardGuard(&server->shard_);
  server->admin_token_path_ = config.data_dir + "/admin.token";
  server->admin_password_path_ = config.data_dir + "/admin.password";
  if (absl::Status s = server->CreateAdminOnFirstStart(); !s.ok()) return s;
  if (!config.seed_region.empty()) {
    absl::StatusOr<SeedResult> seeded = SeedRegion(server->regions_, config.seed_region,
                                                   server->applier_.get(), server->clock_.get());
    if (!seeded.ok()) return seeded.status();
    LogInfo(absl::StrCat("region ", config.seed_region, ": ", seeded->villages_found,
                         " villages in ", seeded->kecamatan, " kecamatan (",
                         seeded->villages_added, " newly seeded)"));
  }
  return server;
}

absl::Status KawalServer::CreateAdminOnFirstStart() {
  if (!database_->created()) return absl::OkStatus();
  auto added = users_->Add("admin", v1::ADMIN, {});
  if (!added.ok()) return added.status();
  if (absl::Status s = WritePrivateFile(admin_token_path_, added->second + "\n"); !s.ok()) return s;
  // The dashboard (kawal-web) logs in with a password, never the token.
  const std::string password = NewRandomPassword();
  if (absl::StatusOr<storage::v1::UserEntry> set = users_->SetPassword("admin", password);
      !set.ok()) {
    return set.status();
  }
  if (absl::Status s = WritePrivateFile(admin_password_path_, password + "\n"); !s.ok()) return s;
  created_admin_token_ = true;
  LogInfo(absl::StrCat("new database, incarnation ", database_->incarnation(),
                       "; admin token written to ", admin_token_path_, " and dashboard password to ",
                       admin_password_path_, " (mode 0600)"));
  return absl::OkStatus();
}

absl::StatusOr<int> KawalServer::Start() {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (!config_.tls_cert.empty() || !config_.tls_key.empty()) {
    if (config_.tls_cert.empty() || config_.tls_key.empty()) {
      return absl::InvalidArgumentError("--tls_cert and --tls_key must be given together");
    }
    // Follows the files: a rotated certificate is served without a restart.
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> tls = ops::ReloadingTlsCredentials(
        config_.tls_cert, config_.tls_key, absl::Seconds(config_.tls_reload_s));
    if (!tls.ok()) return tls.status();
    credentials = *std::move(tls);
  } else {
    if (!IsLoopback(config_.listen) && !config_.insecure_plaintext) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing plaintext on non-loopback address ", config_.listen,
          ": give --tls_cert and --tls_key, or --insecure_plaintext behind a TLS proxy"));
    }
    credentials = grpc::InsecureServerCredentials();
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config_.listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(config_.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(config_.max_message_bytes));
  builder.RegisterService(sync_service_.get());
  builder.RegisterService(admin_service_.get());
  builder.RegisterService(report_service_.get());
  builder.RegisterService(photo_service_.get());
  builder.RegisterService(bundle_service_.get());
  builder.RegisterService(session_service_.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> observers;
  observers.push_back(std::make_unique<ops::RpcObserver>(
      &metrics_, config_.log_json ? ops::LogFormat::kJson : ops::LogFormat::kText,
      [](const std::string& line) { LogLine(line); }));
  builder.experimental().SetInterceptorCreators(std::move(observers));
  grpc_server_ = builder.BuildAndStart();
  if (!grpc_server_ || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config_.listen));
  }
  grpc_server_->GetHealthCheckService()->SetServingStatus(true);
  backups_->StartSchedule(config_.backup_interval_ms, config_.backup_keep);
  if (!config_.metrics_listen.empty()) {
    RegisterGauges();
    absl::StatusOr<std::unique_ptr<ops::MetricsEndpoint>> endpoint =
        ops::MetricsEndpoint::Start(config_.metrics_listen, &metrics_);
    if (!endpoint.ok()) return endpoint.status();
    metrics_endpoint_ = *std::move(endpoint);
  }
  return port;
}

bool KawalServer::Healthy() const {
  std::string value;
  rocksdb::Status s =
      database_->db()->Get(rocksdb::ReadOptions(), MetaKey(kMetaIncarnation), &value);
  return s.ok();
}

void KawalServer::RegisterGauges() {
  rocksdb::DB* db = database_->db();
  auto property = [db](const char* name) {
    return [db, name] {
      uint64_t value = 0;
      db->GetIntProperty(name, &value);
      return std::vector<ops::MetricsRegistry::GaugeSample>{{{}, static_cast<double>(value)}};
    };
  };
  metrics_.AddGauge("kawal_rocksdb_live_data_bytes", "RocksDB's estimate of live data size.",
                    property("rocksdb.estimate-live-data-size"));
  metrics_.AddGauge("kawal_rocksdb_pending_compaction_bytes",
                    "Bytes RocksDB estimates compaction still has to rewrite.",
                    property("rocksdb.estimate-pending-compaction-bytes"));
  metrics_.AddGauge("kawal_rocksdb_write_stopped",
                    "1 while RocksDB stops writes (a stall), else 0.",
                    property("rocksdb.is-write-stopped"));
  metrics_.AddGauge("kawal_rocksdb_delayed_write_rate_bytes",
                    "The write rate RocksDB slows writers to while it catches up; 0: no delay.",
                    property("rocksdb.actual-delayed-write-rate"));
  // Where the server's memory goes (docs/server.md, "Memory").
  metrics_.AddGauge("kawal_rocksdb_memtable_bytes", "Bytes held by RocksDB's memtables.",
                    property("rocksdb.cur-size-all-mem-tables"));
  metrics_.AddGauge("kawal_rocksdb_block_cache_bytes",
                    "Bytes in RocksDB's block cache (data, index and filter blocks).",
                    property("rocksdb.block-cache-usage"));
  metrics_.AddGauge("kawal_rocksdb_table_readers_bytes",
                    "Bytes RocksDB's open table files hold outside the block cache.",
                    property("rocksdb.estimate-table-readers-mem"));
  BackupManager* backups = backups_.get();
  metrics_.AddGauge("kawal_backup_age_seconds",
                    "Seconds since the newest backup was made; absent without backups.", [backups] {
                      std::vector<ops::MetricsRegistry::GaugeSample> out;
                      absl::StatusOr<std::vector<v1::BackupInfo>> list = backups->List();
                      if (!list.ok() || list->empty()) return out;
                      int64_t newest_ms = 0;
                      for (const v1::BackupInfo& b : *list) {
                        newest_ms = std::max(newest_ms, b.created_ms());
                      }
                      out.push_back({{}, (absl::ToUnixMillis(absl::Now()) - newest_ms) / 1000.0});
                      return out;
                    });
  FreshnessRecorder* freshness = freshness_.get();
  metrics_.AddGauge("kawal_devices_seen_24h",
                    "Devices that synced in the last 24 hours (since this server started).",
                    [freshness] {
                      return std::vector<ops::MetricsRegistry::GaugeSample>{
                          {{}, static_cast<double>(freshness->DevicesSeenSince(
                                   absl::ToUnixMillis(absl::Now() - absl::Hours(24))))}};
                    });
}

void KawalServer::Wait() {
  if (grpc_server_) grpc_server_->Wait();
}

void KawalServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (grpc_server_) {
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
    grpc_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(config_.shutdown_grace_ms));
  }
  if (backups_) backups_->Stop();
  if (database_) {
    if (absl::Status s = database_->Close(); !s.ok()) LogError(std::string(s.message()));
  }
}

KawalServer::~KawalServer() { Shutdown(); }

}  // namespace kawal::server
