#include "kawal/common/transport.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "kawal/common/secret_file.h"

namespace kawal::common {
namespace {

// The host part of "host:port", "[v6]:port" or a bare host.
absl::string_view HostOf(absl::string_view address) {
  if (absl::StartsWith(address, "[")) {
    const size_t close = address.find(']');
    return close == absl::string_view::npos ? address.substr(1) : address.substr(1, close - 1);
  }
  const size_t first = address.find(':');
  if (first != absl::string_view::npos && address.find(':', first + 1) == absl::string_view::npos) {
    return address.substr(0, first);  // one colon: host:port
  }
  return address;  // bare host, or a bare IPv6 address
}

bool IsIpv4Loopback(absl::string_view host) {
  std::vector<absl::string_view> parts = absl::StrSplit(host, '.');
  if (parts.size() != 4) return false;
  for (absl::string_view part : parts) {
    int octet = 0;
    if (part.empty() || part.size() > 3 || !absl::SimpleAtoi(part, &octet) || octet > 255) {
      return false;
    }
  }
  return parts[0] == "127";
}

}  // namespace

bool IsLoopbackTarget(absl::string_view target) {
  if (absl::StartsWith(target, "unix:") || absl::StartsWith(target, "unix-abstract:")) return true;
  for (absl::string_view scheme : {"dns:///", "dns:", "ipv4:", "ipv6:"}) {
    if (absl::ConsumePrefix(&target, scheme)) break;
  }
  const std::string host = absl::AsciiStrToLower(HostOf(target));
  return host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" ||
         IsIpv4Loopback(host);
}

absl::StatusOr<TransportPlan> PlanTransport(absl::string_view target,
                                            const TransportOptions& options) {
  const bool has_ca = !options.tls_ca_file.empty() || !options.tls_ca_pem.empty();
  if (options.insecure && has_ca) {
    return absl::InvalidArgumentError(
        "--insecure (plaintext) and --tls_ca (TLS) contradict each other: give one");
  }
  TransportPlan plan;
  const bool loopback = IsLoopbackTarget(target);
  plan.use_tls = !options.insecure && (!loopback || options.tls_on_loopback || has_ca);
  if (!plan.use_tls) {
    if (!loopback) {
      plan.warning = absl::StrCat(
          "WARNING: plaintext to ", target,
          " (--insecure): tokens and village data cross the network unencrypted");
    }
    return plan;
  }
  if (!options.tls_ca_pem.empty()) {
    plan.ca_pem = options.tls_ca_pem;
    plan.ca_name = "the stored CA";
    return plan;
  }
  const bool system = options.tls_ca_file.empty();
  plan.ca_name = system ? kSystemCaBundle : options.tls_ca_file;
  absl::StatusOr<std::string> pem =
      ReadSecretFile(plan.ca_name, system ? "system CA store" : "TLS CA file (--tls_ca)");
  if (!pem.ok()) {
    if (system) {
      return absl::FailedPreconditionError(
          absl::StrCat(pem.status().message(),
                       " (install ca-certificates, or pass --tls_ca=FILE)"));
    }
    return pem.status();
  }
  if (!absl::StrContains(*pem, "-----BEGIN CERTIFICATE-----")) {
    return absl::InvalidArgumentError(
        absl::StrCat(plan.ca_name, " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
  }
  plan.ca_pem = *std::move(pem);
  return plan;
}

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const TransportPlan& plan) {
  if (!plan.use_tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = plan.ca_pem;
  return grpc::SslCredentials(ssl);
}

}  // namespace kawal::common
