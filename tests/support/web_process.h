// Runs the real kawal-web binary for end-to-end tests: an ephemeral port on
// 127.0.0.1 (--listen=127.0.0.1:0, the port read from what it prints), its
// stderr in a file, SIGTERM then (bounded) SIGKILL when stopped.
//
// Thread-safety: one controlling thread per object.
#ifndef KAWAL_TESTS_SUPPORT_WEB_PROCESS_H_
#define KAWAL_TESTS_SUPPORT_WEB_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace kawal::testing {

class WebProcess {
 public:
  // `binary` is kawal-web; `server` its --server; `extra_flags` appended
  // (e.g. --region, --secure_cookies). Its stderr goes to `stderr_path`.
  WebProcess(std::string binary, std::string server, std::vector<std::string> extra_flags,
             std::string stderr_path);
  ~WebProcess();  // stops it if still running
  WebProcess(const WebProcess&) = delete;
  WebProcess& operator=(const WebProcess&) = delete;

  // Starts it and waits (at most 30 s) until it prints the port it listens on.
  absl::Status Start();
  void Stop();

  int port() const { return port_; }
  // Everything kawal-web wrote to stderr so far.
  std::string Stderr() const;

 private:
  std::string binary_;
  std::string server_;
  std::vector<std::string> extra_flags_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_WEB_PROCESS_H_
