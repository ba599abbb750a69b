// UTF-8 well-formedness (Unicode table 3-7: no overlong forms, no encoded
// surrogates, nothing above U+10FFFF), the one check that schema validation
// and the mobile core's JSON messages share.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SYNC_UTF8_H_
#define KAWAL_SYNC_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace kawal::sync {

// Length (1 to 4) of the well-formed UTF-8 sequence starting at s[i], or 0
// when it is invalid or truncated. Requires i < s.size().
size_t Utf8SequenceLength(absl::string_view s, size_t i);

// Offset of the first byte that is not part of well-formed UTF-8, or npos.
size_t FirstInvalidUtf8(absl::string_view s);

inline bool IsValidUtf8(absl::string_view s) {
  return FirstInvalidUtf8(s) == absl::string_view::npos;
}

// `s` with each byte that is not well-formed UTF-8 written as \xNN, so that
// untrusted text can go into a message. Stops at the first character
// boundary at which the output holds `max_bytes` or more, and sets
// *consumed (if given) to the bytes of `s` written.
std::string EscapeInvalidUtf8(absl::string_view s,
                              size_t max_bytes = absl::string_view::npos,
                              size_t* consumed = nullptr);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_UTF8_H_
