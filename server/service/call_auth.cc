#include "service/call_auth.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ops/rpc_observer.h"

namespace kawal::server {

absl::StatusOr<absl::string_view> BearerToken(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        "missing bearer token: send metadata 'authorization: Bearer <token>'");
  }
  absl::string_view header(it->second.data(), it->second.size());
  if (!absl::StartsWithIgnoreCase(header, "Bearer ")) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  return header.substr(7);
}

absl::StatusOr<Caller> Authorize(const grpc::ServerContext& context, const ShardGuard& shard,
                                 const UserStore& users) {
  if (absl::Status s = shard.CheckCall(context); !s.ok()) return s;
  absl::StatusOr<absl::string_view> token = BearerToken(context);
  if (!token.ok()) return token.status();
  absl::StatusOr<Caller> caller = users.Authenticate(*token);
  // The call's log line names the user, never the token.
  if (caller.ok()) ops::RpcObserver::NoteUser(&context, caller->name);
  return caller;
}

absl::Status AuthorizeAdmin(const grpc::ServerContext& context, const ShardGuard& shard,
                            const UserStore& users, const char* what) {
  absl::StatusOr<Caller> caller = Authorize(context, shard, users);
  if (!caller.ok()) return caller.status();
  return RequireRole(*caller, v1::ADMIN, what);
}

absl::Status RequireRole(const Caller& caller, v1::Role role, const char* what) {
  if (caller.role == role || caller.role == v1::ADMIN) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("user ", caller.name, " (", RoleName(caller.role),
                                                  ") may not ", what, "; it needs the ",
                                                  RoleName(role), " role"));
}

}  // namespace kawal::server
