// Which regions this kawal-server serves when it is one shard of a national
// deployment (--serve_regions), and the checks every service makes with it.
// A proxy routes calls by their "x-kawal-region" metadata header without
// reading messages; this guard is the server's own line of defence against a
// misrouted call or a message about another shard's villages, so nothing of
// another region is ever stored or served here (docs/architecture.md §7).
//
// Services call CheckCall first (before authentication: a token is only
// known to its own shard, so a misrouted call would otherwise be reported as
// an unknown token), then CheckWrite / CheckRead on the scopes the message
// names. Health and reflection are not guarded.
//
// Thread-safety: immutable after Parse; share one instance by const pointer.
#ifndef KAWAL_SERVER_SERVICE_SHARD_GUARD_H_
#define KAWAL_SERVER_SERVICE_SHARD_GUARD_H_

#include <string>
#include <vector>

#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::server {

// The routing header every client sends: its kabupaten code, e.g. "62.10".
inline constexpr char kRegionHeader[] = "x-kawal-region";

class ShardGuard {
 public:
  // Serves every region (no --serve_regions): every check passes.
  ShardGuard() = default;

  // Parses --serve_regions: comma-separated province or kabupaten codes
  // ("62.10,62.11"); "" serves everything. INVALID_ARGUMENT naming the bad
  // entry otherwise.
  static absl::StatusOr<ShardGuard> Parse(absl::string_view serve_regions);
  // A shared guard that serves everything: what services use until told
  // otherwise (SetShardGuard).
  static const ShardGuard& Everything();

  bool serves_everything() const { return served_.empty(); }
  // "62.10, 62.11" (or "every region").
  std::string Describe() const;

  // The call's x-kawal-region header must name a region inside one this
  // server serves. FAILED_PRECONDITION naming the region asked and the
  // regions served when it does not, or when the header is missing;
  // INVALID_ARGUMENT when it is no region code.
  absl::Status CheckCall(const grpc::ServerContext& context) const;

  // A record's desa `scope` must lie inside a served region.
  // FAILED_PRECONDITION otherwise. A malformed scope passes: record
  // validation rejects it with its own reason.
  absl::Status CheckWrite(absl::string_view scope) const;

  // A read (pull scope, report region) must touch a served region: lie
  // inside one, or enclose one ("62" on a shard serving 62.10 reads that
  // shard's part; "" is everything this shard holds). FAILED_PRECONDITION
  // when it touches none.
  absl::Status CheckRead(absl::string_view region) const;

 private:
  explicit ShardGuard(std::vector<std::string> served) : served_(std::move(served)) {}
  bool Serves(absl::string_view code) const;

  std::vector<std::string> served_;  // sorted, well-formed, level 1 or 2
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_SHARD_GUARD_H_
