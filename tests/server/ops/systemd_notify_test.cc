// Tests for server/ops/systemd_notify.cc: the datagrams systemd would
// receive, read from a socket the test owns.
#include "ops/systemd_notify.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace kawal::server::ops {
namespace {

// A datagram socket standing in for systemd's notify socket.
class NotifySocket {
 public:
  NotifySocket() {
    path_ = (std::filesystem::temp_directory_path() /
             ("kawal_notify_" + std::to_string(::getpid()) + ".sock"))
                .string();
    std::filesystem::remove(path_);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", path_.c_str());
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    timeval tv{10, 0};  // a bound on a broken test, not a synchronization
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  bool bound() const { return bound_; }
  std::string Receive() {
    char buffer[256];
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    return n < 0 ? "(nothing)" : std::string(buffer, static_cast<size_t>(n));
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool bound_ = false;
};

TEST(SystemdNotifyTest, SendsStatesToTheNotifySocket) {
  NotifySocket socket;
  ASSERT_TRUE(socket.bound());
  ASSERT_TRUE(NotifySystemd("READY=1").ok());
  EXPECT_EQ(socket.Receive(), "READY=1");
  ASSERT_TRUE(NotifySystemd("STOPPING=1").ok());
  EXPECT_EQ(socket.Receive(), "STOPPING=1");
}

TEST(SystemdNotifyTest, WithoutSystemdNothingIsSentAndNothingFails) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_TRUE(NotifySystemd("READY=1").ok());
}

TEST(SystemdNotifyTest, AMissingSocketIsNamed) {
  ::setenv("NOTIFY_SOCKET", "/nonexistent/kawal-notify.sock", 1);
  absl::Status status = NotifySystemd("READY=1");
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("/nonexistent/kawal-notify.sock"), absl::string_view::npos);
}

TEST(SystemdNotifyTest, WatchdogIntervalIsReadForThisProcessOnly) {
  ::setenv("WATCHDOG_USEC", "30000000", 1);
  ::unsetenv("WATCHDOG_PID");
  EXPECT_EQ(SystemdWatchdogInterval(), absl::Seconds(30));
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  EXPECT_EQ(SystemdWatchdogInterval(), absl::Seconds(30));
  ::setenv("WATCHDOG_PID", "1", 1);
  EXPECT_EQ(SystemdWatchdogInterval(), absl::ZeroDuration());
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  EXPECT_EQ(SystemdWatchdogInterval(), absl::ZeroDuration());
}

TEST(SystemdNotifyTest, WatchdogPingsWhileHealthy) {
  NotifySocket socket;
  ASSERT_TRUE(socket.bound());
  std::atomic<int> checks{0};
  {
    SystemdWatchdog watchdog(absl::Milliseconds(20), [&checks] {
      ++checks;
      return true;
    });
    EXPECT_EQ(socket.Receive(), "WATCHDOG=1");
    EXPECT_EQ(socket.Receive(), "WATCHDOG=1");
  }
  EXPECT_GE(checks.load(), 2);
}

TEST(SystemdNotifyTest, NoWatchdogThreadWithoutAnInterval) {
  bool called = false;
  { SystemdWatchdog watchdog(absl::ZeroDuration(), [&called] { return called = true; }); }
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace kawal::server::ops
