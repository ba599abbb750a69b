// A fault-injecting TCP proxy for tests: it listens on 127.0.0.1 (an
// ephemeral port unless told otherwise) and forwards each accepted connection to an upstream server
// ("127.0.0.1:PORT"), optionally adding latency, capping bandwidth, cutting
// connections (RST) after N bytes / N ms / on demand, or refusing them.
//
// Design: one event-loop thread, non-blocking sockets, poll(2). Timers
// (latency, bandwidth refill, cut-after) become the poll timeout computed
// from the next due time on a monotonic clock; setters wake the loop through
// an eventfd. Buffers are bounded (4 MiB per direction per connection): the
// proxy stops reading from a source while its buffer is full, so a slow peer
// never blocks the loop.
//
// Semantics:
//  - Latency: every chunk read from one side is written to the other no
//    earlier than its arrival + the latency in force when it arrived (so a
//    round trip through the proxy takes at least 2 x latency).
//  - Bandwidth: a token bucket per direction per connection (not shared
//    across connections), starting empty, burst = 1/20 s worth (>= 1 byte).
//    8000 B/s emulates a 64 kbit/s link.
//  - Cut-after-bytes: at most N bytes in total (both directions) are
//    forwarded on one connection; when the N-th is written, both sides are
//    reset (SO_LINGER 0 -> RST). Cut-after: both sides are reset once the
//    connection is older than the duration. Both count in Cuts().
//  - Refuse: new connections are accepted and reset at once (the client's
//    connect succeeds, its first read fails with ECONNRESET or sees EOF).
//    They count in Connections() and Refused(), not Cuts().
//  - A reset or error on one side resets the other side too (not a cut); an
//    unreachable upstream resets the client. Half-closes (FIN) are forwarded
//    once the queued bytes are delivered.
//  - Byte counters count bytes the proxy wrote to the destination, added
//    just after each write returns: a peer may see a byte a moment before it
//    is counted. Anything the proxy does later on the same connection (for
//    example forwarding the server's EOF to the client) happens after.
//
// Thread-safety: all public methods may be called from any thread. Setters
// take effect for new and existing connections (SetUpstream: new ones only):
// whatever a peer does after a setter returned (connect, send) is subject to
// it.
#ifndef KAWAL_TESTS_TOOLS_FAULT_PROXY_H_
#define KAWAL_TESTS_TOOLS_FAULT_PROXY_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct sockaddr_in;

namespace kawal::testing {

class FaultProxy {
 public:
  // `upstream` is "HOST:PORT" with HOST an IPv4 literal or "localhost".
  explicit FaultProxy(std::string upstream);
  ~FaultProxy();  // Stop()
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // Binds 127.0.0.1:`listen_port` (0 = ephemeral, what tests use) and starts
  // the event-loop thread. Fails if already started, if the upstream address
  // does not parse, or on socket errors.
  absl::Status Start(int listen_port = 0);
  // Closes the listener and every connection (queued bytes are dropped) and
  // joins the thread. Idempotent; the proxy cannot be restarted.
  void Stop();

  int port() const { return port_; }
  std::string address() const;  // "127.0.0.1:PORT"

  // Applies to connections accepted afterwards (an unparsable address makes
  // new connections get reset).
  void SetUpstream(std::string upstream);
  void SetLatency(absl::Duration one_way);     // zero = off
  void SetBandwidth(int64_t bytes_per_second);  // 0 = unlimited
  void SetCutAfterBytes(int64_t n);             // 0 = off
  void SetCutAfter(absl::Duration d);           // zero = off
  void SetRefuse(bool refuse);
  // Resets every current connection; returns once the loop has done so.
  void CutAll();

  int64_t BytesUpstream() const { return bytes_up_.load(); }      // client->server
  int64_t BytesDownstream() const { return bytes_down_.load(); }  // server->client
  int64_t Connections() const { return connections_.load(); }     // accepted
  int64_t Cuts() const { return cuts_.load(); }        // reset by the proxy's faults
  int64_t Refused() const { return refused_.load(); }  // reset because of SetRefuse
  int64_t OpenConnections() const { return open_.load(); }  // currently proxied
  void ResetCounters();

 private:
  struct Settings {
    std::string upstream;
    absl::Duration latency = absl::ZeroDuration();
    int64_t bandwidth = 0;
    int64_t cut_after_bytes = 0;
    absl::Duration cut_after = absl::ZeroDuration();
    bool refuse = false;
  };
  struct Chunk;
  struct Dir;
  struct Conn;
  class Loop;  // the event loop (fault_proxy_loop.cc); runs on thread_

  // "HOST:PORT" (HOST an IPv4 literal or "localhost") -> `out`.
  static bool ParseHostPort(const std::string& s, sockaddr_in* out);

  Settings Snapshot() const;
  void Wake() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Run();

  mutable absl::Mutex mu_;
  Settings settings_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t cut_requested_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t cut_done_ ABSL_GUARDED_BY(mu_) = 0;
  absl::CondVar cut_cv_;

  int listen_fd_ = -1;
  int wake_fd_ = -1;
  int port_ = 0;
  std::thread thread_;

  std::atomic<uint64_t> settings_gen_{0};  // bumped by every setter

  std::atomic<int64_t> bytes_up_{0};
  std::atomic<int64_t> bytes_down_{0};
  std::atomic<int64_t> connections_{0};
  std::atomic<int64_t> cuts_{0};
  std::atomic<int64_t> refused_{0};
  std::atomic<int64_t> open_{0};
};

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_TOOLS_FAULT_PROXY_H_
