#include "ops/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kawal::server::ops {

absl::Status NotifySystemd(absl::string_view state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (path == nullptr || path[0] == '\0') return absl::OkStatus();
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const size_t length = std::strlen(path);
  if (length >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("NOTIFY_SOCKET is too long: ", path));
  }
  std::memcpy(address.sun_path, path, length);
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';  // abstract namespace
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("socket(): ", std::strerror(errno)));
  const ssize_t sent =
      ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address),
               static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length));
  const int error = errno;
  ::close(fd);
  if (sent != static_cast<ssize_t>(state.size())) {
    return absl::UnavailableError(
        absl::StrCat("cannot notify systemd at ", path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

absl::Duration SystemdWatchdogInterval() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  uint64_t micros = 0;
  if (usec == nullptr || !absl::SimpleAtoi(usec, &micros) || micros == 0) {
    return absl::ZeroDuration();
  }
  const char* pid = std::getenv("WATCHDOG_PID");
  int64_t owner = 0;
  if (pid != nullptr && absl::SimpleAtoi(pid, &owner) && owner != ::getpid()) {
    return absl::ZeroDuration();  // meant for another process
  }
  return absl::Microseconds(micros);
}

SystemdWatchdog::SystemdWatchdog(absl::Duration interval, std::function<bool()> healthy)
    : healthy_(std::move(healthy)) {
  if (interval > absl::ZeroDuration()) {
    thread_ = std::thread([this, interval] { Run(interval / 2); });
  }
}

SystemdWatchdog::~SystemdWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SystemdWatchdog::Run(absl::Duration period) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    // A database that does not answer earns no ping: systemd restarts us.
    if (healthy_()) NotifySystemd("WATCHDOG=1").IgnoreError();
    lock.lock();
    wake_.wait_for(lock, absl::ToChronoNanoseconds(period), [this] { return stop_; });
  }
}

}  // namespace kawal::server::ops
