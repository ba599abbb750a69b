// Reject codes: why a write is refused, carried inside an absl::Status so
// that validation keeps the house error type and the server can still send
// kawal.v1.RejectReason codes (the numbers match the proto enum).
//
// Thread-safety: pure functions.
#ifndef KAWAL_SYNC_REJECT_H_
#define KAWAL_SYNC_REJECT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kawal::sync {

enum class RejectCode {
  kUnspecified = 0,
  kInvalidField = 1,
  kUnknownCollection = 2,
  kInvalidScope = 3,
  kScopeDenied = 4,
  kClockAhead = 5,
  kAppendOnly = 6,
  kInvalidId = 7,
  kMismatch = 8,
  kMalformed = 9,
  kUnknownField = 10,
  kWrongShard = 11,
};

// "INVALID_FIELD", ... as in the proto enum.
const char* RejectCodeName(RejectCode code);

// An INVALID_ARGUMENT (FAILED_PRECONDITION for kClockAhead and kWrongShard,
// PERMISSION_DENIED for kScopeDenied) status carrying `code`.
absl::Status Reject(RejectCode code, absl::string_view message);

// The code carried by `status`; kUnspecified when none (or OK).
RejectCode RejectCodeOf(const absl::Status& status);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_REJECT_H_
