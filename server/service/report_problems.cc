// ReportService.ListProblems: the kendala of progress reports in a region.
// Progress reports are keyed by id, not by place, so this scans them; the
// scan checks the deadline as it goes and the answer is capped.
#include <algorithm>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "kawal/common/grpc_status.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"
#include "service/record_names.h"
#include "service/report_service.h"
#include "store/record_table.h"
#include "store/storage_keys.h"
#include "store/stored_record.h"

namespace kawal::server {
namespace {

constexpr int kMaxProblemsListed = 2000;

// The kecamatan code of a desa code ("62.10.01.2001" -> "62.10.01").
std::string KecamatanOf(const std::string& desa) {
  const size_t dot = desa.rfind('.');
  return dot == std::string::npos ? desa : desa.substr(0, dot);
}

}  // namespace

grpc::Status ReportServiceImpl::ListProblems(grpc::ServerContext* context,
                                             const v1::ListProblemsRequest* request,
                                             v1::ListProblemsResponse* response) {
  return common::ToGrpcStatus(HandleListProblems(context, request, response));
}

absl::Status ReportServiceImpl::HandleListProblems(grpc::ServerContext* context,
                                                   const v1::ListProblemsRequest* request,
                                                   v1::ListProblemsResponse* response) {
  Caller caller;
  if (absl::Status s = AuthorizeRegion(*context, request->region(), &caller); !s.ok()) return s;
  if (request->year() != 0 && (request->year() < 2015 || request->year() > 2100)) {
    return absl::InvalidArgumentError(
        absl::StrCat("year must be 0 (any) or between 2015 and 2100, not ", request->year()));
  }
  const std::string year_prefix = request->year() == 0 ? "" : absl::StrCat(request->year(), "-");
  const RecordTable records(database_);
  std::vector<v1::ProblemEntry> found;
  int since_check = 0;
  absl::Status scanned = records.ScanPrefix(
      RecordCollectionPrefix(sync::kProgressReport),
      [&](absl::string_view key, absl::string_view value) -> absl::Status {
        if (++since_check == 1000) {
          since_check = 0;
          if (context->IsCancelled()) return absl::CancelledError("the caller went away");
        }
        absl::StatusOr<StoredRecord> stored = DecodeStoredRecord(value, key);
        if (!stored.ok()) return stored.status();
        const sync::RecordState& r = stored->state;
        const std::string problems = r.GetString("problems");
        if (problems.empty() || !r.Visible() || !sync::RegionContains(request->region(), r.scope)) {
          return absl::OkStatus();
        }
        const std::string date = r.GetString("visit_date");
        if (!absl::StartsWith(date, year_prefix)) return absl::OkStatus();
        v1::ProblemEntry e;
        e.set_report_id(r.id);
        e.set_visit_date(date);
        e.set_desa(r.scope);
        e.set_kecamatan(KecamatanOf(r.scope));
        e.set_activity_id(r.GetString("activity_id"));
        e.set_problems(problems);
        e.set_reporter(r.GetString("reporter"));
        found.push_back(std::move(e));
        return absl::OkStatus();
      });
  if (!scanned.ok()) return scanned;
  std::sort(found.begin(), found.end(), [](const v1::ProblemEntry& a, const v1::ProblemEntry& b) {
    return std::make_tuple(a.kecamatan(), a.desa(), b.visit_date(), a.report_id()) <
           std::make_tuple(b.kecamatan(), b.desa(), a.visit_date(), b.report_id());
  });
  if (found.size() > kMaxProblemsListed) {
    found.resize(kMaxProblemsListed);
    response->set_truncated(true);
  }
  RecordNames names(records);
  for (v1::ProblemEntry& e : found) {
    e.set_desa_name(regions_->Name(e.desa()));
    e.set_kecamatan_name(regions_->Name(e.kecamatan()));
    e.set_activity_name(names.Of(sync::kActivity, e.activity_id()));
    *response->add_problems() = std::move(e);
  }
  return absl::OkStatus();
}

}  // namespace kawal::server
