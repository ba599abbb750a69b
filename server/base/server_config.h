// Settings of a running kawal-server (from its flags).
#ifndef KAWAL_SERVER_BASE_SERVER_CONFIG_H_
#define KAWAL_SERVER_BASE_SERVER_CONFIG_H_

#include <cstdint>
#include <string>

#include "base/server_tuning.h"

namespace kawal::server {

struct ServerConfig {
  std::string data_dir = "data";
  std::string listen = "127.0.0.1:7443";
  std::string tls_cert;  // PEM files; both or neither
  std::string tls_key;
  bool insecure_plaintext = false;  // allow plaintext on a non-loopback address
  int64_t max_clock_skew_ms = tuning::kMaxClockSkewMs;
  uint32_t max_batch = tuning::kMaxBatch;
  uint32_t max_message_bytes = tuning::kMaxMessageBytes;
  uint32_t pull_max_records = tuning::kPullMaxRecords;
  // How long a stop waits for in-flight calls before cancelling them.
  int64_t shutdown_grace_ms = tuning::kShutdownGraceMs;
  std::string seed_region;   // e.g. "62.10": seed its village records
  std::string regions_file;  // Kemendagri code,name CSV used for seeding
  std::string backup_dir;    // default: <data_dir>-backups
  int64_t backup_interval_ms = 0;  // 0: no scheduled backups
  uint32_t backup_keep = tuning::kBackupKeep;
  // --serve_regions: province or kabupaten codes this shard serves, comma
  // separated; empty serves everything (shard_guard.h).
  std::string serve_regions;
  uint64_t max_photo_bytes = tuning::kMaxPhotoBytes;
  uint32_t photo_uploads_per_user = tuning::kPhotoUploadsPerUser;  // uploads in progress at once
  int64_t tls_reload_s = tuning::kTlsReloadSeconds;
  // host:port of the Prometheus endpoint; empty: none (ops/metrics_endpoint.h).
  std::string metrics_listen;
  // One line per RPC on stderr, as JSON objects when true (ops/rpc_observer.h).
  bool log_json = false;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_BASE_SERVER_CONFIG_H_
