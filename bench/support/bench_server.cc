#include "bench_server.h"

#include "absl/strings/str_cat.h"
#include "kawal/common/secret_file.h"

namespace kawal::bench {

absl::StatusOr<std::unique_ptr<BenchServer>> BenchServer::Start(
    std::vector<std::string> extra_flags) {
  std::unique_ptr<BenchServer> server(new BenchServer());
  server->dir_ = std::make_unique<testing::TempDir>();
  server->process_ = std::make_unique<testing::ServerProcess>(server->dir_->path() + "/server",
                                                              std::move(extra_flags));
  if (absl::Status s = server->process_->Start(); !s.ok()) return s;
  absl::StatusOr<std::string> token = server->process_->AdminToken();
  if (!token.ok()) return token.status();
  server->address_ = server->process_->address();
  // Loopback: plaintext, as PlanTransport decides for every client.
  server->admin_ = std::make_unique<testing::TestClient>(server->address_, *token,
                                                         server->credentials());
  return server;
}

absl::StatusOr<std::unique_ptr<BenchServer>> BenchServer::Connect(
    const std::string& address, const std::string& admin_token_file,
    const common::TransportOptions& transport) {
  absl::StatusOr<std::string> token =
      common::ReadOwnerOnlySecretFile(admin_token_file, "admin token file");
  if (!token.ok()) return token.status();
  absl::StatusOr<common::TransportPlan> plan = common::PlanTransport(address, transport);
  if (!plan.ok()) return plan.status();
  std::unique_ptr<BenchServer> server(new BenchServer());
  server->address_ = address;
  server->transport_ = *std::move(plan);
  server->admin_ = std::make_unique<testing::TestClient>(address, *std::move(token),
                                                         server->credentials());
  return server;
}

absl::StatusOr<std::string> BenchServer::AddUser(const std::string& name, v1::Role role,
                                                 const std::vector<std::string>& scopes) {
  std::string token;
  grpc::Status s = admin_->AddUser(name, role, scopes, &token);
  if (!s.ok()) {
    return absl::UnavailableError(absl::StrCat("adding user ", name, ": ", s.error_message()));
  }
  return token;
}

absl::StatusOr<std::string> BenchServer::AddFacilitator(const std::string& name,
                                                        const std::vector<std::string>& desa) {
  return AddUser(name, v1::FACILITATOR, desa);
}

absl::StatusOr<std::string> BenchServer::AddOfficer(const std::string& name,
                                                    const std::vector<std::string>& regions) {
  return AddUser(name, v1::DISTRICT_OFFICER, regions);
}

absl::StatusOr<std::pair<int, std::string>> BenchServer::RunAdmin(
    const std::vector<std::string>& args) const {
  if (!process_) {
    return absl::FailedPreconditionError("kawal-admin runs only against a server started here");
  }
  return process_->RunAdmin(args);
}

}  // namespace kawal::bench
