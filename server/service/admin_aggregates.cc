// AdminService: aggregate verification and rebuild (kawal-admin aggregates).
#include "service/admin_service.h"
#include "aggregates/aggregates.h"
#include "service/call_auth.h"
#include "kawal/common/grpc_status.h"
#include "engine/push_applier.h"

namespace kawal::server {
grpc::Status AdminServiceImpl::VerifyAggregates(grpc::ServerContext* context,
                                                const v1::VerifyAggregatesRequest* request,
                                                v1::VerifyAggregatesResponse* response) {
  return common::ToGrpcStatus(HandleVerifyAggregates(context, request, response));
}

absl::Status AdminServiceImpl::HandleVerifyAggregates(grpc::ServerContext* context,
                                                      const v1::VerifyAggregatesRequest* /*request*/,
                                                      v1::VerifyAggregatesResponse* response) {
  if (absl::Status s = RequireAdmin(*context, "verify aggregates"); !s.ok()) {
    return s;
  }
  absl::StatusOr<VerifyReport> report = server::VerifyAggregates(*database_);
  if (!report.ok()) return report.status();
  response->set_records_scanned(report->records_scanned);
  response->set_rows_expected(report->rows_expected);
  response->set_rows_stored(report->rows_stored);
  response->set_rows_different(report->rows_different);
  for (const std::string& d : report->differences) response->add_differences(d);
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::RebuildAggregates(grpc::ServerContext* context,
                                                 const v1::RebuildAggregatesRequest* request,
                                                 v1::RebuildAggregatesResponse* response) {
  return common::ToGrpcStatus(HandleRebuildAggregates(context, request, response));
}

absl::Status AdminServiceImpl::HandleRebuildAggregates(grpc::ServerContext* context,
                                                       const v1::RebuildAggregatesRequest* /*request*/,
                                                       v1::RebuildAggregatesResponse* response) {
  if (absl::Status s = RequireAdmin(*context, "rebuild aggregates"); !s.ok()) {
    return s;
  }
  if (applier_ == nullptr) return absl::InternalError("no applier");
  auto paused = applier_->PauseWrites();
  absl::StatusOr<uint64_t> rows = server::RebuildAggregates(*database_);
  if (!rows.ok()) return rows.status();
  response->set_rows_written(*rows);
  return absl::OkStatus();
}

}  // namespace kawal::server
