// A real kawal-server for a benchmark: the built binary on an ephemeral
// loopback port over a data dir in the system temp folder (synced WAL, as
// in production), removed when the object goes. Users are added through
// the admin API, as an operator would.
//
// Thread-safety: one controlling thread.
#ifndef KAWAL_BENCH_SUPPORT_BENCH_SERVER_H_
#define KAWAL_BENCH_SUPPORT_BENCH_SERVER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "kawal/common/transport.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::bench {

class BenchServer {
 public:
  // Starts the server (extra flags appended, e.g. "--max_batch=1000").
  static absl::StatusOr<std::unique_ptr<BenchServer>> Start(
      std::vector<std::string> extra_flags = {});
  // Uses a server someone else started (e.g. under a profiler) instead:
  // `admin_token_file` is its data_dir/admin.token (owner-only). TLS or
  // plaintext as the clients decide (common::PlanTransport): a non-loopback
  // address gets TLS unless `transport.insecure`.
  static absl::StatusOr<std::unique_ptr<BenchServer>> Connect(
      const std::string& address, const std::string& admin_token_file,
      const common::TransportOptions& transport = {});

  const std::string& address() const { return address_; }
  // How every channel to this server is opened (plaintext for Start()).
  const common::TransportPlan& transport() const { return transport_; }
  std::shared_ptr<grpc::ChannelCredentials> credentials() const {
    return common::CredentialsFor(transport_);
  }
  // "" when connected to a server started elsewhere.
  std::string data_dir() const { return process_ ? process_->data_dir() : ""; }
  // The server's process id; -1 when connected to a server started elsewhere.
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  // A client with the admin token (admin pushes write as the server).
  testing::TestClient& admin() { return *admin_; }

  // Adds a user and returns its token.
  absl::StatusOr<std::string> AddFacilitator(const std::string& name,
                                             const std::vector<std::string>& desa);
  absl::StatusOr<std::string> AddOfficer(const std::string& name,
                                         const std::vector<std::string>& regions);
  // Runs the built kawal-admin against this server with its admin token
  // (e.g. {"bundle", "import", FILE}): exit code and output. Only for a
  // server started here (FAILED_PRECONDITION after Connect).
  absl::StatusOr<std::pair<int, std::string>> RunAdmin(const std::vector<std::string>& args) const;

 private:
  BenchServer() = default;
  absl::StatusOr<std::string> AddUser(const std::string& name, v1::Role role,
                                      const std::vector<std::string>& scopes);

  std::unique_ptr<testing::TempDir> dir_;  // declared first: outlives the process
  std::unique_ptr<testing::ServerProcess> process_;  // null when connected
  std::string address_;
  common::TransportPlan transport_;
  std::unique_ptr<testing::TestClient> admin_;
};

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_BENCH_SERVER_H_
