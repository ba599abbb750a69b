#include "service/session_service.h"

#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "kawal/common/grpc_status.h"
#include "kawal/sync/clock.h"
#include "ops/rpc_observer.h"
#include "service/call_auth.h"

namespace kawal::server {
namespace {

void FillUser(const Caller& caller, v1::User* user) {
  user->set_name(caller.name);
  user->set_role(caller.role);
  for (const std::string& scope : caller.scopes) user->add_scopes(scope);
  user->set_has_password(true);
}

}  // namespace

std::string PeerHost(const std::string& peer) {
  absl::string_view rest(peer);
  if (absl::ConsumePrefix(&rest, "ipv4:")) {
    return std::string(rest.substr(0, rest.rfind(':')));
  }
  if (absl::ConsumePrefix(&rest, "ipv6:[")) {
    return std::string(rest.substr(0, rest.find(']')));
  }
  return peer;
}

SessionServiceImpl::SessionServiceImpl(UserStore* users, LoginThrottleLimits limits)
    : users_(users), throttle_(limits) {}

grpc::Status SessionServiceImpl::Login(grpc::ServerContext* context,
                                       const v1::LoginRequest* request,
                                       v1::LoginResponse* response) {
  return common::ToGrpcStatus(HandleLogin(context, *request, response));
}

absl::Status SessionServiceImpl::HandleLogin(grpc::ServerContext* context,
                                             const v1::LoginRequest& request,
                                             v1::LoginResponse* response) {
  if (absl::Status s = shard_->CheckCall(*context); !s.ok()) return s;
  // The browser's address as kawal-web reports it, else the caller's own:
  // a direct caller that lies about it still meets the per-user limit.
  const std::string address =
      request.client_address().empty() ? PeerHost(context->peer()) : request.client_address();
  const std::string& name = request.name();
  if (absl::Status s = throttle_.Check(name, address, sync::SystemTimeMs()); !s.ok()) return s;
  absl::StatusOr<Caller> caller = users_->CheckPassword(name, request.password());
  if (absl::IsUnauthenticated(caller.status())) {
    throttle_.RecordFailure(name, address, sync::SystemTimeMs());
    return caller.status();
  }
  if (!caller.ok()) return caller.status();
  throttle_.RecordSuccess(name);
  ops::RpcObserver::NoteUser(context, caller->name);
  if (caller->role == v1::FACILITATOR) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user ", caller->name,
        " is a facilitator: the dashboard is for district officers and admins; facilitators "
        "record and sync in kawal-field"));
  }
  auto started = users_->StartSession(caller->name, kSessionTtlMs);
  if (!started.ok()) return started.status();
  response->set_session_token(started->second);
  response->set_expires_ms(started->first.expires_ms());
  FillUser(*caller, response->mutable_user());
  return absl::OkStatus();
}

grpc::Status SessionServiceImpl::Logout(grpc::ServerContext* context,
                                        const v1::LogoutRequest* request,
                                        v1::LogoutResponse* response) {
  (void)request;
  (void)response;
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return common::ToGrpcStatus(caller.status());
  if (caller->session_expires_ms == 0) {
    return common::ToGrpcStatus(absl::InvalidArgumentError(
        "logout ends a dashboard session; this call carries a device token (revoke it with "
        "kawal-admin user revoke)"));
  }
  // Authorize accepted the token, so it is there.
  return common::ToGrpcStatus(users_->EndSession(BearerToken(*context).value_or("")));
}

grpc::Status SessionServiceImpl::WhoAmI(grpc::ServerContext* context,
                                        const v1::WhoAmIRequest* request,
                                        v1::WhoAmIResponse* response) {
  (void)request;
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return common::ToGrpcStatus(caller.status());
  FillUser(*caller, response->mutable_user());
  response->set_session_expires_ms(caller->session_expires_ms);
  return grpc::Status::OK;
}

}  // namespace kawal::server
