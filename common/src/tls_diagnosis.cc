#include "kawal/common/tls_diagnosis.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "openssl/bio.h"
#include "openssl/err.h"
#include "openssl/pem.h"
#include "openssl/ssl.h"
#include "openssl/x509v3.h"

namespace kawal::common {
namespace {

struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

struct HostPort {
  std::string host;
  std::string port;
};

HostPort SplitTarget(absl::string_view target) {
  for (absl::string_view scheme : {"dns:///", "dns:", "ipv4:", "ipv6:"}) {
    if (absl::ConsumePrefix(&target, scheme)) break;
  }
  HostPort out;
  if (absl::StartsWith(target, "[")) {
    const size_t close = target.find(']');
    out.host = std::string(target.substr(1, close - 1));
    if (close + 1 < target.size() && target[close + 1] == ':') {
      out.port = std::string(target.substr(close + 2));
    }
    return out;
  }
  const size_t colon = target.rfind(':');
  if (colon == absl::string_view::npos) {
    out.host = std::string(target);
    out.port = "443";
  } else {
    out.host = std::string(target.substr(0, colon));
    out.port = std::string(target.substr(colon + 1));
  }
  return out;
}

// A connected, blocking TCP socket with send/receive timeouts, or -1 with
// `*error` set.
int Connect(const HostPort& where, absl::Duration timeout, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(where.host.c_str(), where.port.c_str(), &hints, &found); rc != 0) {
    *error = absl::StrCat("cannot resolve ", where.host, ": ", ::gai_strerror(rc));
    return -1;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, timeout_ms) == 1 ? 0 : -1;
      int so_error = 0;
      socklen_t len = sizeof(so_error);
      if (rc == 0 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) == 0 && so_error) {
        errno = so_error;
        rc = -1;
      } else if (rc != 0) {
        errno = ETIMEDOUT;
      }
    }
    if (rc != 0) {
      *error = absl::StrCat("cannot connect to ", where.host, ":", where.port, ": ",
                            std::strerror(errno));
      ::close(fd);
      continue;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    timeval tv{static_cast<time_t>(timeout_ms / 1000),
               static_cast<suseconds_t>((timeout_ms % 1000) * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    return fd;
  }
  return -1;
}

// True when the server answers the HTTP/2 connection preface with an HTTP/2
// frame: a plaintext gRPC server.
bool SpeaksPlaintextHttp2(const HostPort& where, absl::Duration timeout) {
  std::string error;
  FdCloser socket{Connect(where, timeout, &error)};
  if (socket.fd < 0) return false;
  static constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  static constexpr unsigned char kEmptySettings[] = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  std::string hello(kPreface, sizeof(kPreface) - 1);
  hello.append(reinterpret_cast<const char*>(kEmptySettings), sizeof(kEmptySettings));
  if (::send(socket.fd, hello.data(), hello.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(hello.size())) {
    return false;
  }
  unsigned char header[9];
  size_t got = 0;
  while (got < sizeof(header)) {
    ssize_t n = ::recv(socket.fd, header + got, sizeof(header) - got, 0);
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return header[3] == 4;  // a SETTINGS frame
}

std::string NameLine(X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string TimeLine(const ASN1_TIME* time) {
  tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "?";
  char out[32];
  std::strftime(out, sizeof(out), "%Y-%m-%d %H:%M:%S UTC", &parts);
  return out;
}

std::vector<std::string> NamesOf(X509* cert) {
  std::vector<std::string> names;
  auto* sans = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      names.emplace_back(reinterpret_cast<const char*>(dns->data), dns->length);
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      if (ip->length == 4) {
        names.push_back(absl::StrCat(ip->data[0], ".", ip->data[1], ".", ip->data[2], ".",
                                     ip->data[3]));
      } else {
        names.push_back("(an IPv6 address)");
      }
    }
  }
  GENERAL_NAMES_free(sans);
  if (names.empty()) {  // no SAN: the common name, which TLS clients no longer use alone
    char cn[256];
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn,
                                  sizeof(cn)) > 0) {
      names.push_back(absl::StrCat(cn, " (common name only)"));
    }
  }
  return names;
}

bool AddRoots(SSL_CTX* ctx, const std::string& ca_pem) {
  BioPtr bio(BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size())), &BIO_free);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    added += X509_STORE_add_cert(store, cert);
    X509_free(cert);
  }
  ERR_clear_error();  // the read that ends the loop leaves "no start line"
  return added > 0;
}

// Every verification error of one handshake, in the order OpenSSL met them.
thread_local std::vector<int>* verify_errors = nullptr;

int RecordVerifyError(int ok, X509_STORE_CTX* ctx) {
  if (!ok && verify_errors != nullptr) verify_errors->push_back(X509_STORE_CTX_get_error(ctx));
  return 1;  // carry on: the diagnosis wants the certificate whatever is wrong
}

ConnectionProblem Classify(const std::vector<int>& errors) {
  bool expired = false, not_yet = false, name = false, untrusted = false;
  for (int e : errors) {
    switch (e) {
      case X509_V_ERR_CERT_HAS_EXPIRED: expired = true; break;
      case X509_V_ERR_CERT_NOT_YET_VALID: not_yet = true; break;
      case X509_V_ERR_HOSTNAME_MISMATCH:
      case X509_V_ERR_IP_ADDRESS_MISMATCH: name = true; break;
      default: untrusted = true; break;
    }
  }
  // The issuer first: an untrusted certificate's dates and names mean little.
  if (untrusted) return ConnectionProblem::kUntrusted;
  if (expired) return ConnectionProblem::kExpired;
  if (not_yet) return ConnectionProblem::kNotYetValid;
  if (name) return ConnectionProblem::kNameMismatch;
  return ConnectionProblem::kNone;
}

bool IsIpLiteral(const std::string& host) {
  return !host.empty() && (absl::StrContains(host, ':') ||
                           host.find_first_not_of("0123456789.") == std::string::npos);
}

// Runs one TLS handshake; fills `out` with the certificate and its problems.
// Returns false when no handshake completed.
bool Handshake(const HostPort& where, const std::string& ca_pem, absl::Duration timeout,
               ConnectionDiagnosis* out) {
  FdCloser socket{Connect(where, timeout, &out->detail)};
  if (socket.fd < 0) {
    out->problem = ConnectionProblem::kUnreachable;
    return false;
  }
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  AddRoots(ctx.get(), ca_pem);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, &RecordVerifyError);
  static constexpr unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(ctx.get(), kAlpn, sizeof(kAlpn));
  SslPtr ssl(SSL_new(ctx.get()), &SSL_free);
  SSL_set_fd(ssl.get(), socket.fd);
  if (IsIpLiteral(where.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), where.host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl.get(), where.host.c_str());
    SSL_set1_host(ssl.get(), where.host.c_str());
  }
  std::vector<int> errors;
  verify_errors = &errors;
  const int rc = SSL_connect(ssl.get());
  verify_errors = nullptr;
  if (rc != 1) {
    const unsigned long e = ERR_get_error();
    char text[256] = "the connection closed during the TLS handshake";
    if (e != 0) ERR_error_string_n(e, text, sizeof(text));
    out->detail = text;
    ERR_clear_error();
    return false;
  }
  X509Ptr cert(SSL_get1_peer_certificate(ssl.get()), &X509_free);
  if (cert) {
    out->issuer = NameLine(X509_get_issuer_name(cert.get()));
    out->subject = NameLine(X509_get_subject_name(cert.get()));
    out->names = NamesOf(cert.get());
    out->not_before = TimeLine(X509_get0_notBefore(cert.get()));
    out->not_after = TimeLine(X509_get0_notAfter(cert.get()));
  }
  out->problem = Classify(errors);
  if (!errors.empty()) out->detail = X509_verify_cert_error_string(errors.front());
  SSL_shutdown(ssl.get());
  return true;
}

}  // namespace

ConnectionDiagnosis DiagnoseConnection(absl::string_view target, bool tls,
                                       const std::string& ca_pem, absl::Duration timeout) {
  const HostPort where = SplitTarget(target);
  ConnectionDiagnosis out;
  out.host = where.host;
  if (tls) {
    if (Handshake(where, ca_pem, timeout, &out)) return out;
    if (out.problem == ConnectionProblem::kUnreachable) return out;
    out.problem = SpeaksPlaintextHttp2(where, timeout) ? ConnectionProblem::kServerIsPlaintext
                                                       : ConnectionProblem::kOther;
    return out;
  }
  if (SpeaksPlaintextHttp2(where, timeout)) return out;  // plaintext, as planned
  ConnectionDiagnosis probe;
  probe.host = where.host;
  if (Handshake(where, ca_pem, timeout, &probe)) {
    probe.problem = ConnectionProblem::kServerIsTls;
    return probe;
  }
  out.problem = probe.problem == ConnectionProblem::kUnreachable ? ConnectionProblem::kUnreachable
                                                                 : ConnectionProblem::kOther;
  out.detail = probe.detail;
  return out;
}

const char* ConnectionProblemName(ConnectionProblem problem) {
  switch (problem) {
    case ConnectionProblem::kNone: return "none";
    case ConnectionProblem::kUnreachable: return "unreachable";
    case ConnectionProblem::kUntrusted: return "untrusted";
    case ConnectionProblem::kExpired: return "expired";
    case ConnectionProblem::kNotYetValid: return "not_yet_valid";
    case ConnectionProblem::kNameMismatch: return "name_mismatch";
    case ConnectionProblem::kServerIsPlaintext: return "server_is_plaintext";
    case ConnectionProblem::kServerIsTls: return "server_is_tls";
    case ConnectionProblem::kOther: return "other";
  }
  return "other";
}

std::string DescribeConnectionProblem(const ConnectionDiagnosis& d) {
  switch (d.problem) {
    case ConnectionProblem::kNone:
      return "";
    case ConnectionProblem::kUnreachable:
      return absl::StrCat("the server cannot be reached (", d.detail, ")");
    case ConnectionProblem::kUntrusted:
      return absl::StrCat("the server's certificate is not trusted: it was issued by ", d.issuer,
                          ", which is not among the trusted CAs (pass the right --tls_ca)");
    case ConnectionProblem::kExpired:
      return absl::StrCat("the server's certificate expired on ", d.not_after,
                          " (the server's operator must renew it; check this device's clock too)");
    case ConnectionProblem::kNotYetValid:
      return absl::StrCat("the server's certificate is valid only from ", d.not_before,
                          " (check this device's date and time)");
    case ConnectionProblem::kNameMismatch:
      return absl::StrCat("the server's certificate does not name ", d.host, ": it names ",
                          d.names.empty() ? "no host" : absl::StrJoin(d.names, ", "),
                          " (use one of those names as the server address)");
    case ConnectionProblem::kServerIsPlaintext:
      return "the server speaks plaintext, not TLS (it is a local or test server: use its "
             "loopback address, or --insecure if you really mean plaintext over a network)";
    case ConnectionProblem::kServerIsTls:
      return "the server speaks TLS but this client connected in plaintext (drop --insecure, "
             "or give --tls_ca to use TLS on a loopback address)";
    case ConnectionProblem::kOther:
      return absl::StrCat("the TLS connection failed: ", d.detail);
  }
  return "";
}

}  // namespace kawal::common
