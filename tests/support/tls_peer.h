// What a TLS server presents to a new connection, read with libssl: used to
// wait until a reloaded proxy (nginx -s reload) serves a rotated certificate.
// Nothing is verified here; the caller only looks at which certificate it is.
//
// Thread-safety: pure function (one connection per call).
#ifndef KAWAL_TESTS_SUPPORT_TLS_PEER_H_
#define KAWAL_TESTS_SUPPORT_TLS_PEER_H_

#include <string>

#include "absl/status/statusor.h"

namespace kawal::testing {

// Opens one TLS connection to 127.0.0.1:`port`, asking for `server_name`
// (SNI), and returns the serial number of the certificate presented in
// upper-case hex by whole bytes, as `openssl x509 -noout -serial` prints it
// ("1001"). UNAVAILABLE when no connection or handshake happens.
// Each step is bounded by a few seconds.
absl::StatusOr<std::string> PresentedCertificateSerial(int port, const std::string& server_name);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_TLS_PEER_H_
