#include "client/client.h"

#include <cstdio>

#include <chrono>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "kawal/common/grpc_status.h"
#include "kawal/common/secret_file.h"

namespace kawal::client {
namespace {

// The help flags absl's parser recognizes by name (they are not in the
// flag registry in Abseil 20220623).
bool IsUsageFlag(absl::string_view name) {
  for (const char* usage : {"help", "helpfull", "helpshort", "helppackage", "version",
                            "only_check_args", "helpon", "helpmatch"}) {
    if (name == usage) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  absl::StatusOr<std::string> token = common::ReadOwnerOnlySecretFile(path, "token file");
  // An empty or too-open file was found: its message says the fix already.
  if (!token.ok() && !absl::IsInvalidArgument(token.status()) &&
      !absl::IsFailedPrecondition(token.status())) {
    return absl::Status(token.status().code(),
                        absl::StrCat(token.status().message(),
                                     " (set --token_file or KAWAL_TOKEN_FILE)"));
  }
  return token;
}

// Finds flags absl would reject, so that they exit with the usage status
// (absl's parser exits with 1). Returns an empty string when all is well.
std::string CheckFlagSyntax(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;  // positional
    arg.remove_prefix(absl::StartsWith(arg, "--") ? 2 : 1);
    const size_t eq = arg.find('=');
    const absl::string_view name = arg.substr(0, eq);
    if (IsUsageFlag(name)) continue;  // absl handles these itself
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) {
      absl::CommandLineFlag* negated =
          absl::StartsWith(name, "no") ? absl::FindCommandLineFlag(name.substr(2)) : nullptr;
      if (negated != nullptr && negated->IsOfType<bool>() && eq == absl::string_view::npos) {
        continue;
      }
      return absl::StrCat("unknown flag --", name);
    }
    absl::string_view value;
    if (eq != absl::string_view::npos) {
      value = arg.substr(eq + 1);
    } else if (flag->IsOfType<bool>()) {
      continue;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return absl::StrCat("flag --", name, " needs a value");
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::StrCat("bad value for --", name, ": ", error);
    }
  }
  return "";
}

absl::StatusOr<std::string> ReadTlsCaFile(const std::string& path) {
  if (path.empty()) return std::string();
  // Not a secret, but read the same way: whitespace around a PEM is noise.
  return common::ReadSecretFile(path, "TLS CA file (--tls_ca)");
}

absl::StatusOr<common::TransportPlan> PlanChannel(const std::string& server,
                                                  const std::string& tls_ca_file, bool insecure) {
  common::TransportOptions transport;
  transport.tls_ca_file = tls_ca_file;
  transport.insecure = insecure;
  absl::StatusOr<common::TransportPlan> plan = common::PlanTransport(server, transport);
  if (plan.ok() && !plan->warning.empty()) {
    std::fprintf(stderr, "%s\n", plan->warning.c_str());  // every time, as promised
  }
  return plan;
}

absl::StatusOr<ClientOptions> LoadClientOptions(const std::string& server,
                                                const std::string& token_file,
                                                const std::string& tls_ca_file, bool insecure,
                                                int timeout_s, const std::string& region) {
  ClientOptions options;
  options.server = server;
  options.timeout_s = timeout_s;
  options.region = region;
  absl::StatusOr<std::string> token = ReadTokenFile(token_file);
  if (!token.ok()) return token.status();
  options.token = *std::move(token);
  absl::StatusOr<common::TransportPlan> transport = PlanChannel(server, tls_ca_file, insecure);
  if (!transport.ok()) return transport.status();
  options.transport = *std::move(transport);
  return options;
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& server,
                                          const common::TransportPlan& transport) {
  return grpc::CreateChannel(server, common::CredentialsFor(transport));
}

void PrepareCall(const ClientOptions& options, grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(options.timeout_s));
  context->AddMetadata("authorization", absl::StrCat("Bearer ", options.token));
  if (!options.region.empty()) context->AddMetadata("x-kawal-region", options.region);
}

absl::Status FromGrpc(const grpc::Status& status, const ClientOptions& options,
                      absl::string_view service) {
  absl::Status result = common::FromGrpcStatus(status, "");
  if (result.ok()) return result;
  std::string message(result.message());
  switch (result.code()) {
    case absl::StatusCode::kUnavailable:
      absl::StrAppend(&message, " (is kawal-server running at ", options.server,
                      !options.transport.use_tls
                          ? "? If it serves TLS, pass --tls_ca=CA.pem)"
                          : absl::StrCat(" with TLS, under a certificate signed by a CA in ",
                                         options.transport.ca_name, "?)"));
      break;
    case absl::StatusCode::kDeadlineExceeded:
      absl::StrAppend(&message, " (no answer from ", options.server, " within ",
                      options.timeout_s, " s; see --timeout_s)");
      break;
    case absl::StatusCode::kUnimplemented:
      if (!service.empty()) {
        absl::StrAppend(&message, " (the server at ", options.server, " has no ", service,
                        ": upgrade kawal-server)");
      }
      break;
    default:
      break;
  }
  return absl::Status(result.code(), message);
}

std::string VersionString(absl::string_view program) {
  return absl::StrCat(program, " ", KAWAL_VERSION, "\n");
}

}  // namespace kawal::client
