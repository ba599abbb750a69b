// Authenticates an RPC from its "authorization: Bearer <token>" metadata.
//
// Thread-safety: pure function over a thread-safe UserStore.
#ifndef KAWAL_SERVER_CALL_AUTH_H_
#define KAWAL_SERVER_CALL_AUTH_H_

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "store/user_store.h"

namespace kawal::server {

// UNAUTHENTICATED when the header is missing, malformed, or the token is
// unknown or revoked.
absl::StatusOr<Caller> AuthenticateCall(const grpc::ServerContext& context,
                                        const UserStore& users);

// Authenticates the call and requires an admin; `what` names the action in
// the PERMISSION_DENIED message.
absl::Status RequireAdminCall(const grpc::ServerContext& context, const UserStore& users,
                              const char* what);

// PERMISSION_DENIED unless `caller` has `role` (admins pass every check).
absl::Status RequireRole(const Caller& caller, v1::Role role, const char* what);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_CALL_AUTH_H_
