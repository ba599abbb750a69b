// FaultProxy's event loop: one thread, poll(2), non-blocking sockets. Each
// accepted client gets a non-blocking upstream connect; bytes are queued per
// direction with a due time (latency), written as the token bucket allows
// (bandwidth), and connections are reset on the cut conditions.
#include "fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace kawal::testing {
namespace {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

constexpr size_t kMaxBuffered = size_t{4} << 20;  // per direction per connection
constexpr size_t kReadChunk = size_t{64} << 10;
constexpr size_t kQuantum = 1400;  // bandwidth: wake for about a packet's worth

Clock::duration ToChrono(absl::Duration d) {
  return std::chrono::duration_cast<Clock::duration>(absl::ToChronoNanoseconds(d));
}

// Closes `fd` abruptly: SO_LINGER 0 makes close() send RST.
void ResetAndClose(int fd) {
  if (fd < 0) return;
  linger lg{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  close(fd);
}

void SetNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int PollTimeoutMs(TimePoint now, TimePoint due) {
  if (due == TimePoint::max()) return -1;
  if (due <= now) return 0;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(due - now).count();
  int64_t ms = (us + 999) / 1000;  // round up: never wake before the due time
  return static_cast<int>(std::min<int64_t>(ms, std::numeric_limits<int>::max()));
}

}  // namespace

struct FaultProxy::Chunk {
  TimePoint due;
  std::string data;
  size_t off = 0;
};

// One direction of a connection: bytes read from `src`, queued, written to `dst`.
struct FaultProxy::Dir {
  int src = -1;
  int dst = -1;
  std::deque<Chunk> queue;
  size_t buffered = 0;
  bool eof = false;      // src sent FIN
  bool shut = false;     // FIN forwarded to dst
  bool blocked = false;  // dst said EAGAIN; wait for POLLOUT
  double tokens = 0;     // bandwidth bucket
  TimePoint refill;
  std::atomic<int64_t>* counter = nullptr;

  bool Done() const { return eof && queue.empty() && shut; }
  bool CanRead() const { return !eof && buffered < kMaxBuffered; }
};

struct FaultProxy::Conn {
  int client = -1;
  int upstream = -1;
  bool connecting = false;
  bool dead = false;
  TimePoint accepted;
  int64_t passed = 0;  // bytes forwarded, both directions
  Dir up;              // client -> upstream
  Dir down;            // upstream -> client
};

class FaultProxy::Loop {
 public:
  explicit Loop(FaultProxy* p) : p_(p) {}

  void Run() {
    std::vector<pollfd> pfds;
    for (;;) {
      Refresh();
      const Settings& s = s_;
      uint64_t cut_gen;
      {
        absl::MutexLock l(&p_->mu_);
        if (p_->stopping_) break;
        cut_gen = p_->cut_requested_;
      }
      TimePoint now = Clock::now();
      for (auto& c : conns_) {
        if (cut_gen != cut_seen_) Close(*c, /*reset=*/true, /*cut=*/true);
        Pump(*c, s, now);
      }
      Reap();
      if (cut_gen != cut_seen_) {
        cut_seen_ = cut_gen;
        absl::MutexLock l(&p_->mu_);
        p_->cut_done_ = cut_gen;
        p_->cut_cv_.SignalAll();
      }

      // Build the poll set and the next timer.
      TimePoint next = TimePoint::max();
      pfds.clear();
      pfds.push_back({p_->wake_fd_, POLLIN, 0});
      pfds.push_back({p_->listen_fd_, POLLIN, 0});
      for (auto& c : conns_) {
        short ce = 0, ue = 0;
        if (c->up.CanRead()) ce |= POLLIN;
        if (c->down.blocked) ce |= POLLOUT;
        if (c->connecting) {
          ue = POLLOUT;
        } else {
          if (c->down.CanRead()) ue |= POLLIN;
          if (c->up.blocked) ue |= POLLOUT;
          Timer(c->up, s, now, &next);
          Timer(c->down, s, now, &next);
        }
        if (s.cut_after > absl::ZeroDuration()) {
          next = std::min(next, c->accepted + ToChrono(s.cut_after));
        }
        // An fd with no interest is left out (-1) so POLLHUP cannot spin us.
        pfds.push_back({ce ? c->client : -1, ce, 0});
        pfds.push_back({ue ? c->upstream : -1, ue, 0});
      }

      int n = poll(pfds.data(), pfds.size(), PollTimeoutMs(now, next));
      if (n < 0 && errno != EINTR) break;
      if (n <= 0) continue;
      now = Clock::now();
      if (pfds[0].revents) {
        uint64_t v;
        [[maybe_unused]] ssize_t r = read(p_->wake_fd_, &v, sizeof(v));
      }
      for (size_t i = 0; i < conns_.size(); ++i) {
        Conn& c = *conns_[i];
        const pollfd& cp = pfds[2 + 2 * i];
        const pollfd& up = pfds[3 + 2 * i];
        constexpr short kAny = POLLIN | POLLOUT | POLLERR | POLLHUP;
        if ((cp.events & POLLIN) && (cp.revents & (POLLIN | POLLERR | POLLHUP))) {
          Read(c, c.up, now);
        }
        if ((cp.events & POLLOUT) && (cp.revents & kAny)) c.down.blocked = false;
        if (c.dead) continue;
        if (c.connecting) {
          if (up.revents & kAny) FinishConnect(c);
          continue;
        }
        if ((up.events & POLLIN) && (up.revents & (POLLIN | POLLERR | POLLHUP))) {
          Read(c, c.down, now);
        }
        if ((up.events & POLLOUT) && (up.revents & kAny)) c.up.blocked = false;
      }
      if (pfds[1].revents & POLLIN) Accept(now);
    }
    for (auto& c : conns_) Close(*c, /*reset=*/false, /*cut=*/false);
    Reap();
  }

 private:
  // Re-reads the settings if a setter ran since the last read. Called after
  // each accept/recv too, so a setter that returned before a peer acted
  // (connected, sent) always applies to what that action produced.
  void Refresh() {
    uint64_t gen = p_->settings_gen_.load(std::memory_order_acquire);
    if (gen == gen_) return;
    s_ = p_->Snapshot();
    gen_ = gen;
  }

  void Accept(TimePoint now) {
    const Settings& s = s_;
    for (;;) {
      int fd = accept4(p_->listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;  // EAGAIN, or out of fds: try again on the next POLLIN
      }
      p_->connections_++;
      Refresh();
      if (s.refuse) {
        p_->refused_++;
        ResetAndClose(fd);
        continue;
      }
      sockaddr_in addr;
      int ufd = -1;
      bool connecting = false;
      if (ParseHostPort(s.upstream, &addr)) {
        ufd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      }
      if (ufd >= 0) {
        int r = connect(ufd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
        connecting = r != 0 && errno == EINPROGRESS;
        if (r != 0 && !connecting) {
          close(ufd);
          ufd = -1;
        }
      }
      if (ufd < 0) {
        ResetAndClose(fd);
        continue;
      }
      SetNoDelay(fd);
      SetNoDelay(ufd);
      auto c = std::make_unique<Conn>();
      c->client = fd;
      c->upstream = ufd;
      c->connecting = connecting;
      c->accepted = now;
      c->up.src = c->down.dst = fd;
      c->up.dst = c->down.src = ufd;
      c->up.counter = &p_->bytes_up_;
      c->down.counter = &p_->bytes_down_;
      c->up.refill = c->down.refill = now;
      p_->open_++;
      conns_.push_back(std::move(c));
    }
  }

  void FinishConnect(Conn& c) {
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(c.upstream, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) {
      Close(c, /*reset=*/true, /*cut=*/false);
    } else {
      c.connecting = false;
    }
  }

  void Read(Conn& c, Dir& d, TimePoint now) {
    std::string buf(std::min(kReadChunk, kMaxBuffered - d.buffered), '\0');
    ssize_t r = recv(d.src, buf.data(), buf.size(), 0);
    if (r > 0) {
      Refresh();
      buf.resize(static_cast<size_t>(r));
      d.buffered += buf.size();
      d.queue.push_back(Chunk{now + ToChrono(s_.latency), std::move(buf), 0});
    } else if (r == 0) {
      d.eof = true;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      Close(c, /*reset=*/true, /*cut=*/false);  // a peer reset: pass it on
    }
  }

  // Cuts, flushes what is due, forwards FINs, closes finished connections.
  void Pump(Conn& c, const Settings& s, TimePoint now) {
    if (c.dead) return;
    if ((s.cut_after > absl::ZeroDuration() && now >= c.accepted + ToChrono(s.cut_after)) ||
        (s.cut_after_bytes > 0 && c.passed >= s.cut_after_bytes)) {
      Close(c, /*reset=*/true, /*cut=*/true);
      return;
    }
    if (c.connecting) return;
    Flush(c, c.up, s, now);
    if (!c.dead) Flush(c, c.down, s, now);
    if (!c.dead && c.up.Done() && c.down.Done()) Close(c, /*reset=*/false, /*cut=*/false);
  }

  void Flush(Conn& c, Dir& d, const Settings& s, TimePoint now) {
    if (s.bandwidth <= 0) {
      d.tokens = 0;
      d.refill = now;
    } else {
      double cap = std::max(1.0, static_cast<double>(s.bandwidth) / 20.0);
      double dt = std::chrono::duration<double>(now - d.refill).count();
      d.tokens = std::min(cap, d.tokens + dt * static_cast<double>(s.bandwidth));
      d.refill = now;
    }
    while (!d.blocked && !d.queue.empty() && d.queue.front().due <= now) {
      Chunk& ch = d.queue.front();
      size_t n = ch.data.size() - ch.off;
      if (s.bandwidth > 0) n = std::min(n, static_cast<size_t>(d.tokens));
      if (s.cut_after_bytes > 0) {
        n = std::min(n, static_cast<size_t>(std::max<int64_t>(0, s.cut_after_bytes - c.passed)));
      }
      if (n == 0) break;
      ssize_t w = send(d.dst, ch.data.data() + ch.off, n, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          d.blocked = true;
          break;
        }
        Close(c, /*reset=*/true, /*cut=*/false);
        return;
      }
      ch.off += static_cast<size_t>(w);
      d.buffered -= static_cast<size_t>(w);
      c.passed += w;
      *d.counter += w;
      if (s.bandwidth > 0) d.tokens -= static_cast<double>(w);
      if (ch.off == ch.data.size()) d.queue.pop_front();
      if (s.cut_after_bytes > 0 && c.passed >= s.cut_after_bytes) {
        Close(c, /*reset=*/true, /*cut=*/true);
        return;
      }
    }
    if (d.eof && d.queue.empty() && !d.shut) {
      shutdown(d.dst, SHUT_WR);
      d.shut = true;
    }
  }

  // Adds this direction's next due time (latency or bandwidth) to `next`.
  static void Timer(const Dir& d, const Settings& s, TimePoint now, TimePoint* next) {
    if (d.blocked || d.queue.empty()) return;
    const Chunk& ch = d.queue.front();
    if (ch.due > now) {
      *next = std::min(*next, ch.due);
    } else if (s.bandwidth > 0) {
      double cap = std::max(1.0, static_cast<double>(s.bandwidth) / 20.0);
      double need = std::min({static_cast<double>(ch.data.size() - ch.off),
                              static_cast<double>(kQuantum), std::floor(cap)});
      double wait = std::max(0.0, (need - d.tokens) / static_cast<double>(s.bandwidth));
      *next = std::min(*next, d.refill + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(wait)));
    } else {
      *next = std::min(*next, now);
    }
  }

  void Close(Conn& c, bool reset, bool cut) {
    if (c.dead) return;
    c.dead = true;
    if (cut) p_->cuts_++;  // before the RST, so a test that saw it sees the count
    p_->open_--;
    if (reset) {
      ResetAndClose(c.client);
      ResetAndClose(c.upstream);
    } else {
      close(c.client);
      close(c.upstream);
    }
    c.client = c.upstream = -1;
  }

  void Reap() {
    conns_.erase(std::remove_if(conns_.begin(), conns_.end(),
                                [](const std::unique_ptr<Conn>& c) { return c->dead; }),
                 conns_.end());
  }

  FaultProxy* p_;
  Settings s_;
  uint64_t gen_ = ~uint64_t{0};
  std::vector<std::unique_ptr<Conn>> conns_;
  uint64_t cut_seen_ = 0;
};

void FaultProxy::Run() { Loop(this).Run(); }

}  // namespace kawal::testing
