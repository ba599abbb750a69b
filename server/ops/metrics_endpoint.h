// The HTTP endpoint a Prometheus scraper reads: GET /metrics on
// --metrics_listen (off by default; 127.0.0.1:9464 is the usual choice).
// Served by Debian's cpp-httplib (a compiled library, so its header costs
// one translation unit), on threads of its own: a slow scraper never holds
// a gRPC thread.
//
// Thread-safety: Start/Stop from one thread; serving is internal.
#ifndef KAWAL_SERVER_OPS_METRICS_ENDPOINT_H_
#define KAWAL_SERVER_OPS_METRICS_ENDPOINT_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "ops/metrics.h"

namespace httplib {
class Server;
}

namespace kawal::server::ops {

class MetricsEndpoint {
 public:
  // Listens on `listen` ("host:port"; port 0 picks a free one) and serves
  // `registry`, which must outlive the endpoint. INVALID_ARGUMENT for a
  // malformed address, UNAVAILABLE when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(const std::string& listen,
                                                                const MetricsRegistry* registry);
  ~MetricsEndpoint();  // stops serving

  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  std::atomic<bool> listening_ended_{false};
  int port_ = 0;
};

}  // namespace kawal::server::ops

#endif  // KAWAL_SERVER_OPS_METRICS_ENDPOINT_H_
