#include "service/login_throttle.h"

#include "absl/strings/str_cat.h"

namespace kawal::server {
namespace {

constexpr size_t kPruneAbove = 100000;

std::string UserKeyOf(const std::string& user) { return "u:" + user; }
std::string AddressKeyOf(const std::string& address) { return "a:" + address; }

}  // namespace

LoginThrottle::LoginThrottle(LoginThrottleLimits limits) : limits_(limits) {}

absl::Status LoginThrottle::Check(const std::string& user, const std::string& address,
                                  int64_t now_ms) const {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t until = 0;
  for (const std::string& key : {UserKeyOf(user), address.empty() ? std::string() : AddressKeyOf(address)}) {
    if (key.empty()) continue;
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.locked_until_ms > now_ms) {
      until = std::max(until, it->second.locked_until_ms);
    }
  }
  if (until == 0) return absl::OkStatus();
  const int64_t minutes = (until - now_ms + 59999) / 60000;
  return absl::ResourceExhaustedError(absl::StrCat(
      "too many failed logins for this user or address; try again in ", minutes, " minute",
      minutes == 1 ? "" : "s"));
}

void LoginThrottle::RecordFailure(const std::string& user, const std::string& address,
                                  int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() > kPruneAbove) PruneLocked(now_ms);
  Fail(UserKeyOf(user), limits_.max_failures_per_user, now_ms);
  if (!address.empty()) Fail(AddressKeyOf(address), limits_.max_failures_per_address, now_ms);
}

void LoginThrottle::RecordSuccess(const std::string& user) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(UserKeyOf(user));
}

void LoginThrottle::Fail(const std::string& key, int max_failures, int64_t now_ms) {
  Entry& entry = entries_[key];
  if (entry.failures == 0 || now_ms - entry.first_failure_ms > limits_.window_ms) {
    entry.failures = 0;
    entry.first_failure_ms = now_ms;
  }
  if (++entry.failures >= max_failures) {
    entry.locked_until_ms = now_ms + limits_.lockout_ms;
    entry.failures = 0;
  }
}

void LoginThrottle::PruneLocked(int64_t now_ms) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    const bool stale = e.locked_until_ms <= now_ms && now_ms - e.first_failure_ms > limits_.window_ms;
    it = stale ? entries_.erase(it) : std::next(it);
  }
}

}  // namespace kawal::server
