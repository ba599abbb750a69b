#include "bench_server.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

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
  server->admin_ = std::make_unique<testing::TestClient>(server->address_, *token);
  return server;
}

absl::StatusOr<std::unique_ptr<BenchServer>> BenchServer::Connect(
    const std::string& address, const std::string& admin_token_file) {
  std::ifstream in(admin_token_file);
  std::stringstream text;
  text << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty()) return absl::NotFoundError(absl::StrCat("no token in ", admin_token_file));
  std::unique_ptr<BenchServer> server(new BenchServer());
  server->address_ = address;
  server->admin_ = std::make_unique<testing::TestClient>(address, token);
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

}  // namespace kawal::bench
