#include "ops/metrics_endpoint.h"

#include <sys/socket.h>

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kawal::server::ops {

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& listen, const MetricsRegistry* registry) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metrics_listen=", listen, " is not host:port (e.g. 127.0.0.1:9464)"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->http_ = std::make_unique<httplib::Server>();
  // cpp-httplib sets SO_REUSEPORT by default, which would let a second
  // server share the port silently; an address in use must be an error.
  endpoint->http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  endpoint->http_->Get("/metrics", [registry](const httplib::Request&, httplib::Response& res) {
    res.set_content(registry->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  endpoint->port_ = port == 0 ? endpoint->http_->bind_to_any_port(host)
                              : (endpoint->http_->bind_to_port(host, port) ? port : -1);
  if (endpoint->port_ <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for metrics on ", listen,
                                               " (address in use, or not on this machine?)"));
  }
  httplib::Server* http = endpoint->http_.get();
  std::atomic<bool>* listening_ended = &endpoint->listening_ended_;
  endpoint->thread_ = std::thread([http, listening_ended] {
    http->listen_after_bind();
    listening_ended->store(true);
  });
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() {
  if (!thread_.joinable()) return;
  // stop() is a no-op until the serving thread has started listening; a
  // stop that came first would leave join() waiting forever.
  while (!http_->is_running() && !listening_ended_.load()) std::this_thread::yield();
  http_->stop();
  thread_.join();
}

}  // namespace kawal::server::ops
