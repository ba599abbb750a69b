// Authorizes an RPC: the shard's routing header (ShardGuard), then the
// caller from its "authorization: Bearer <token>" metadata, then its role.
// Every handler makes one of these calls first.
//
// Thread-safety: pure function over a thread-safe UserStore.
#ifndef KAWAL_SERVER_SERVICE_CALL_AUTH_H_
#define KAWAL_SERVER_SERVICE_CALL_AUTH_H_

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "service/shard_guard.h"
#include "store/user_store.h"

namespace kawal::server {

// The token of the call's "authorization: Bearer <token>" metadata (a view
// into the call's metadata); UNAUTHENTICATED when missing or malformed.
absl::StatusOr<absl::string_view> BearerToken(const grpc::ServerContext& context);

// The caller of a call `shard` accepts (its refusal comes first: a token is
// only checked by the shard that holds it). UNAUTHENTICATED when the header
// is missing, malformed, or the token is unknown or revoked.
absl::StatusOr<Caller> Authorize(const grpc::ServerContext& context, const ShardGuard& shard,
                                 const UserStore& users);

// Authorize, then requires an admin; `what` names the action in the
// PERMISSION_DENIED message.
absl::Status AuthorizeAdmin(const grpc::ServerContext& context, const ShardGuard& shard,
                            const UserStore& users, const char* what);

// PERMISSION_DENIED unless `caller` has `role` (admins pass every check).
absl::Status RequireRole(const Caller& caller, v1::Role role, const char* what);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_CALL_AUTH_H_
