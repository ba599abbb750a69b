#include "tls_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"

namespace kawal::testing {
namespace {

constexpr int kIoTimeoutSeconds = 5;

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct FdClose {
  int fd;
  ~FdClose() {
    if (fd >= 0) ::close(fd);
  }
};

std::string LastSslError() {
  char text[256] = "no OpenSSL error queued";
  if (unsigned long code = ERR_get_error(); code != 0) ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace

absl::StatusOr<std::string> PresentedCertificateSerial(int port, const std::string& server_name) {
  FdClose socket{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (socket.fd < 0) return absl::InternalError("socket() failed");
  // Blocking I/O with timeouts: a stuck server fails the call, not the test run.
  timeval timeout{kIoTimeoutSeconds, 0};
  ::setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(socket.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(socket.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return absl::UnavailableError(absl::StrCat("no TCP connection to 127.0.0.1:", port));
  }
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr) return absl::InternalError(LastSslError());
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);  // only the serial is wanted
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (ssl == nullptr || SSL_set_fd(ssl.get(), socket.fd) != 1 ||
      SSL_set_tlsext_host_name(ssl.get(), server_name.c_str()) != 1) {
    return absl::InternalError(LastSslError());
  }
  if (SSL_connect(ssl.get()) != 1) {
    return absl::UnavailableError(
        absl::StrCat("TLS handshake with 127.0.0.1:", port, " failed: ", LastSslError()));
  }
  std::unique_ptr<X509, X509Free> cert(SSL_get_peer_certificate(ssl.get()));
  SSL_shutdown(ssl.get());
  if (cert == nullptr) return absl::UnavailableError("the server presented no certificate");
  std::unique_ptr<BIGNUM, BnFree> serial(
      ASN1_INTEGER_to_BN(X509_get_serialNumber(cert.get()), nullptr));
  if (serial == nullptr) return absl::InternalError(LastSslError());
  char* hex = BN_bn2hex(serial.get());
  std::string result = hex == nullptr ? "" : hex;
  OPENSSL_free(hex);
  return result;
}

}  // namespace kawal::testing
