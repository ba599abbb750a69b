// The sync progress display of kawal-field. On a terminal one line is
// redrawn in place ("\r"): phase, a bar, records sent of total, records
// received, kilobytes sent and received. Otherwise (a pipe, a log file) one
// plain line per change, e.g. "push 200/500", never the same line twice, so
// that scripts and tests can follow the sync as it goes.
//
// Thread-safety: called from the syncing thread only.
#ifndef KAWAL_MOBILE_APP_PROGRESS_H_
#define KAWAL_MOBILE_APP_PROGRESS_H_

#include <cstdio>
#include <string>

#include "kawal/mobile/device.h"
#include "messages.h"

namespace kawal::field {

class ProgressDisplay {
 public:
  ProgressDisplay(Lang lang, std::FILE* out, bool terminal)
      : lang_(lang), out_(out), terminal_(terminal) {}
  void Update(const mobile::SyncProgress& progress);
  // Ends the redrawn line (terminal) so that what follows starts afresh.
  void Finish();

  // The plain line for `progress` ("handshake", "push 200/500",
  // "pull 12/40", "done"; " retry N" appended after retries).
  static std::string PlainLine(const mobile::SyncProgress& progress);
  // The terminal line for `progress`, without "\r".
  static std::string TerminalLine(Lang lang, const mobile::SyncProgress& progress);

 private:
  const Lang lang_;
  std::FILE* const out_;
  const bool terminal_;
  std::string last_;          // the last line written
  size_t last_width_ = 0;     // its width on the terminal
};

}  // namespace kawal::field

#endif  // KAWAL_MOBILE_APP_PROGRESS_H_
