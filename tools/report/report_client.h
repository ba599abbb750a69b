// The gRPC side of kawal-report: a channel to one kawal-server and the
// ReportService calls, each with a deadline, the officer's bearer token and
// the "x-kawal-region" routing header. A plain client: generated stubs only.
//
// Thread-safety: a ReportClient may be used from several threads; each call
// builds its own context.
#ifndef KAWAL_TOOLS_REPORT_REPORT_CLIENT_H_
#define KAWAL_TOOLS_REPORT_REPORT_CLIENT_H_

#include <memory>
#include <string>

#include <grpcpp/support/status.h>

#include "client/client.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/v1/report.grpc.pb.h"

namespace kawal::report {

using client::ClientOptions;

// The "x-kawal-region" value for a report on `region`: its kabupaten
// ("62.10.01.2001" -> "62.10"), or the region itself when shorter ("62").
std::string RegionHeader(absl::string_view region);

// What a report asks: one server (ReportClient) or the sum over region
// shards (ShardedReport, shard_sum.h).
class ReportSource {
 public:
  virtual ~ReportSource() = default;
  virtual absl::Status Progress(const v1::ProgressRequest& request,
                                v1::ProgressResponse* response) = 0;
  virtual absl::Status Freshness(const v1::FreshnessRequest& request,
                                 v1::FreshnessResponse* response) = 0;
};

class ReportClient final : public ReportSource {
 public:
  explicit ReportClient(ClientOptions options);

  absl::Status Progress(const v1::ProgressRequest& request,
                        v1::ProgressResponse* response) override;
  absl::Status Freshness(const v1::FreshnessRequest& request,
                         v1::FreshnessResponse* response) override;
  // Conflicts are asked of one server (the district's shard).
  absl::Status ListConflicts(const v1::ListConflictsRequest& request,
                             v1::ListConflictsResponse* response);
  absl::Status SettleConflict(const v1::SettleConflictRequest& request,
                              v1::SettleConflictResponse* response);
  absl::Status ListProblems(const v1::ListProblemsRequest& request,
                            v1::ListProblemsResponse* response);
  absl::Status CreateFollowUp(const v1::CreateFollowUpRequest& request,
                              v1::FollowUpResponse* response);
  absl::Status UpdateFollowUp(const v1::UpdateFollowUpRequest& request,
                              v1::FollowUpResponse* response);
  absl::Status ListFollowUps(const v1::ListFollowUpsRequest& request,
                             v1::ListFollowUpsResponse* response);

 private:
  ClientOptions options_;
  std::unique_ptr<v1::ReportService::Stub> stub_;
};

}  // namespace kawal::report

#endif  // KAWAL_TOOLS_REPORT_REPORT_CLIENT_H_
