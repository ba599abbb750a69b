// A minimal logging facade (Debian's Abseil 20220623 has no absl/log):
// one timestamped line per message to standard error.
//
// Thread-safety: safe to call from any thread.
#ifndef KAWAL_SERVER_BASE_SERVER_LOG_H_
#define KAWAL_SERVER_BASE_SERVER_LOG_H_

#include <string>

namespace kawal::server {

void LogInfo(const std::string& message);
void LogError(const std::string& message);
// `line` as it is (already formatted: the per-RPC lines, JSON or text).
void LogLine(const std::string& line);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_BASE_SERVER_LOG_H_
