// Why a connection to a kawal-server failed, in words a facilitator or an
// IT officer can act on. gRPC reports every certificate problem as the same
// UNAVAILABLE "handshake failed"; after such a failure a client calls
// DiagnoseConnection, which opens one TLS connection of its own with OpenSSL
// (the same trust roots, the same name) and names what is wrong: an issuer
// nobody trusts, an expired certificate, a name mismatch, or one side
// speaking TLS while the other speaks plaintext.
//
// Thread-safety: DiagnoseConnection is safe to call from any thread.
#ifndef KAWAL_COMMON_TLS_DIAGNOSIS_H_
#define KAWAL_COMMON_TLS_DIAGNOSIS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace kawal::common {

enum class ConnectionProblem {
  kNone,               // the TLS (or plaintext) connection works as planned
  kUnreachable,        // no TCP connection at all
  kUntrusted,          // the certificate's issuer is not among the trusted roots
  kExpired,            // the certificate's validity ended
  kNotYetValid,        // its validity has not started (or the clock is wrong)
  kNameMismatch,       // the certificate does not name the host asked for
  kServerIsPlaintext,  // TLS client, plaintext server
  kServerIsTls,        // plaintext client, TLS server
  kOther,              // a TLS failure none of the above explains
};

struct ConnectionDiagnosis {
  ConnectionProblem problem = ConnectionProblem::kNone;
  std::string host;                // the name asked for
  std::string issuer;              // the leaf certificate's issuer (one line)
  std::string subject;             // the leaf certificate's subject
  std::vector<std::string> names;  // DNS and IP names in the certificate
  std::string not_after;           // "2026-12-01 00:00:00 UTC"
  std::string not_before;
  std::string detail;              // OpenSSL's or the socket's own words
};

// Connects to `target` ("host:port", optionally with a "dns:///" or
// "ipv4:" scheme) once. With `tls`, does a TLS handshake trusting `ca_pem`
// and checks the certificate for `target`'s host; without, checks whether
// the server answers a TLS handshake (it should not). Bounded by `timeout`.
ConnectionDiagnosis DiagnoseConnection(absl::string_view target, bool tls,
                                       const std::string& ca_pem, absl::Duration timeout);

// "untrusted", "expired", "not_yet_valid", "name_mismatch",
// "server_is_plaintext", "server_is_tls", "unreachable", "other", "none".
const char* ConnectionProblemName(ConnectionProblem problem);

// One English sentence for a diagnosis ("" for kNone); callers with their
// own languages build theirs from the fields.
std::string DescribeConnectionProblem(const ConnectionDiagnosis& diagnosis);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_TLS_DIAGNOSIS_H_
