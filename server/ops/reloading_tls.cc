#include "ops/reloading_tls.h"

#include <algorithm>
#include <memory>

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include "absl/strings/str_cat.h"
#include "kawal/common/secret_file.h"
#include "openssl/bio.h"
#include "openssl/err.h"
#include "openssl/pem.h"
#include "openssl/x509.h"

namespace kawal::server::ops {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

absl::Status CheckPair(const std::string& cert_pem, const std::string& cert_path,
                       const std::string& key_pem, const std::string& key_path) {
  BioPtr cert_bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), &X509_free);
  BioPtr key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  ERR_clear_error();
  if (!cert) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_cert=", cert_path, " holds no PEM certificate"));
  }
  if (!key) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_key=", key_path, " holds no PEM private key"));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_key=", key_path, " is not the private key of --tls_cert=", cert_path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ReloadingTlsCredentials(
    const std::string& cert_path, const std::string& key_path, absl::Duration refresh) {
  absl::StatusOr<std::string> cert = common::ReadSecretFile(cert_path, "TLS certificate (--tls_cert)");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = common::ReadSecretFile(key_path, "TLS key (--tls_key)");
  if (!key.ok()) return key.status();
  if (absl::Status s = CheckPair(*cert, cert_path, *key, key_path); !s.ok()) return s;

  const unsigned refresh_s =
      static_cast<unsigned>(std::max<int64_t>(1, absl::ToInt64Seconds(refresh)));
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      key_path, cert_path, refresh_s);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  options.set_identity_cert_name("kawal-server");
  options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  return grpc::experimental::TlsServerCredentials(options);
}

}  // namespace kawal::server::ops
