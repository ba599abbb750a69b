// kawal-server: the Kawal Desa sync server. See README.md and
// docs/server.md for flags and operation.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "app/kawal_server.h"
#include "base/server_log.h"
#include "base/server_tuning.h"
#include "kawal/sync/quote.h"
#include "ops/systemd_notify.h"

namespace tuning = kawal::server::tuning;

ABSL_FLAG(std::string, data_dir, "data", "Folder of the RocksDB database (created if missing)");
ABSL_FLAG(std::string, listen, "127.0.0.1:7443", "Address to listen on (host:port; port 0 picks one)");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain for TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key for TLS");
ABSL_FLAG(bool, insecure_plaintext, false,
          "Allow plaintext on a non-loopback address (only behind a TLS-terminating proxy)");
ABSL_FLAG(absl::Duration, max_clock_skew, absl::Milliseconds(tuning::kMaxClockSkewMs),
          "Reject writes stamped later than server time plus this");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Milliseconds(tuning::kShutdownGraceMs),
          "On SIGTERM/SIGINT, how long in-flight calls may take before they are cancelled");
ABSL_FLAG(uint32_t, max_batch, tuning::kMaxBatch, "Maximum deltas per Push");
ABSL_FLAG(uint32_t, max_message_bytes, tuning::kMaxMessageBytes, "Maximum request/response size in bytes");
ABSL_FLAG(std::string, seed_region, "",
          "Region code whose village records to seed at start (e.g. 62.10, Gunung Mas)");
ABSL_FLAG(std::string, backup_dir, "", "Folder of backups (default: <data_dir>-backups)");
ABSL_FLAG(absl::Duration, backup_interval, absl::ZeroDuration(),
          "Take a backup this often (e.g. 6h); 0 disables scheduled backups");
ABSL_FLAG(uint32_t, backup_keep, tuning::kBackupKeep, "Scheduled backups keep the newest this many");
ABSL_FLAG(uint64_t, max_photo_bytes, tuning::kMaxPhotoBytes, "Largest photo accepted, in bytes");
ABSL_FLAG(uint32_t, photo_uploads_per_user, tuning::kPhotoUploadsPerUser,
          "Photo uploads one user may have in progress at once");
ABSL_FLAG(std::string, regions_file, "",
          "Kemendagri code list (code,name CSV); default: /usr/share/kawal/wilayah.csv, "
          "else <install prefix>/share/kawal, else the source tree (docs/server.md)");
ABSL_FLAG(std::string, serve_regions, "",
          "Comma-separated province or kabupaten codes this server serves as a shard "
          "(e.g. 62.10,62.11); calls for other regions are refused. Empty: every region");

ABSL_FLAG(std::string, metrics_listen, "",
          "Serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464); empty: off");
ABSL_FLAG(std::string, log_format, "text",
          "One line per RPC on stderr: text (key=value) or json (JSON lines)");
ABSL_FLAG(absl::Duration, tls_reload, absl::Seconds(tuning::kTlsReloadSeconds),
          "How often --tls_cert/--tls_key are checked for a rotated certificate");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("kawal-server --data_dir=DIR [--listen=127.0.0.1:7443] [flags]");
  absl::FlagsUsageConfig usage_config;
  // KAWAL_VERSION: the project version from CMake (server/app/CMakeLists.txt).
  usage_config.version_string = [] { return std::string("kawal-server " KAWAL_VERSION "\n"); };
  absl::SetFlagsUsageConfig(usage_config);
  absl::ParseCommandLine(argc, argv);
  // Before any thread starts: fewer malloc arenas (docs/server.md, "Memory").
  // An operator's MALLOC_ARENA_MAX wins; glibc has read it already.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, tuning::kMallocArenas);

  // Signals go to one watcher thread, which starts the graceful stop.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  kawal::server::ServerConfig config;
  config.data_dir = absl::GetFlag(FLAGS_data_dir);
  config.listen = absl::GetFlag(FLAGS_listen);
  config.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  config.tls_key = absl::GetFlag(FLAGS_tls_key);
  config.insecure_plaintext = absl::GetFlag(FLAGS_insecure_plaintext);
  config.max_clock_skew_ms = absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_max_clock_skew));
  config.max_batch = absl::GetFlag(FLAGS_max_batch);
  config.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  config.seed_region = absl::GetFlag(FLAGS_seed_region);
  config.shutdown_grace_ms = absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_shutdown_grace));
  config.regions_file = absl::GetFlag(FLAGS_regions_file);
  config.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  config.backup_interval_ms = absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_backup_interval));
  config.backup_keep = absl::GetFlag(FLAGS_backup_keep);
  config.serve_regions = absl::GetFlag(FLAGS_serve_regions);
  config.max_photo_bytes = absl::GetFlag(FLAGS_max_photo_bytes);
  config.photo_uploads_per_user = absl::GetFlag(FLAGS_photo_uploads_per_user);
  config.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  config.tls_reload_s = std::max<int64_t>(1, absl::ToInt64Seconds(absl::GetFlag(FLAGS_tls_reload)));
  const std::string log_format = absl::GetFlag(FLAGS_log_format);
  if (log_format != "text" && log_format != "json") {
    std::fprintf(stderr, "kawal-server: --log_format must be text or json, not %s\n",
                 kawal::sync::QuoteClientValue(log_format).c_str());
    return 2;
  }
  config.log_json = log_format == "json";
  if (config.max_batch == 0 || config.max_message_bytes < tuning::kMinMessageBytes) {
    std::fprintf(stderr, "kawal-server: --max_batch must be > 0 and --max_message_bytes >= %u\n",
                 tuning::kMinMessageBytes);
    return 2;
  }

  auto server = kawal::server::KawalServer::Create(config);
  if (!server.ok()) {
    std::fprintf(stderr, "kawal-server: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<int> port = (*server)->Start();
  if (!port.ok()) {
    std::fprintf(stderr, "kawal-server: %s\n", std::string(port.status().message()).c_str());
    return 1;
  }
  std::string host = config.listen.substr(0, config.listen.rfind(':'));
  std::printf("kawal-server: listening on %s:%d (data dir %s)\n", host.c_str(), *port,
              config.data_dir.c_str());
  if (!(*server)->admin_token_path().empty()) {
    std::printf("kawal-server: admin token file: %s\n", (*server)->admin_token_path().c_str());
    std::printf("kawal-server: admin dashboard password file: %s\n",
                (*server)->admin_password_path().c_str());
  }
  if ((*server)->metrics_port() != 0) {
    kawal::server::LogInfo(absl::StrCat(
        "metrics on http://", config.metrics_listen.substr(0, config.metrics_listen.rfind(':')),
        ":", (*server)->metrics_port(), "/metrics"));
  }
  std::fflush(stdout);

  kawal::server::KawalServer* raw = server->get();
  // systemd (Type=notify): started once the database is open and the port
  // bound; a watchdog ping only while the database answers.
  if (absl::Status s = kawal::server::ops::NotifySystemd("READY=1"); !s.ok()) {
    kawal::server::LogError(std::string(s.message()));
  }
  kawal::server::ops::SystemdWatchdog watchdog(kawal::server::ops::SystemdWatchdogInterval(),
                                               [raw] { return raw->Healthy(); });
  std::thread watcher([raw, signals] {
    int received = 0;
    sigwait(&signals, &received);
    kawal::server::LogInfo(absl::StrCat("signal ", received, ": stopping"));
    kawal::server::ops::NotifySystemd("STOPPING=1").IgnoreError();
    raw->Shutdown();
  });
  raw->Wait();
  // Wait() returns after Shutdown() began; let the watcher finish closing.
  watcher.join();
  server->reset();  // closes the database
  kawal::server::LogInfo("stopped cleanly");
  // Everything is closed and synced; skip gRPC's slow global teardown
  // (seconds of background-thread joins) so service managers see a prompt exit.
  std::fflush(nullptr);
  ::_exit(0);
}
