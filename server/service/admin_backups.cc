// AdminService: backups (kawal-admin backup create|list|verify|purge).
#include "absl/strings/str_cat.h"
#include "service/admin_service.h"
#include "backup/backup.h"
#include "service/call_auth.h"
#include "kawal/common/grpc_status.h"

namespace kawal::server {
grpc::Status AdminServiceImpl::CreateBackup(grpc::ServerContext* context,
                                            const v1::CreateBackupRequest* request,
                                            v1::BackupInfo* response) {
  return common::ToGrpcStatus(HandleCreateBackup(context, request, response));
}

absl::Status AdminServiceImpl::HandleCreateBackup(grpc::ServerContext* context,
                                                  const v1::CreateBackupRequest* /*request*/,
                                                  v1::BackupInfo* response) {
  if (absl::Status s = RequireAdmin(*context, "manage backups"); !s.ok()) {
    return s;
  }
  absl::StatusOr<v1::BackupInfo> info = backups_->Create();
  if (!info.ok()) return info.status();
  *response = *info;
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::ListBackups(grpc::ServerContext* context,
                                           const v1::ListBackupsRequest* request,
                                           v1::ListBackupsResponse* response) {
  return common::ToGrpcStatus(HandleListBackups(context, request, response));
}

absl::Status AdminServiceImpl::HandleListBackups(grpc::ServerContext* context,
                                                 const v1::ListBackupsRequest* /*request*/,
                                                 v1::ListBackupsResponse* response) {
  if (absl::Status s = RequireAdmin(*context, "manage backups"); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<v1::BackupInfo>> list = backups_->List();
  if (!list.ok()) return list.status();
  response->set_backup_dir(backups_->backup_dir());
  for (auto& info : *list) *response->add_backups() = std::move(info);
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::VerifyBackup(grpc::ServerContext* context,
                                            const v1::VerifyBackupRequest* request,
                                            v1::VerifyBackupResponse* response) {
  return common::ToGrpcStatus(HandleVerifyBackup(context, request, response));
}

absl::Status AdminServiceImpl::HandleVerifyBackup(grpc::ServerContext* context,
                                                  const v1::VerifyBackupRequest* request,
                                                  v1::VerifyBackupResponse* response) {
  if (absl::Status s = RequireAdmin(*context, "manage backups"); !s.ok()) {
    return s;
  }
  absl::StatusOr<v1::VerifyBackupResponse> verified = backups_->Verify(request->id());
  if (!verified.ok()) return verified.status();
  *response = *verified;
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::PurgeBackups(grpc::ServerContext* context,
                                            const v1::PurgeBackupsRequest* request,
                                            v1::ListBackupsResponse* response) {
  return common::ToGrpcStatus(HandlePurgeBackups(context, request, response));
}

absl::Status AdminServiceImpl::HandlePurgeBackups(grpc::ServerContext* context,
                                                  const v1::PurgeBackupsRequest* request,
                                                  v1::ListBackupsResponse* response) {
  if (absl::Status s = RequireAdmin(*context, "manage backups"); !s.ok()) {
    return s;
  }
  if (absl::Status s = backups_->Purge(request->keep()); !s.ok()) return s;
  absl::StatusOr<std::vector<v1::BackupInfo>> list = backups_->List();
  if (!list.ok()) return list.status();
  response->set_backup_dir(backups_->backup_dir());
  for (auto& info : *list) *response->add_backups() = std::move(info);
  return absl::OkStatus();
}

}  // namespace kawal::server
