#include "admin/admin_client.h"

#include <utility>

namespace kawal::admin {

AdminClient::AdminClient(ClientOptions options) : options_(std::move(options)) {
  std::shared_ptr<grpc::Channel> channel = client::NewChannel(options_);
  stub_ = v1::AdminService::NewStub(channel);
  photos_ = v1::PhotoService::NewStub(channel);
}

absl::Status AdminClient::AddUser(const v1::AddUserRequest& request,
                                  v1::AddUserResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  return Done(stub_->AddUser(&context, request, response));
}

absl::Status AdminClient::ListUsers(v1::ListUsersResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  return Done(stub_->ListUsers(&context, v1::ListUsersRequest(), response));
}

absl::Status AdminClient::RevokeUser(const std::string& name, v1::RevokeUserResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  v1::RevokeUserRequest request;
  request.set_name(name);
  return Done(stub_->RevokeUser(&context, request, response));
}

absl::Status AdminClient::RotateToken(const std::string& name,
                                      v1::RotateTokenResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  v1::RotateTokenRequest request;
  request.set_name(name);
  return Done(stub_->RotateToken(&context, request, response));
}

absl::Status AdminClient::SetPassword(const std::string& name, const std::string& password,
                                      v1::SetPasswordResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  v1::SetPasswordRequest request;
  request.set_name(name);
  request.set_password(password);
  return Done(stub_->SetPassword(&context, request, response));
}

absl::Status AdminClient::Stats(v1::StatsResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  return Done(stub_->Stats(&context, v1::StatsRequest(), response));
}

absl::Status AdminClient::VerifyAggregates(v1::VerifyAggregatesResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  return Done(stub_->VerifyAggregates(&context, v1::VerifyAggregatesRequest(), response));
}

absl::Status AdminClient::RebuildAggregates(v1::RebuildAggregatesResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  return Done(stub_->RebuildAggregates(&context, v1::RebuildAggregatesRequest(), response));
}

absl::Status AdminClient::CreateBackup(v1::BackupInfo* response) {
  grpc::ClientContext context;
  Prepare(&context);
  return Done(stub_->CreateBackup(&context, v1::CreateBackupRequest(), response));
}

absl::Status AdminClient::ListBackups(v1::ListBackupsResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  return Done(stub_->ListBackups(&context, v1::ListBackupsRequest(), response));
}

absl::Status AdminClient::VerifyBackup(uint32_t id, v1::VerifyBackupResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  v1::VerifyBackupRequest request;
  request.set_id(id);
  return Done(stub_->VerifyBackup(&context, request, response));
}

absl::Status AdminClient::PurgeBackups(uint32_t keep, v1::ListBackupsResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  v1::PurgeBackupsRequest request;
  request.set_keep(keep);
  return Done(stub_->PurgeBackups(&context, request, response));
}

absl::Status AdminClient::PurgePhotos(const std::vector<std::string>& sha256s,
                                      v1::PurgePhotosResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  v1::PurgePhotosRequest request;
  for (const std::string& sha256 : sha256s) request.add_sha256(sha256);
  return Done(photos_->PurgePhotos(&context, request, response));
}

}  // namespace kawal::admin
