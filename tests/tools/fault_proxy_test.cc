// FaultProxy against an in-process echo server on 127.0.0.1. Every wait is
// bounded (poll with a deadline); timing is only ever asserted as a lower
// bound the proxy guarantees, never an upper bound.
#include "fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace kawal::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kWait = std::chrono::seconds(5);  // bound on every wait

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A listening (or, with listen_too = false, merely bound) socket on 127.0.0.1:0.
int BoundSocket(int* port, bool listen_too = true) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      (listen_too && listen(fd, 16) != 0) ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

// Sends everything with a bounded wait; `go` can abort early.
template <typename Go>
bool SendAll(int fd, const char* p, size_t n, Go go) {
  auto deadline = Clock::now() + kWait;
  while (n > 0 && go() && Clock::now() < deadline) {
    ssize_t w = send(fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (w > 0) {
      p += w;
      n -= static_cast<size_t>(w);
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd pfd{fd, POLLOUT, 0};
      poll(&pfd, 1, 20);
    } else if (w < 0 && errno != EINTR) {
      return false;
    }
  }
  return n == 0;
}

bool SendAll(int fd, const std::string& s) {
  return SendAll(fd, s.data(), s.size(), [] { return true; });
}

// Echoes every connection until EOF; counts the bytes it received.
class EchoServer {
 public:
  EchoServer() : listen_fd_(BoundSocket(&port_)) {
    thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~EchoServer() {
    stop_ = true;
    thread_.join();
    close(listen_fd_);
  }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  int64_t received() const { return received_.load(); }

 private:
  void AcceptLoop() {
    std::vector<std::thread> workers;
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) workers.emplace_back([this, fd] { Echo(fd); });
    }
    for (auto& w : workers) w.join();
  }
  void Echo(int fd) {
    char buf[16384];
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      ssize_t r = recv(fd, buf, sizeof(buf), 0);
      if (r <= 0) break;
      received_ += r;
      if (!SendAll(fd, buf, static_cast<size_t>(r), [this] { return !stop_.load(); })) break;
    }
    close(fd);
  }

  int port_ = 0;
  int listen_fd_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> received_{0};
  std::thread thread_;
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

enum class End { kNone, kEof, kReset, kTimeout };
struct ReadResult {
  std::string data;
  End end = End::kNone;
};

// Reads until `want` bytes arrived, EOF, an error or the deadline.
ReadResult Read(int fd, size_t want = std::numeric_limits<size_t>::max()) {
  ReadResult r;
  auto deadline = Clock::now() + kWait;
  char buf[16384];
  while (r.data.size() < want) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) == 0) {
      r.end = End::kTimeout;
      break;
    }
    ssize_t n = recv(fd, buf, std::min(sizeof(buf), want - r.data.size()), MSG_DONTWAIT);
    if (n > 0) {
      r.data.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      r.end = End::kEof;
      break;
    } else if (errno != EAGAIN && errno != EINTR) {
      r.end = End::kReset;  // ECONNRESET, in practice
      break;
    }
  }
  return r;
}

bool Ended(const ReadResult& r) { return r.end == End::kEof || r.end == End::kReset; }

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

// Sends `msg` and expects it echoed back.
void RoundTrip(int fd, const std::string& msg) {
  ASSERT_TRUE(SendAll(fd, msg));
  ReadResult r = Read(fd, msg.size());
  ASSERT_EQ(r.data, msg);
}

// Half-closes and waits for the server's EOF through the proxy. The proxy
// counts a write just after it returns, so the counters cover the last byte
// only once this EOF, forwarded later by the same thread, has been seen.
void HalfCloseAndDrain(int fd) {
  shutdown(fd, SHUT_WR);
  ReadResult r = Read(fd);
  EXPECT_EQ(r.end, End::kEof);
  EXPECT_TRUE(r.data.empty());
}

class FaultProxyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(proxy_.Start().ok()); }
  EchoServer echo_;
  FaultProxy proxy_{echo_.address()};
};

TEST_F(FaultProxyTest, PassesBytesBothWaysAndCounts) {
  Fd c(Connect(proxy_.port()));
  ASSERT_GE(c.get(), 0);
  EXPECT_EQ(proxy_.address(), absl::StrCat("127.0.0.1:", proxy_.port()));
  const std::string payload = Pattern(100000);
  RoundTrip(c.get(), payload);
  HalfCloseAndDrain(c.get());  // the half-close travels to the server and back
  EXPECT_EQ(echo_.received(), 100000);
  EXPECT_EQ(proxy_.BytesUpstream(), 100000);
  EXPECT_EQ(proxy_.BytesDownstream(), 100000);
  EXPECT_EQ(proxy_.Connections(), 1);
  EXPECT_EQ(proxy_.Cuts(), 0);
  proxy_.ResetCounters();
  EXPECT_EQ(proxy_.BytesUpstream() + proxy_.BytesDownstream() + proxy_.Connections(), 0);
}

TEST_F(FaultProxyTest, CutAfterBytesResetsAtExactlyN) {
  proxy_.SetCutAfterBytes(1000);
  Fd c(Connect(proxy_.port()));
  ASSERT_GE(c.get(), 0);
  RoundTrip(c.get(), Pattern(300));  // 600 of 1000 used
  ASSERT_TRUE(SendAll(c.get(), Pattern(1000)));
  ReadResult r = Read(c.get());
  EXPECT_TRUE(Ended(r));
  EXPECT_LE(300 + r.data.size(), 1000u);
  EXPECT_EQ(proxy_.BytesUpstream() + proxy_.BytesDownstream(), 1000);
  EXPECT_LE(proxy_.BytesUpstream(), 700);
  EXPECT_LE(echo_.received(), 700);
  EXPECT_EQ(proxy_.Cuts(), 1);
}

TEST_F(FaultProxyTest, RefuseAcceptsThenResets) {
  proxy_.SetRefuse(true);
  {
    Fd c(Connect(proxy_.port()));
    ASSERT_GE(c.get(), 0);  // the kernel completed the handshake
    ReadResult r = Read(c.get());
    EXPECT_TRUE(Ended(r));
    EXPECT_TRUE(r.data.empty());
  }
  EXPECT_EQ(proxy_.Connections(), 1);
  EXPECT_EQ(proxy_.Refused(), 1);
  EXPECT_EQ(proxy_.Cuts(), 0);
  EXPECT_EQ(echo_.received(), 0);
  proxy_.SetRefuse(false);
  Fd c(Connect(proxy_.port()));
  ASSERT_GE(c.get(), 0);
  RoundTrip(c.get(), "back");
  EXPECT_EQ(proxy_.Connections(), 2);
}

TEST_F(FaultProxyTest, LatencyAppliesToExistingConnectionsBothWays) {
  Fd c(Connect(proxy_.port()));
  ASSERT_GE(c.get(), 0);
  RoundTrip(c.get(), "warm");
  proxy_.SetLatency(absl::Milliseconds(200));
  auto t0 = Clock::now();
  RoundTrip(c.get(), "ping");
  EXPECT_GE(SecondsSince(t0), 0.4);  // lower bound only: 2 x one-way latency
  proxy_.SetLatency(absl::ZeroDuration());
  RoundTrip(c.get(), "pong");
  HalfCloseAndDrain(c.get());
  EXPECT_EQ(proxy_.BytesUpstream(), 12);
  EXPECT_EQ(proxy_.BytesDownstream(), 12);
}

TEST_F(FaultProxyTest, BandwidthCapSlowsTransfer) {
  proxy_.SetBandwidth(64000);
  Fd c(Connect(proxy_.port()));
  ASSERT_GE(c.get(), 0);
  auto t0 = Clock::now();
  RoundTrip(c.get(), Pattern(32000));
  EXPECT_GE(SecondsSince(t0), 0.4);  // 32000 B at 64000 B/s, bucket starts empty
  HalfCloseAndDrain(c.get());
  EXPECT_EQ(proxy_.BytesUpstream(), 32000);
  EXPECT_EQ(proxy_.BytesDownstream(), 32000);
}

TEST_F(FaultProxyTest, CutAfterDurationResets) {
  proxy_.SetCutAfter(absl::Milliseconds(300));
  auto t0 = Clock::now();
  Fd c(Connect(proxy_.port()));
  ASSERT_GE(c.get(), 0);
  ReadResult r = Read(c.get());
  EXPECT_TRUE(Ended(r));
  EXPECT_GE(SecondsSince(t0), 0.3);
  EXPECT_EQ(proxy_.Cuts(), 1);
}

TEST_F(FaultProxyTest, CutAllResetsOpenConnections) {
  Fd a(Connect(proxy_.port()));
  Fd b(Connect(proxy_.port()));
  ASSERT_GE(a.get(), 0);
  ASSERT_GE(b.get(), 0);
  RoundTrip(a.get(), "a");
  RoundTrip(b.get(), "b");  // both accepted and proxied
  proxy_.CutAll();
  EXPECT_EQ(proxy_.Cuts(), 2);
  EXPECT_EQ(proxy_.OpenConnections(), 0);
  EXPECT_TRUE(Ended(Read(a.get())));
  EXPECT_TRUE(Ended(Read(b.get())));
  Fd c(Connect(proxy_.port()));  // new connections are unaffected
  ASSERT_GE(c.get(), 0);
  RoundTrip(c.get(), "c");
}

TEST_F(FaultProxyTest, SetUpstreamSwitchesNewConnections) {
  EchoServer second;
  Fd a(Connect(proxy_.port()));
  ASSERT_GE(a.get(), 0);
  RoundTrip(a.get(), "one");
  proxy_.SetUpstream(second.address());
  Fd b(Connect(proxy_.port()));
  ASSERT_GE(b.get(), 0);
  RoundTrip(b.get(), "two!");
  RoundTrip(a.get(), "uno");  // the existing connection stays on the first
  EXPECT_EQ(echo_.received(), 6);
  EXPECT_EQ(second.received(), 4);
}

TEST_F(FaultProxyTest, DeadUpstreamResetsClient) {
  int dead_port = 0;
  Fd dead(BoundSocket(&dead_port, /*listen_too=*/false));  // bound, not listening
  ASSERT_GE(dead.get(), 0);
  proxy_.SetUpstream(absl::StrCat("127.0.0.1:", dead_port));
  Fd c(Connect(proxy_.port()));
  ASSERT_GE(c.get(), 0);
  EXPECT_TRUE(Ended(Read(c.get())));
  EXPECT_EQ(proxy_.Cuts(), 0);
}

TEST_F(FaultProxyTest, StopClosesEverything) {
  Fd c(Connect(proxy_.port()));
  ASSERT_GE(c.get(), 0);
  RoundTrip(c.get(), "x");
  proxy_.Stop();
  EXPECT_TRUE(Ended(Read(c.get())));
  proxy_.Stop();  // idempotent
  proxy_.CutAll();  // no-op once stopped
}

TEST(FaultProxyStartTest, RejectsBadUpstreamAndDoubleStart) {
  FaultProxy bad("nonsense");
  EXPECT_FALSE(bad.Start().ok());
  EchoServer echo;
  FaultProxy proxy(echo.address());
  ASSERT_TRUE(proxy.Start().ok());
  EXPECT_GT(proxy.port(), 0);
  EXPECT_FALSE(proxy.Start().ok());
}

}  // namespace
}  // namespace kawal::testing
