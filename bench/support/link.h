// An emulated link between a device and the server: a FaultProxy in front
// of the server with a bandwidth cap, one-way latency and periodic cuts,
// and what it counted. Scenario drivers (bench/scenarios) sync through it.
#ifndef KAWAL_BENCH_SUPPORT_LINK_H_
#define KAWAL_BENCH_SUPPORT_LINK_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fault_proxy.h"

namespace kawal::bench {

struct LinkProfile {
  int64_t bytes_per_second = 0;  // per direction; 0 = unlimited
  absl::Duration one_way = absl::ZeroDuration();
  absl::Duration cut_every = absl::ZeroDuration();  // a connection's lifetime; 0 = never

  // 64 kbit/s, 300 ms each way, every connection cut after 30 s: a rural
  // 2G/EDGE link at the edge of coverage.
  static LinkProfile Poor();
  std::string Describe() const;
};

// Bytes the proxy forwarded, both directions, and its connection events.
struct WireCount {
  int64_t up = 0;    // device -> server
  int64_t down = 0;  // server -> device
  int64_t connections = 0;
  int64_t cuts = 0;
  int64_t total() const { return up + down; }
};

class Link {
 public:
  // Starts a proxy to `server_address` with `profile`.
  static absl::StatusOr<std::unique_ptr<Link>> Start(const std::string& server_address,
                                                     const LinkProfile& profile);
  const std::string& address() const { return address_; }
  WireCount Count() const;
  void ResetCount() { proxy_->ResetCounters(); }
  const LinkProfile& profile() const { return profile_; }

 private:
  Link(const std::string& server_address, const LinkProfile& profile);
  std::unique_ptr<testing::FaultProxy> proxy_;
  LinkProfile profile_;
  std::string address_;
};

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_LINK_H_
