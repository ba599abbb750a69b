#include "report/report_client.h"

#include <utility>

#include <grpcpp/client_context.h>

#include "kawal/sync/region.h"

namespace kawal::report {
namespace {

// Named when the server has none (an older kawal-server).
constexpr char kService[] = "ReportService";

}  // namespace

std::string RegionHeader(absl::string_view region) {
  // A province-wide call names the province; a proxy routes it nowhere.
  std::string kabupaten = sync::KabupatenOf(region);
  return kabupaten.empty() ? std::string(region) : kabupaten;
}

ReportClient::ReportClient(ClientOptions options) : options_(std::move(options)) {
  stub_ = v1::ReportService::NewStub(client::NewChannel(options_));
}

absl::Status ReportClient::Progress(const v1::ProgressRequest& request,
                                    v1::ProgressResponse* response) {
  grpc::ClientContext context;
  client::PrepareCall(options_, &context);
  return client::FromGrpc(stub_->Progress(&context, request, response), options_, kService);
}

absl::Status ReportClient::Freshness(const v1::FreshnessRequest& request,
                                     v1::FreshnessResponse* response) {
  grpc::ClientContext context;
  client::PrepareCall(options_, &context);
  return client::FromGrpc(stub_->Freshness(&context, request, response), options_, kService);
}

absl::Status ReportClient::ListConflicts(const v1::ListConflictsRequest& request,
                                         v1::ListConflictsResponse* response) {
  grpc::ClientContext context;
  client::PrepareCall(options_, &context);
  return client::FromGrpc(stub_->ListConflicts(&context, request, response), options_, kService);
}

absl::Status ReportClient::SettleConflict(const v1::SettleConflictRequest& request,
                                          v1::SettleConflictResponse* response) {
  grpc::ClientContext context;
  client::PrepareCall(options_, &context);
  return client::FromGrpc(stub_->SettleConflict(&context, request, response), options_, kService);
}

absl::Status ReportClient::ListProblems(const v1::ListProblemsRequest& request,
                                        v1::ListProblemsResponse* response) {
  grpc::ClientContext context;
  client::PrepareCall(options_, &context);
  return client::FromGrpc(stub_->ListProblems(&context, request, response), options_, kService);
}

absl::Status ReportClient::CreateFollowUp(const v1::CreateFollowUpRequest& request, v1::FollowUpResponse* response) {
  grpc::ClientContext context;
  client::PrepareCall(options_, &context);
  return client::FromGrpc(stub_->CreateFollowUp(&context, request, response), options_, kService);
}

absl::Status ReportClient::UpdateFollowUp(const v1::UpdateFollowUpRequest& request, v1::FollowUpResponse* response) {
  grpc::ClientContext context;
  client::PrepareCall(options_, &context);
  return client::FromGrpc(stub_->UpdateFollowUp(&context, request, response), options_, kService);
}

absl::Status ReportClient::ListFollowUps(const v1::ListFollowUpsRequest& request, v1::ListFollowUpsResponse* response) {
  grpc::ClientContext context;
  client::PrepareCall(options_, &context);
  return client::FromGrpc(stub_->ListFollowUps(&context, request, response), options_, kService);
}

}  // namespace kawal::report
