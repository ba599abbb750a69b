#include "base/server_log.h"

#include <cstdio>
#include <mutex>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace kawal::server {
namespace {

std::mutex log_mu;

void Log(const char* level, const std::string& message) {
  std::string when = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::lock_guard<std::mutex> lock(log_mu);
  std::fprintf(stderr, "%s %s kawal-server: %s\n", when.c_str(), level, message.c_str());
  std::fflush(stderr);
}

}  // namespace

void LogInfo(const std::string& message) { Log("I", message); }
void LogError(const std::string& message) { Log("E", message); }

void LogLine(const std::string& line) {
  std::lock_guard<std::mutex> lock(log_mu);
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace kawal::server
