// `kawal-admin health`: asks a kawal-server's standard gRPC health service
// (grpc.health.v1) whether it is SERVING. It needs no token and no region
// header, so container HEALTHCHECKs and Kubernetes exec probes can run it.
//
// Thread-safety: call from main() only.
#ifndef KAWAL_TOOLS_ADMIN_ADMIN_HEALTH_H_
#define KAWAL_TOOLS_ADMIN_ADMIN_HEALTH_H_

#include <string>

#include "absl/status/status.h"
#include "kawal/common/transport.h"

namespace kawal::admin {

// OK when the server at `server` answers SERVING within `timeout_s`.
// Otherwise UNAVAILABLE naming the server and what it answered
// (NOT_SERVING while it stops, no answer, no health service), or the
// call's own error code.
absl::Status CheckHealth(const std::string& server, const common::TransportPlan& transport,
                         int timeout_s);

}  // namespace kawal::admin

#endif  // KAWAL_TOOLS_ADMIN_ADMIN_HEALTH_H_
