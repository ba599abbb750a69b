// What the command-line tools (kawal-admin, kawal-report) share: reading the
// token file, and checking flags before Abseil parses them so that a usage
// mistake exits with status 2 (Abseil's parser would exit 1).
//
// Thread-safety: call from main() only.
#ifndef KAWAL_SERVER_TOOLS_CLI_COMMON_H_
#define KAWAL_SERVER_TOOLS_CLI_COMMON_H_

#include <memory>
#include <string>

#include <grpcpp/channel.h>

#include "absl/status/statusor.h"

namespace kawal::cli {

// The whole file; NOT_FOUND / PERMISSION_DENIED naming `what` and `path`.
absl::StatusOr<std::string> ReadFileToString(const std::string& path, const char* what);

// The token in `path`, whitespace trimmed; an empty file is an error.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// The PEM in the --tls_ca file at `path`; "" when `path` is empty (plain
// text). An empty file is INVALID_ARGUMENT.
absl::StatusOr<std::string> ReadTlsCaFile(const std::string& path);

// A channel to `server`: TLS trusting `tls_ca_pem`, or plaintext when it is
// empty.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& server,
                                          const std::string& tls_ca_pem);

// The first flag in argv that Abseil would reject (unknown, missing or bad
// value), as a sentence; "" when all are well.
std::string CheckFlagSyntax(int argc, char** argv);

}  // namespace kawal::cli

#endif  // KAWAL_SERVER_TOOLS_CLI_COMMON_H_
