// What the client tools (kawal-admin, kawal-report) share: how to reach a
// server (ClientOptions, NewChannel, PrepareCall), the gRPC status of a call
// with the operator's hints (FromGrpc), the token and CA files, checking
// flags before Abseil parses them so that a usage mistake exits with status
// 2 (Abseil's parser would exit 1), and --version.
//
// Thread-safety: FromGrpc, NewChannel and PrepareCall may be called from
// any thread; the rest from main() only.
#ifndef KAWAL_TOOLS_CLIENT_CLIENT_H_
#define KAWAL_TOOLS_CLIENT_CLIENT_H_

#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/common/transport.h"

namespace kawal::client {

// One server and how to call it.
struct ClientOptions {
  std::string server;      // host:port
  std::string token;       // bearer token, already trimmed
  // TLS to any non-loopback address, trusting the system's CAs or --tls_ca;
  // plaintext to loopback, or anywhere with --insecure (kawal/common/transport.h).
  common::TransportPlan transport;
  int timeout_s = 30;      // deadline of each call, in seconds (> 0)
  std::string region;      // sent as "x-kawal-region" when not empty
};

// The token in `path`, whitespace trimmed (common::ReadOwnerOnlySecretFile);
// an empty file is INVALID_ARGUMENT, one group or others may read is
// FAILED_PRECONDITION saying "chmod 600 PATH", an unreadable one names the
// flag to set.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// The PEM in the --tls_ca file at `path`; "" when `path` is empty (plain
// text). An empty file is INVALID_ARGUMENT.
absl::StatusOr<std::string> ReadTlsCaFile(const std::string& path);

// How to reach `server` with --tls_ca=`tls_ca_file` ("" = the system's
// CAs) and --insecure; prints the plaintext warning to stderr when there is
// one. Errors name the CA file or the contradiction.
absl::StatusOr<common::TransportPlan> PlanChannel(const std::string& server,
                                                  const std::string& tls_ca_file, bool insecure);

// A channel to `server` as `transport` says.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& server,
                                          const common::TransportPlan& transport);
inline std::shared_ptr<grpc::Channel> NewChannel(const ClientOptions& options) {
  return NewChannel(options.server, options.transport);
}

// Sets one call's deadline, bearer token and region header.
void PrepareCall(const ClientOptions& options, grpc::ClientContext* context);

// The absl::Status of a call (common::FromGrpcStatus). When the server could
// not be reached or did not answer in time, the message names
// `options.server` and what to check; when it does not implement the call
// and `service` is not empty, it says to upgrade the server.
absl::Status FromGrpc(const grpc::Status& status, const ClientOptions& options,
                      absl::string_view service = "");

// Options for `server` with the token read from `token_file` and the
// transport of PlanChannel(server, tls_ca_file, insecure).
absl::StatusOr<ClientOptions> LoadClientOptions(const std::string& server,
                                                const std::string& token_file,
                                                const std::string& tls_ca_file, bool insecure,
                                                int timeout_s, const std::string& region);

// The first flag in argv that Abseil would reject (unknown, missing or bad
// value), as a sentence; "" when all are well.
std::string CheckFlagSyntax(int argc, char** argv);

// "<program> <project version>", what --version prints.
std::string VersionString(absl::string_view program);

}  // namespace kawal::client

#endif  // KAWAL_TOOLS_CLIENT_CLIENT_H_
