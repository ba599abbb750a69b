// Throttling of failed dashboard logins (SessionService.Login): after too
// many failures for one user name, or from one address, within a window,
// further attempts for it are refused for a lockout period — even with the
// right password — so guessing is slow. Kept in memory: a restart forgets
// it, which costs an attacker a restart they cannot cause.
//
// Thread-safety: all methods are safe to call concurrently.
#ifndef KAWAL_SERVER_SERVICE_LOGIN_THROTTLE_H_
#define KAWAL_SERVER_SERVICE_LOGIN_THROTTLE_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "absl/status/status.h"

namespace kawal::server {

struct LoginThrottleLimits {
  // Failures for one user name before it is locked.
  int max_failures_per_user = 5;
  // Failures from one address (any names) before it is locked; higher, as
  // a district office shares one address.
  int max_failures_per_address = 20;
  // Failures older than this are forgotten.
  int64_t window_ms = 15 * 60 * 1000;
  int64_t lockout_ms = 15 * 60 * 1000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleLimits limits = {});

  // RESOURCE_EXHAUSTED naming how long to wait when `user` or `address`
  // (may be empty: not checked) is locked at `now_ms`.
  absl::Status Check(const std::string& user, const std::string& address, int64_t now_ms) const;
  void RecordFailure(const std::string& user, const std::string& address, int64_t now_ms);
  // A successful login clears the user's failures (not the address's).
  void RecordSuccess(const std::string& user);

 private:
  struct Entry {
    int failures = 0;
    int64_t first_failure_ms = 0;
    int64_t locked_until_ms = 0;
  };
  void Fail(const std::string& key, int max_failures, int64_t now_ms);
  // Drops entries neither locked nor in a window, when the map grows large.
  void PruneLocked(int64_t now_ms);

  const LoginThrottleLimits limits_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;  // "u:" + name or "a:" + address
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_LOGIN_THROTTLE_H_
