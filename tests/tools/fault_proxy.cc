// FaultProxy's public API; the event loop is in fault_proxy_loop.cc.
#include "fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kawal::testing {

bool FaultProxy::ParseHostPort(const std::string& s, sockaddr_in* out) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = s.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  int port = 0;
  if (!absl::SimpleAtoi(s.substr(colon + 1), &port) || port <= 0 || port > 65535) return false;
  std::memset(out, 0, sizeof(*out));
  out->sin_family = AF_INET;
  out->sin_port = htons(static_cast<uint16_t>(port));
  return inet_pton(AF_INET, host.c_str(), &out->sin_addr) == 1;
}

FaultProxy::FaultProxy(std::string upstream) { settings_.upstream = std::move(upstream); }

FaultProxy::~FaultProxy() { Stop(); }

absl::Status FaultProxy::Start(int listen_port) {
  absl::MutexLock l(&mu_);
  if (started_) return absl::FailedPreconditionError("FaultProxy already started");
  sockaddr_in addr;
  if (!ParseHostPort(settings_.upstream, &addr)) {
    return absl::InvalidArgumentError(absl::StrCat("bad upstream: ", settings_.upstream));
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  std::memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(listen_port));
  if (listen_port != 0) {
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  }
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(fd, 128) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    close(fd);
    return absl::InternalError(absl::StrCat("bind/listen: ", std::strerror(err)));
  }
  int wfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wfd < 0) {
    int err = errno;
    close(fd);
    return absl::InternalError(absl::StrCat("eventfd: ", std::strerror(err)));
  }
  listen_fd_ = fd;
  wake_fd_ = wfd;
  port_ = ntohs(addr.sin_port);
  started_ = true;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void FaultProxy::Stop() {
  {
    absl::MutexLock l(&mu_);
    if (!started_ || stopping_) return;
    stopping_ = true;
    cut_cv_.SignalAll();
    Wake();
  }
  if (thread_.joinable()) thread_.join();
  absl::MutexLock l(&mu_);
  close(listen_fd_);
  close(wake_fd_);
  listen_fd_ = wake_fd_ = -1;
}

std::string FaultProxy::address() const { return absl::StrCat("127.0.0.1:", port_); }

FaultProxy::Settings FaultProxy::Snapshot() const {
  absl::MutexLock l(&mu_);
  return settings_;
}

void FaultProxy::Wake() {  // mu_ held
  if (wake_fd_ < 0) return;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t r = write(wake_fd_, &one, sizeof(one));
}

// Wake() runs under mu_ so it never races Stop() closing the eventfd.
#define KAWAL_FAULT_PROXY_SETTER(expr) \
  do {                                 \
    absl::MutexLock l(&mu_);           \
    expr;                              \
    settings_gen_++;                   \
    Wake();                            \
  } while (0)

void FaultProxy::SetUpstream(std::string u) {
  KAWAL_FAULT_PROXY_SETTER(settings_.upstream = std::move(u));
}
void FaultProxy::SetLatency(absl::Duration d) { KAWAL_FAULT_PROXY_SETTER(settings_.latency = d); }
void FaultProxy::SetBandwidth(int64_t bps) {
  KAWAL_FAULT_PROXY_SETTER(settings_.bandwidth = std::max<int64_t>(0, bps));
}
void FaultProxy::SetCutAfterBytes(int64_t n) {
  KAWAL_FAULT_PROXY_SETTER(settings_.cut_after_bytes = std::max<int64_t>(0, n));
}
void FaultProxy::SetCutAfter(absl::Duration d) {
  KAWAL_FAULT_PROXY_SETTER(settings_.cut_after = d);
}
void FaultProxy::SetRefuse(bool refuse) { KAWAL_FAULT_PROXY_SETTER(settings_.refuse = refuse); }
#undef KAWAL_FAULT_PROXY_SETTER

void FaultProxy::CutAll() {
  uint64_t target;
  {
    absl::MutexLock l(&mu_);
    if (!started_ || stopping_) return;
    target = ++cut_requested_;
    Wake();
  }
  absl::MutexLock l(&mu_);
  while (cut_done_ < target && !stopping_) cut_cv_.Wait(&mu_);
}

void FaultProxy::ResetCounters() {
  bytes_up_ = 0;
  bytes_down_ = 0;
  connections_ = 0;
  cuts_ = 0;
  refused_ = 0;
}

}  // namespace kawal::testing
