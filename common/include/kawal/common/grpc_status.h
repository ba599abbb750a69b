// The conversions between absl::Status (used inside every module) and
// grpc::Status (on the wire). absl and gRPC share the canonical code numbers,
// so a code crosses unchanged; only the message is framed.
//
// Thread-safety: pure functions.
#ifndef KAWAL_COMMON_GRPC_STATUS_H_
#define KAWAL_COMMON_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kawal::common {

// The one conversion from absl::Status to grpc::Status at a server's edge.
grpc::Status ToGrpcStatus(const absl::Status& status);

// A call's grpc::Status as an absl::Status of the same code, its message
// prefixed by `context` ("pushing changes: ..."). OK stays OK.
absl::Status FromGrpcStatus(const grpc::Status& status, absl::string_view context);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_GRPC_STATUS_H_
