#include "admin/admin_health.h"

#include <chrono>

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace kawal::admin {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

absl::Status CheckHealth(const std::string& server, const common::TransportPlan& transport,
                         int timeout_s) {
  auto stub = grpc::health::v1::Health::NewStub(client::NewChannel(server, transport));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_s));
  HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, HealthCheckRequest(), &response);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::UnavailableError(absl::StrCat("no answer from kawal-server at ", server,
                                               " within ", timeout_s, " s: ",
                                               status.error_message()));
  }
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    return absl::UnavailableError(
        absl::StrCat(server, " has no gRPC health service: is it a kawal-server?"));
  }
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("health check of ", server, ": ", status.error_message()));
  }
  if (response.status() != HealthCheckResponse::SERVING) {
    return absl::UnavailableError(absl::StrCat(
        "kawal-server at ", server, " is ", HealthCheckResponse::ServingStatus_Name(response.status()),
        response.status() == HealthCheckResponse::NOT_SERVING ? " (it is stopping)" : ""));
  }
  return absl::OkStatus();
}

}  // namespace kawal::admin
