// AdminService: users and tokens, statistics (proto/kawal/v1/admin.proto).
// Every call requires an admin caller.
//
// Thread-safety: handlers run concurrently; the parts they use are
// thread-safe.
#ifndef KAWAL_SERVER_SERVICE_ADMIN_SERVICE_H_
#define KAWAL_SERVER_SERVICE_ADMIN_SERVICE_H_

#include "store/database.h"
#include "kawal/sync/clock.h"
#include "kawal/v1/admin.grpc.pb.h"
#include "store/sequencer.h"
#include "service/shard_guard.h"
#include "store/user_store.h"

namespace kawal::server {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  AdminServiceImpl(Database* database, Sequencer* sequencer, UserStore* users,
                   sync::Clock* clock);

  grpc::Status AddUser(grpc::ServerContext* context, const v1::AddUserRequest* request,
                       v1::AddUserResponse* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context, const v1::ListUsersRequest* request,
                         v1::ListUsersResponse* response) override;
  grpc::Status RevokeUser(grpc::ServerContext* context, const v1::RevokeUserRequest* request,
                          v1::RevokeUserResponse* response) override;
  grpc::Status RotateToken(grpc::ServerContext* context, const v1::RotateTokenRequest* request,
                           v1::RotateTokenResponse* response) override;
  grpc::Status SetPassword(grpc::ServerContext* context, const v1::SetPasswordRequest* request,
                           v1::SetPasswordResponse* response) override;
  grpc::Status Stats(grpc::ServerContext* context, const v1::StatsRequest* request,
                     v1::StatsResponse* response) override;
  grpc::Status VerifyAggregates(grpc::ServerContext* context,
                                const v1::VerifyAggregatesRequest* request,
                                v1::VerifyAggregatesResponse* response) override;
  grpc::Status RebuildAggregates(grpc::ServerContext* context,
                                 const v1::RebuildAggregatesRequest* request,
                                 v1::RebuildAggregatesResponse* response) override;

  grpc::Status CreateBackup(grpc::ServerContext* context, const v1::CreateBackupRequest* request,
                            v1::BackupInfo* response) override;
  grpc::Status ListBackups(grpc::ServerContext* context, const v1::ListBackupsRequest* request,
                           v1::ListBackupsResponse* response) override;
  grpc::Status VerifyBackup(grpc::ServerContext* context, const v1::VerifyBackupRequest* request,
                            v1::VerifyBackupResponse* response) override;
  grpc::Status PurgeBackups(grpc::ServerContext* context, const v1::PurgeBackupsRequest* request,
                            v1::ListBackupsResponse* response) override;

  void SetBackups(class BackupManager* backups) { backups_ = backups; }

  // Needed by RebuildAggregates to pause pushes.
  void SetApplier(class PushApplier* applier) { applier_ = applier; }

  // The regions this server serves (--serve_regions); every admin call on a
  // shard must name one in x-kawal-region. Must outlive the service.
  void SetShardGuard(const ShardGuard* shard) { shard_ = shard; }

 private:
  // The handlers' bodies, in absl::Status: each authorizes the call once,
  // first; each override above converts the result once (ToGrpcStatus).
  absl::Status HandleAddUser(grpc::ServerContext* context, const v1::AddUserRequest* request,
                             v1::AddUserResponse* response);
  absl::Status HandleListUsers(grpc::ServerContext* context, const v1::ListUsersRequest* request,
                               v1::ListUsersResponse* response);
  absl::Status HandleRevokeUser(grpc::ServerContext* context, const v1::RevokeUserRequest* request,
                                v1::RevokeUserResponse* response);
  absl::Status HandleRotateToken(grpc::ServerContext* context, const v1::RotateTokenRequest* request,
                                 v1::RotateTokenResponse* response);
  absl::Status HandleSetPassword(grpc::ServerContext* context,
                                 const v1::SetPasswordRequest* request,
                                 v1::SetPasswordResponse* response);
  absl::Status HandleStats(grpc::ServerContext* context, const v1::StatsRequest* request,
                           v1::StatsResponse* response);
  absl::Status HandleVerifyAggregates(grpc::ServerContext* context,
                                      const v1::VerifyAggregatesRequest* request,
                                      v1::VerifyAggregatesResponse* response);
  absl::Status HandleRebuildAggregates(grpc::ServerContext* context,
                                       const v1::RebuildAggregatesRequest* request,
                                       v1::RebuildAggregatesResponse* response);
  absl::Status HandleCreateBackup(grpc::ServerContext* context, const v1::CreateBackupRequest* request,
                                  v1::BackupInfo* response);
  absl::Status HandleListBackups(grpc::ServerContext* context, const v1::ListBackupsRequest* request,
                                 v1::ListBackupsResponse* response);
  absl::Status HandleVerifyBackup(grpc::ServerContext* context, const v1::VerifyBackupRequest* request,
                                  v1::VerifyBackupResponse* response);
  absl::Status HandlePurgeBackups(grpc::ServerContext* context, const v1::PurgeBackupsRequest* request,
                                  v1::ListBackupsResponse* response);

  Database* const database_;
  Sequencer* const sequencer_;
  UserStore* const users_;
  sync::Clock* const clock_;
  class PushApplier* applier_ = nullptr;
  class BackupManager* backups_ = nullptr;
  const ShardGuard* shard_ = &ShardGuard::Everything();

  // AuthorizeAdmin (call_auth.h) against this service's shard and users.
  absl::Status RequireAdmin(const grpc::ServerContext& context, const char* what) const;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_ADMIN_SERVICE_H_
