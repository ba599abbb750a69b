// systemd's readiness protocol (sd_notify(3)) without linking libsystemd: a
// datagram to the Unix socket named by $NOTIFY_SOCKET. With Type=notify the
// unit is "started" only once kawal-server says READY=1 (database open,
// port bound); STOPPING=1 at shutdown; WATCHDOG=1 pings while the database
// answers, so a hung server is restarted (WatchdogSec=).
//
// Thread-safety: safe from any thread.
#ifndef KAWAL_SERVER_OPS_SYSTEMD_NOTIFY_H_
#define KAWAL_SERVER_OPS_SYSTEMD_NOTIFY_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace kawal::server::ops {

// Sends `state` ("READY=1", "STOPPING=1", "WATCHDOG=1", "STATUS=...") to
// $NOTIFY_SOCKET. OK and nothing sent when the variable is unset (not run
// by systemd); UNAVAILABLE naming the socket when the send fails.
absl::Status NotifySystemd(absl::string_view state);

// The watchdog interval systemd asked for ($WATCHDOG_USEC, for this process
// per $WATCHDOG_PID), or zero when there is none.
absl::Duration SystemdWatchdogInterval();

// Pings WATCHDOG=1 every interval/2 while `healthy()` returns true; a
// missed ping makes systemd restart the service. Stops on destruction.
class SystemdWatchdog {
 public:
  SystemdWatchdog(absl::Duration interval, std::function<bool()> healthy);
  ~SystemdWatchdog();

 private:
  void Run(absl::Duration period);

  std::function<bool()> healthy_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_ (std::mutex: no annotations)
  std::thread thread_;
};

}  // namespace kawal::server::ops

#endif  // KAWAL_SERVER_OPS_SYSTEMD_NOTIFY_H_
