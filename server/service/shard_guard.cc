#include "service/shard_guard.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "kawal/sync/region.h"
#include "kawal/sync/quote.h"

namespace kawal::server {

absl::StatusOr<ShardGuard> ShardGuard::Parse(absl::string_view serve_regions) {
  std::vector<std::string> served;
  if (absl::StripAsciiWhitespace(serve_regions).empty()) return ShardGuard();
  for (absl::string_view part : absl::StrSplit(serve_regions, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (part.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--serve_regions=", serve_regions, " has an empty entry; give codes like 62.10,62.11"));
    }
    absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(part);
    if (!code.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--serve_regions: ", code.status().message()));
    }
    // A shard is a set of whole kabupaten (or provinces): routing and
    // national reports work on kabupaten codes.
    if (code->level() > sync::RegionLevel::kKabupaten) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--serve_regions: ", part, " is a ", sync::RegionLevelName(code->level()),
          "; a shard serves whole provinces or kabupaten (e.g. ", part.substr(0, 5), ")"));
    }
    served.push_back(code->str());
  }
  std::sort(served.begin(), served.end());
  served.erase(std::unique(served.begin(), served.end()), served.end());
  return ShardGuard(std::move(served));
}

const ShardGuard& ShardGuard::Everything() {
  static const ShardGuard* const everything = new ShardGuard();
  return *everything;
}

std::string ShardGuard::Describe() const {
  return served_.empty() ? "every region" : absl::StrJoin(served_, ", ");
}

bool ShardGuard::Serves(absl::string_view code) const {
  return std::any_of(served_.begin(), served_.end(),
                     [&](const std::string& s) { return sync::RegionContains(s, code); });
}

absl::Status ShardGuard::CheckCall(const grpc::ServerContext& context) const {
  if (served_.empty()) return absl::OkStatus();
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kRegionHeader);
  if (it == metadata.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the call carries no ", kRegionHeader, " header; this server is a shard serving only ",
        Describe(), ": send the caller's kabupaten code (kawal-admin --region=...)"));
  }
  absl::string_view region(it->second.data(), it->second.size());
  if (absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(region); !code.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kRegionHeader, " header: ", code.status().message()));
  }
  if (!Serves(region)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "region ", region, " (", kRegionHeader, ") is not served here: this shard serves ",
        Describe(), "; send the call to the shard or proxy that serves ", region));
  }
  return absl::OkStatus();
}

absl::Status ShardGuard::CheckWrite(absl::string_view scope) const {
  if (served_.empty() || !sync::RegionCode::Parse(scope).ok() || Serves(scope)) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "village ", scope, " is not served here: this shard serves ", Describe(),
      "; nothing of this call was stored, send it to the shard that serves ", scope.substr(0, 5)));
}

absl::Status ShardGuard::CheckRead(absl::string_view region) const {
  if (served_.empty() || region.empty() || Serves(region)) return absl::OkStatus();
  const bool encloses = std::any_of(served_.begin(), served_.end(), [&](const std::string& s) {
    return sync::RegionContains(region, s);
  });
  if (encloses) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "region ", sync::QuoteClientValue(region), " is not served here: this shard serves ",
      Describe()));
}

}  // namespace kawal::server
