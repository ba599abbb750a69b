// National (or provincial) reports over region shards: kawal-report asks
// every shard the same Progress question and sums the answers. Aggregates
// are additive counters (docs/architecture.md §7), so rows of the same area and key
// add up; the derived percentages (budget-weighted progress, absorption)
// are never added but recomputed from the summed counters.
//
// Each shard counts only for the region it is listed with in --shards: a
// shard lists every area of the report (zeros where it holds nothing), and
// may still hold the records of a kabupaten that moved to another shard, so
// rows outside its region are zeroed before summing, and province rows of a
// kabupaten shard are rolled up from its own kabupaten rows.
//
// Thread-safety: SumProgress is pure; a ShardedReport is used from one
// thread.
#ifndef KAWAL_TOOLS_REPORT_SHARD_SUM_H_
#define KAWAL_TOOLS_REPORT_SHARD_SUM_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/v1/report.pb.h"
#include "report/report_client.h"

namespace kawal::report {

// One shard: the region it serves (sent as x-kawal-region) and where to
// reach it (the shard itself, or the proxy in front of all of them).
struct ShardAddress {
  std::string region;
  std::string server;
};

// Parses "REGION=VALUE,..." given as `flag`: INVALID_ARGUMENT naming the
// flag and the bad entry (no '=', bad region code, empty value, a region
// given twice).
absl::StatusOr<std::map<std::string, std::string>> ParseRegionPairs(absl::string_view text,
                                                                    absl::string_view flag);

// Parses --shards: "62.10=10.0.0.5:7443,62.11=10.0.0.6:7443"; also
// INVALID_ARGUMENT when an address is not HOST:PORT or a region is below a
// kabupaten (shards serve whole kabupaten or provinces).
absl::StatusOr<std::vector<ShardAddress>> ParseShards(absl::string_view text);

// Adds `from` into `into`: every integer counter and every per-key counter
// map, then recomputes progress_pct and absorption_pct.
void AddFigures(const v1::AreaFigures& from, v1::AreaFigures* into);

// Zeroes the figures of the rows outside `region` (the rows stay, so every
// area still shows once summed).
void KeepOwnRows(absl::string_view region, v1::ProgressResponse* response);

// Replaces the figures of `provinces` (a report at provinsi level) by the
// sums of `kabupaten` rows (the same report at kabupaten level) per
// province and key.
void RollUpToProvinces(const v1::ProgressResponse& kabupaten, v1::ProgressResponse* provinces);

// The sum of the same report from several shards: rows keyed by (code,
// key), ordered by code then key; totals recomputed from the summed rows.
// INVALID_ARGUMENT when the parts answer different questions (year, level,
// breakdown, region).
absl::StatusOr<v1::ProgressResponse> SumProgress(const std::vector<v1::ProgressResponse>& parts);

// Asks every shard (each with its own client: address, token, region
// header) and sums the answers. Freshness is per village and not summed:
// it is refused (ask each district's shard).
class ShardedReport final : public ReportSource {
 public:
  // `clients[i]` talks to `shards[i]`.
  ShardedReport(std::vector<ShardAddress> shards, std::vector<std::unique_ptr<ReportClient>> clients);

  absl::Status Progress(const v1::ProgressRequest& request,
                        v1::ProgressResponse* response) override;
  absl::Status Freshness(const v1::FreshnessRequest& request,
                         v1::FreshnessResponse* response) override;

 private:
  std::vector<ShardAddress> shards_;
  std::vector<std::unique_ptr<ReportClient>> clients_;
};

}  // namespace kawal::report

#endif  // KAWAL_TOOLS_REPORT_SHARD_SUM_H_
