// TLS server credentials that follow the certificate files on disk: an
// operator (or certbot) replaces --tls_cert/--tls_key and new connections
// get the new certificate within the refresh interval, without a restart.
// Built on gRPC's FileWatcherCertificateProvider; the files are checked
// once at start so that a wrong path or a key that does not match the
// certificate is a clear start-up error rather than failed handshakes.
//
// Thread-safety: the credentials may be used from any thread.
#ifndef KAWAL_SERVER_OPS_RELOADING_TLS_H_
#define KAWAL_SERVER_OPS_RELOADING_TLS_H_

#include <memory>
#include <string>

#include <grpcpp/security/server_credentials.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace kawal::server::ops {

// NOT_FOUND / PERMISSION_DENIED naming a file that cannot be read;
// INVALID_ARGUMENT when a file holds no PEM certificate or key, or the key
// does not belong to the certificate.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ReloadingTlsCredentials(
    const std::string& cert_path, const std::string& key_path, absl::Duration refresh);

}  // namespace kawal::server::ops

#endif  // KAWAL_SERVER_OPS_RELOADING_TLS_H_
