// The gRPC side of kawal-admin: a channel to one kawal-server and the
// AdminService calls, each with a deadline and the caller's bearer token.
// A plain client: it links the generated stubs only, never the server.
//
// Thread-safety: an AdminClient may be used from several threads; each call
// builds its own context.
#ifndef KAWAL_TOOLS_ADMIN_ADMIN_CLIENT_H_
#define KAWAL_TOOLS_ADMIN_ADMIN_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include "client/client.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kawal/v1/admin.grpc.pb.h"
#include "kawal/v1/photo.grpc.pb.h"

namespace kawal::admin {

using client::ClientOptions;

class AdminClient {
 public:
  explicit AdminClient(ClientOptions options);

  absl::Status AddUser(const v1::AddUserRequest& request, v1::AddUserResponse* response);
  absl::Status ListUsers(v1::ListUsersResponse* response);
  absl::Status RevokeUser(const std::string& name, v1::RevokeUserResponse* response);
  absl::Status RotateToken(const std::string& name, v1::RotateTokenResponse* response);
  absl::Status SetPassword(const std::string& name, const std::string& password,
                           v1::SetPasswordResponse* response);
  absl::Status Stats(v1::StatsResponse* response);
  absl::Status VerifyAggregates(v1::VerifyAggregatesResponse* response);
  absl::Status CreateBackup(v1::BackupInfo* response);
  absl::Status ListBackups(v1::ListBackupsResponse* response);
  absl::Status VerifyBackup(uint32_t id, v1::VerifyBackupResponse* response);
  absl::Status PurgeBackups(uint32_t keep, v1::ListBackupsResponse* response);
  absl::Status RebuildAggregates(v1::RebuildAggregatesResponse* response);
  absl::Status PurgePhotos(const std::vector<std::string>& sha256s,
                           v1::PurgePhotosResponse* response);

 private:
  // Sets the deadline and metadata of one call.
  void Prepare(grpc::ClientContext* context) const { client::PrepareCall(options_, context); }
  absl::Status Done(const grpc::Status& status) const { return client::FromGrpc(status, options_); }

  const ClientOptions options_;
  std::unique_ptr<v1::AdminService::Stub> stub_;
  std::unique_ptr<v1::PhotoService::Stub> photos_;
};

}  // namespace kawal::admin

#endif  // KAWAL_TOOLS_ADMIN_ADMIN_CLIENT_H_
