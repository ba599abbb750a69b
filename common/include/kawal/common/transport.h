// How every client (the mobile core, kawal-admin, kawal-report, the bench
// drivers) reaches a kawal-server: TLS by default; plaintext only to a
// loopback address, or to any address when the caller says so in so many
// words (`insecure`), which earns a warning each time.
//
// Thread-safety: pure functions, except that PlanTransport reads files.
#ifndef KAWAL_COMMON_TRANSPORT_H_
#define KAWAL_COMMON_TRANSPORT_H_

#include <memory>
#include <string>

#include <grpcpp/security/credentials.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::common {

// Where the system's CA bundle lives on Debian (package ca-certificates).
inline constexpr char kSystemCaBundle[] = "/etc/ssl/certs/ca-certificates.crt";

struct TransportOptions {
  // PEM file of the CA(s) to trust; empty: the system's CA store.
  std::string tls_ca_file;
  // The PEM itself (a device stores it with its state); wins over the file.
  std::string tls_ca_pem;
  // Plaintext to a non-loopback address. Never the default.
  bool insecure = false;
  // TLS even to a loopback address (loopback is plaintext by default so
  // that a local server and the tests work without certificates).
  bool tls_on_loopback = false;
};

// What a client will do, decided before it dials.
struct TransportPlan {
  bool use_tls = false;
  std::string ca_pem;   // trusted roots when use_tls
  std::string ca_name;  // the file the roots came from, for messages
  // A sentence to show the user before the call (plaintext over a network);
  // empty when there is nothing to warn about.
  std::string warning;
};

// True when `target` (a gRPC target: "host:port", "dns:///host:port",
// "ipv4:127.0.0.1:7443", "ipv6:[::1]:7443", "unix:/path") names this machine:
// 127.0.0.0/8, ::1, "localhost", or a Unix socket.
bool IsLoopbackTarget(absl::string_view target);

// Decides TLS or plaintext for `target` and loads the trusted roots.
// INVALID_ARGUMENT when `insecure` and a CA are both given; NOT_FOUND /
// PERMISSION_DENIED naming the CA file when it cannot be read;
// FAILED_PRECONDITION when the system CA store is missing.
absl::StatusOr<TransportPlan> PlanTransport(absl::string_view target,
                                            const TransportOptions& options);

// gRPC credentials for a plan.
std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const TransportPlan& plan);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_TRANSPORT_H_
