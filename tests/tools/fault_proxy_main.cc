// kawal-fault-proxy: runs a FaultProxy until SIGINT/SIGTERM, for manual
// testing, e.g.
//   kawal-fault-proxy --upstream=127.0.0.1:50051 --listen_port=0
//       --latency_ms=150 --bandwidth_bps=8000
// Prints "listening on 127.0.0.1:PORT" on stdout, the counters on exit.
#include <signal.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"
#include "fault_proxy.h"

ABSL_FLAG(int, listen_port, 0, "port on 127.0.0.1; 0 = ephemeral (printed)");
ABSL_FLAG(std::string, upstream, "", "the server, 127.0.0.1:PORT");
ABSL_FLAG(int64_t, latency_ms, 0, "one-way latency added to each direction");
ABSL_FLAG(int64_t, bandwidth_bps, 0, "bytes per second per direction per connection; 0 = off");
ABSL_FLAG(int64_t, cut_after_bytes, 0, "reset each connection after N bytes; 0 = off");
ABSL_FLAG(int64_t, cut_after_ms, 0, "reset each connection N ms after accept; 0 = off");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_upstream).empty()) {
    std::fprintf(stderr, "usage: kawal-fault-proxy --upstream=127.0.0.1:PORT [--listen_port=N]\n");
    return 2;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before the proxy thread starts

  kawal::testing::FaultProxy proxy(absl::GetFlag(FLAGS_upstream));
  proxy.SetLatency(absl::Milliseconds(absl::GetFlag(FLAGS_latency_ms)));
  proxy.SetBandwidth(absl::GetFlag(FLAGS_bandwidth_bps));
  proxy.SetCutAfterBytes(absl::GetFlag(FLAGS_cut_after_bytes));
  proxy.SetCutAfter(absl::Milliseconds(absl::GetFlag(FLAGS_cut_after_ms)));
  if (absl::Status st = proxy.Start(absl::GetFlag(FLAGS_listen_port)); !st.ok()) {
    std::fprintf(stderr, "kawal-fault-proxy: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("listening on %s\n", proxy.address().c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  proxy.Stop();
  std::printf("connections=%lld cuts=%lld bytes_upstream=%lld bytes_downstream=%lld\n",
              static_cast<long long>(proxy.Connections()), static_cast<long long>(proxy.Cuts()),
              static_cast<long long>(proxy.BytesUpstream()),
              static_cast<long long>(proxy.BytesDownstream()));
  return 0;
}
