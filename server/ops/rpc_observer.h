// One observer for every RPC kawal-server answers, as a gRPC server
// interceptor: it counts calls by method and status code, times them,
// counts records and bytes in and out, and writes one log line per call
// (JSON lines with --log_format=json) naming the user — never the token —
// the region header, the code, the duration and the sizes.
//
// Handlers name the authenticated user with RpcObserver::NoteUser once the
// call is authorized; the observer cannot see tokens at all (it reads only
// the method, the x-kawal-region header, the messages' sizes and the status).
//
// Thread-safety: safe from any thread; one interceptor per call.
#ifndef KAWAL_SERVER_OPS_RPC_OBSERVER_H_
#define KAWAL_SERVER_OPS_RPC_OBSERVER_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/support/server_interceptor.h>

#include "absl/strings/string_view.h"
#include "ops/metrics.h"

namespace kawal::server::ops {

enum class LogFormat { kText, kJson };

struct RpcLogLine {
  std::string method;  // "/kawal.v1.SyncService/Push"
  std::string user;    // "" before authentication
  std::string region;  // the x-kawal-region header, escaped and cut short
  std::string code;    // "OK", "PERMISSION_DENIED", ...
  double duration_ms = 0;
  uint64_t records_in = 0, records_out = 0;
  uint64_t bytes_in = 0, bytes_out = 0;
};

// The line as written: JSON (one object) or text (key=value pairs).
std::string FormatRpcLogLine(const RpcLogLine& line, LogFormat format);

class RpcObserver : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  using LogSink = std::function<void(const std::string& line)>;

  // `registry` must outlive the observer; `sink` receives each call's line
  // (nullptr: no per-call log).
  RpcObserver(MetricsRegistry* registry, LogFormat format, LogSink sink);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

  // Names the authenticated user of the call running under `context`, for
  // its log line. Does nothing for a context no observer watches.
  static void NoteUser(const grpc::ServerContextBase* context, absl::string_view user);

  MetricsRegistry* registry() const { return registry_; }
  LogFormat format() const { return format_; }
  const LogSink& sink() const { return sink_; }

 private:
  MetricsRegistry* registry_;
  LogFormat format_;
  LogSink sink_;
};

}  // namespace kawal::server::ops

#endif  // KAWAL_SERVER_OPS_RPC_OBSERVER_H_
