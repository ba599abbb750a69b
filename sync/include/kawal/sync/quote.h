// Quoting a value a client sent inside an error message or a log line:
// at most a short prefix, escaped, so that a 100 KB scope or a header full
// of control characters cannot flood a log or a user's screen.
//
// Thread-safety: pure function.
#ifndef KAWAL_SYNC_QUOTE_H_
#define KAWAL_SYNC_QUOTE_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace kawal::sync {

// At most `limit` bytes of `value`; control characters, quotes, backslashes
// and non-ASCII bytes as \xNN; "..." when the value was cut.
std::string QuoteClientValue(absl::string_view value, size_t limit = 32);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_QUOTE_H_
