#include "report/report_client.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "kawal/sync/region.h"

namespace kawal::report {


std::string RegionHeader(absl::string_view region) {
  // A province-wide call names the province; a proxy routes it nowhere.
  std::string kabupaten = sync::KabupatenOf(region);
  return kabupaten.empty() ? std::string(region) : kabupaten;
}

absl::Status FromGrpc(const grpc::Status& status, const ReportClientOptions& options) {
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
  } else if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    absl::StrAppend(&message, " (the server at ", options.server,
                    " has no ReportService: upgrade kawal-server)");
  }
  return absl::Status(code, message);
}

ReportClient::ReportClient(ReportClientOptions options) : options_(std::move(options)) {
  stub_ = v1::ReportService::NewStub(cli::NewChannel(options_.server, options_.tls_ca_pem));
}

namespace {

void Prepare(const ReportClientOptions& options, grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(options.timeout_s));
  context->AddMetadata("authorization", absl::StrCat("Bearer ", options.token));
  if (!options.region.empty()) context->AddMetadata("x-kawal-region", options.region);
}

}  // namespace

absl::Status ReportClient::Progress(const v1::ProgressRequest& request,
                                    v1::ProgressResponse* response) {
  grpc::ClientContext context;
  Prepare(options_, &context);
  return FromGrpc(stub_->Progress(&context, request, response), options_);
}

absl::Status ReportClient::Freshness(const v1::FreshnessRequest& request,
                                     v1::FreshnessResponse* response) {
  grpc::ClientContext context;
  Prepare(options_, &context);
  return FromGrpc(stub_->Freshness(&context, request, response), options_);
}

}  // namespace kawal::report
