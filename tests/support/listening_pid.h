// Which process listens on a loopback TCP port, read from /proc: lets a test
// check that a server process was not restarted (same pid before and after)
// when its own handle does not expose the pid.
//
// Thread-safety: pure function over /proc.
#ifndef KAWAL_TESTS_SUPPORT_LISTENING_PID_H_
#define KAWAL_TESTS_SUPPORT_LISTENING_PID_H_

#include <sys/types.h>

#include "absl/status/statusor.h"

namespace kawal::testing {

// The pid of the process (of this user) holding the socket that listens on
// 127.0.0.1:`port`. NOT_FOUND when nobody listens there or the process is
// not visible. With several holders (a forked worker), the lowest pid.
absl::StatusOr<pid_t> PidListeningOn(int port);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_LISTENING_PID_H_
