// The one conversion from absl::Status to grpc::Status at the RPC edge.
//
// Thread-safety: pure function.
#ifndef KAWAL_SERVER_GRPC_STATUS_H_
#define KAWAL_SERVER_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace kawal::server {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_GRPC_STATUS_H_
