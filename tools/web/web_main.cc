// kawal-web: the dashboard for district officers (DPMD). An HTTP server on
// 127.0.0.1:8080 by default that renders pages from a running kawal-server's
// ReportService, records and photos, as the officer logged in (their
// session token on every call). It never opens RocksDB. docs/web.md.
//
//   kawal-web [--listen=127.0.0.1:8080] [--server=127.0.0.1:7443]
//             [--tls_ca=ca.pem] [--secure_cookies] [--trust_proxy_headers]
//
// Prints "kawal-web: listening on http://HOST:PORT/" once serving; stops on
// SIGTERM or SIGINT.
#include <httplib.h>
#include <signal.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "web/backend.h"
#include "web/web_app.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8080",
          "address to serve HTTP on, host:port (port 0: any free port, printed)");
ABSL_FLAG(std::string, server, "127.0.0.1:7443", "kawal-server address, host:port");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed kawal-server's certificate (default: the system's "
          "CAs). TLS is used for every address that is not loopback, and for loopback when "
          "this is set");
ABSL_FLAG(bool, insecure, false,
          "Plaintext to a non-loopback kawal-server (only behind a trusted link)");
ABSL_FLAG(std::string, region, "",
          "the kabupaten code (e.g. 62.10) of the shard behind --server: sent as x-kawal-region "
          "on calls that name no region (login, logout, who am I), which a shard refuses "
          "without it");
ABSL_FLAG(int, timeout_s, 30, "deadline of each call to kawal-server, in seconds");
ABSL_FLAG(bool, secure_cookies, false,
          "mark cookies Secure: set this when browsers reach kawal-web over HTTPS (nginx)");
ABSL_FLAG(bool, trust_proxy_headers, false,
          "take the browser's address from X-Real-IP on connections from loopback (a local "
          "nginx in front), for login throttling");
ABSL_FLAG(std::vector<std::string>, trusted_proxies, {},
          "with --trust_proxy_headers: also take X-Real-IP from these peers (addresses or "
          "IPv4 networks a.b.c.d/n, comma-separated), e.g. a Kubernetes Ingress controller's "
          "pod network");
ABSL_FLAG(int, thumbnail_cache_mb, 32,
          "memory for photo thumbnails kept between requests, in MiB (0: none)");

namespace kawal::web {
namespace {

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage("serves the Kawal Desa dashboard for district officers");
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::EndsWith(path, "web_main.cc");
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  usage_config.version_string = [] { return client::VersionString("kawal-web"); };
  absl::SetFlagsUsageConfig(usage_config);
  if (std::string error = client::CheckFlagSyntax(argc, argv); !error.empty()) {
    std::fprintf(stderr, "kawal-web: %s\n", error.c_str());
    return 2;
  }
  absl::ParseCommandLine(argc, argv);

  const std::string listen = absl::GetFlag(FLAGS_listen);
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    std::fprintf(stderr, "kawal-web: --listen=%s is not host:port\n", listen.c_str());
    return 2;
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

  absl::StatusOr<common::TransportPlan> transport = client::PlanChannel(
      absl::GetFlag(FLAGS_server), absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_insecure));
  if (!transport.ok()) {
    std::fprintf(stderr, "kawal-web: %s\n", std::string(transport.status().message()).c_str());
    return 1;
  }
  client::ClientOptions options;
  options.server = absl::GetFlag(FLAGS_server);
  options.transport = *transport;
  options.timeout_s = absl::GetFlag(FLAGS_timeout_s);
  options.region = absl::GetFlag(FLAGS_region);
  Backend backend(options);

  WebOptions web_options;
  web_options.secure_cookies = absl::GetFlag(FLAGS_secure_cookies);
  web_options.trust_proxy_headers = absl::GetFlag(FLAGS_trust_proxy_headers);
  web_options.trusted_proxies = absl::GetFlag(FLAGS_trusted_proxies);
  const int cache_mb = absl::GetFlag(FLAGS_thumbnail_cache_mb);
  if (cache_mb < 0 || cache_mb > 4096) {
    std::fprintf(stderr, "kawal-web: --thumbnail_cache_mb=%d is not between 0 and 4096\n",
                 cache_mb);
    return 2;
  }
  web_options.thumbnail_cache_bytes = static_cast<size_t>(cache_mb) << 20;
  httplib::Server http;
  WebApp app(&backend, web_options);
  app.Register(&http);
  http.set_payload_max_length(64 * 1024);  // forms only: a login is a few hundred bytes

  // SIGTERM/SIGINT are taken by one thread that stops the server (stop()
  // is not async-signal-safe, so no signal handler calls it).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const int bound = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    std::fprintf(stderr, "kawal-web: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  std::thread stopper([&http, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    http.stop();
  });
  std::printf("kawal-web: listening on http://%s:%d/ (kawal-server %s)\n",
              host.find(':') != std::string::npos ? absl::StrCat("[", host, "]").c_str() : host.c_str(),
              bound, options.server.c_str());
  std::fflush(stdout);
  http.listen_after_bind();
  // Wake the stopper if the server ended on its own.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}

}  // namespace
}  // namespace kawal::web

int main(int argc, char** argv) { return kawal::web::Main(argc, argv); }
