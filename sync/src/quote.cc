#include "kawal/sync/quote.h"

#include "absl/strings/str_format.h"

namespace kawal::sync {

std::string QuoteClientValue(absl::string_view value, size_t limit) {
  std::string out;
  size_t shown = 0;
  for (unsigned char c : value) {
    if (shown == limit) {
      out += "...";
      break;
    }
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      absl::StrAppendFormat(&out, "\\x%02x", c);
    } else {
      out += static_cast<char>(c);
    }
    ++shown;
  }
  return out;
}

}  // namespace kawal::sync
