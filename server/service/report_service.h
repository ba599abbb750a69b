// ReportService: aggregated progress and freshness for district officers
// and admins (proto/kawal/v1/report.proto). Reads pre-summed rows: the cost
// of a report grows with its rows, never with the number of records.
//
// Thread-safety: handlers run concurrently; everything they use is
// thread-safe or immutable.
#ifndef KAWAL_SERVER_SERVICE_REPORT_SERVICE_H_
#define KAWAL_SERVER_SERVICE_REPORT_SERVICE_H_

#include "store/database.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/record.h"
#include "kawal/v1/report.grpc.pb.h"
#include "store/counters_merge.h"
#include "aggregates/region_directory.h"
#include "service/shard_guard.h"
#include "store/user_store.h"

namespace kawal::server {

class ReportServiceImpl final : public v1::ReportService::Service {
 public:
  ReportServiceImpl(Database* database, UserStore* users, const RegionDirectory* regions,
                    sync::Clock* clock);

  grpc::Status Progress(grpc::ServerContext* context, const v1::ProgressRequest* request,
                        v1::ProgressResponse* response) override;
  // The regions this server serves (--serve_regions); must outlive the service.
  void SetShardGuard(const ShardGuard* shard) { shard_ = shard; }
  grpc::Status Freshness(grpc::ServerContext* context, const v1::FreshnessRequest* request,
                         v1::FreshnessResponse* response) override;
  // Conflicts (report_conflicts.cc). Settling writes through `applier`,
  // which must be set (SetApplier) and outlive the service.
  void SetApplier(class PushApplier* applier) { applier_ = applier; }
  grpc::Status ListConflicts(grpc::ServerContext* context, const v1::ListConflictsRequest* request,
                             v1::ListConflictsResponse* response) override;
  grpc::Status SettleConflict(grpc::ServerContext* context,
                              const v1::SettleConflictRequest* request,
                              v1::SettleConflictResponse* response) override;
  // Problems noted in progress reports (report_problems.cc).
  grpc::Status ListProblems(grpc::ServerContext* context, const v1::ListProblemsRequest* request,
                            v1::ListProblemsResponse* response) override;
  // Follow-ups (report_followups.cc).
  grpc::Status CreateFollowUp(grpc::ServerContext* context,
                              const v1::CreateFollowUpRequest* request,
                              v1::FollowUpResponse* response) override;
  grpc::Status UpdateFollowUp(grpc::ServerContext* context,
                              const v1::UpdateFollowUpRequest* request,
                              v1::FollowUpResponse* response) override;
  grpc::Status ListFollowUps(grpc::ServerContext* context,
                             const v1::ListFollowUpsRequest* request,
                             v1::ListFollowUpsResponse* response) override;

 private:
  // The handlers' bodies, in absl::Status: each authorizes the call once,
  // first; each override above converts the result once (ToGrpcStatus).
  absl::Status HandleProgress(grpc::ServerContext* context, const v1::ProgressRequest* request,
                              v1::ProgressResponse* response);
  absl::Status HandleFreshness(grpc::ServerContext* context, const v1::FreshnessRequest* request,
                               v1::FreshnessResponse* response);

  absl::Status HandleListConflicts(grpc::ServerContext* context,
                                   const v1::ListConflictsRequest* request,
                                   v1::ListConflictsResponse* response);
  absl::Status HandleSettleConflict(grpc::ServerContext* context,
                                    const v1::SettleConflictRequest* request,
                                    v1::SettleConflictResponse* response);

  absl::Status HandleListProblems(grpc::ServerContext* context,
                                  const v1::ListProblemsRequest* request,
                                  v1::ListProblemsResponse* response);

  absl::Status HandleCreateFollowUp(grpc::ServerContext* context,
                                    const v1::CreateFollowUpRequest* request,
                                    v1::FollowUpResponse* response);
  absl::Status HandleUpdateFollowUp(grpc::ServerContext* context,
                                    const v1::UpdateFollowUpRequest* request,
                                    v1::FollowUpResponse* response);
  absl::Status HandleListFollowUps(grpc::ServerContext* context,
                                   const v1::ListFollowUpsRequest* request,
                                   v1::ListFollowUpsResponse* response);
  // The caller, when they may write follow-ups (officers and admins).
  absl::StatusOr<Caller> AuthorizeFollowUpWriter(const grpc::ServerContext& context) const;
  // Writes `delta` as the server (validated, merged, aggregated) and
  // answers with the follow-up as stored.
  absl::Status WriteFollowUp(const sync::RecordDelta& delta, v1::FollowUpResponse* response);
  // Today's date, YYYY-MM-DD, in the server's local time zone.
  std::string Today() const;

  absl::Status AuthorizeRegion(const grpc::ServerContext& context, const std::string& region,
                               Caller* caller) const;

  Database* const database_;
  UserStore* const users_;
  const RegionDirectory* const regions_;
  sync::Clock* const clock_;
  const ShardGuard* shard_ = &ShardGuard::Everything();
  class PushApplier* applier_ = nullptr;
};

// Fills figures from a row's counters (and the derived percentages).
void FiguresFromCounters(const CounterMap& counters, v1::AreaFigures* figures);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_REPORT_SERVICE_H_
