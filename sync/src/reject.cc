#include "kawal/sync/reject.h"

#include <cstdint>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"

namespace kawal::sync {
namespace {

// The payload type URL under which a status carries its reject code, as the
// decimal number of the kawal.v1.RejectReason value.
constexpr char kRejectPayloadUrl[] = "kawal.reject";

constexpr int kMaxRejectCode = static_cast<int>(RejectCode::kWrongShard);

absl::StatusCode StatusCodeFor(RejectCode code) {
  switch (code) {
    case RejectCode::kClockAhead:
    case RejectCode::kWrongShard: return absl::StatusCode::kFailedPrecondition;
    case RejectCode::kScopeDenied: return absl::StatusCode::kPermissionDenied;
    default: return absl::StatusCode::kInvalidArgument;
  }
}

}  // namespace

const char* RejectCodeName(RejectCode code) {
  switch (code) {
    case RejectCode::kUnspecified: return "REJECT_REASON_UNSPECIFIED";
    case RejectCode::kInvalidField: return "INVALID_FIELD";
    case RejectCode::kUnknownCollection: return "UNKNOWN_COLLECTION";
    case RejectCode::kInvalidScope: return "INVALID_SCOPE";
    case RejectCode::kScopeDenied: return "SCOPE_DENIED";
    case RejectCode::kClockAhead: return "CLOCK_AHEAD";
    case RejectCode::kAppendOnly: return "APPEND_ONLY";
    case RejectCode::kInvalidId: return "INVALID_ID";
    case RejectCode::kMismatch: return "MISMATCH";
    case RejectCode::kMalformed: return "MALFORMED";
    case RejectCode::kUnknownField: return "UNKNOWN_FIELD";
    case RejectCode::kWrongShard: return "WRONG_SHARD";
  }
  return "REJECT_REASON_UNSPECIFIED";
}

absl::Status Reject(RejectCode code, absl::string_view message) {
  absl::Status status(StatusCodeFor(code), message);
  status.SetPayload(kRejectPayloadUrl, absl::Cord(absl::StrCat(static_cast<int>(code))));
  return status;
}

RejectCode RejectCodeOf(const absl::Status& status) {
  if (status.ok()) return RejectCode::kUnspecified;
  absl::optional<absl::Cord> payload = status.GetPayload(kRejectPayloadUrl);
  if (!payload.has_value()) return RejectCode::kUnspecified;
  int value = 0;
  if (!absl::SimpleAtoi(std::string(*payload), &value) || value < 0 || value > kMaxRejectCode) {
    return RejectCode::kUnspecified;
  }
  return static_cast<RejectCode>(value);
}

}  // namespace kawal::sync
