#include "admin/admin_client.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace kawal::admin {


absl::Status FromGrpc(const grpc::Status& status, const AdminClientOptions& options) {
  if (status.ok()) return absl::OkStatus();
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  std::string message = status.error_message();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    absl::StrAppend(&message, " (is kawal-server running at ", options.server,
                    options.tls_ca_pem.empty()
                        ? "? If it serves TLS, pass --tls_ca=CA.pem)"
                        : " with TLS, under a certificate signed by --tls_ca?)");
  } else if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    absl::StrAppend(&message, " (no answer from ", options.server, " within ", options.timeout_s,
                    " s; see --timeout_s)");
  }
  return absl::Status(code, message);
}

AdminClient::AdminClient(AdminClientOptions options) : options_(std::move(options)) {
  std::shared_ptr<grpc::Channel> channel = cli::NewChannel(options_.server, options_.tls_ca_pem);
  stub_ = v1::AdminService::NewStub(channel);
  photos_ = v1::PhotoService::NewStub(channel);
}

void AdminClient::Prepare(grpc::ClientContext* context) const {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(options_.timeout_s));
  context->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  if (!options_.region.empty()) context->AddMetadata("x-kawal-region", options_.region);
}

absl::Status AdminClient::Done(const grpc::Status& status) const {
  return FromGrpc(status, options_);
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
