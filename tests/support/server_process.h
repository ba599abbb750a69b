// Runs the real kawal-server binary for end-to-end tests: an ephemeral port
// on 127.0.0.1, a temporary data dir, graceful stop or kill -9.
//
// Thread-safety: one controlling thread per object.
#ifndef KAWAL_TESTS_SUPPORT_SERVER_PROCESS_H_
#define KAWAL_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kawal::testing {

// The path of the built kawal-server (set by CMake as KAWAL_SERVER_BINARY).
std::string ServerBinary();

// The path of the built kawal-admin (KAWAL_ADMIN_BINARY).
std::string AdminBinary();

// Waits for the child `pid` to exit, at most `timeout_ms`; its wait status,
// or -1 on timeout or error.
int WaitBounded(pid_t pid, int timeout_ms);

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ServerProcess {
 public:
  // `data_dir` must exist or be creatable; extra flags are appended.
  ServerProcess(std::string data_dir, std::vector<std::string> extra_flags = {});
  ~ServerProcess();  // kills the process if still running

  // Starts the server and waits (bounded) until it prints its port.
  absl::Status Start();
  // SIGTERM and wait; returns the exit code.
  absl::StatusOr<int> Stop();
  // SIGKILL and wait.
  void Kill();
  bool running() const { return pid_ > 0; }
  // The child's process id (-1 when not running), e.g. to read its /proc.
  pid_t pid() const { return pid_; }

  // "127.0.0.1:PORT".
  std::string address() const;
  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  // The admin token written at first start.
  absl::StatusOr<std::string> AdminToken() const;
  // Everything the server wrote to stderr so far (after Stop/Kill: all).
  std::string Stderr() const;

  // Runs kawal-admin against this server as its admin (--server and
  // --token_file come first, then `args`); exit code and combined output.
  absl::StatusOr<std::pair<int, std::string>> RunAdmin(const std::vector<std::string>& args) const;

  // Runs the binary to completion with `args` (e.g. a second server on the
  // same data dir): RunCli (cli_process.h), with its stdout then its stderr
  // as one text. DeadlineExceeded when it did not start or exit in time.
  static absl::StatusOr<std::pair<int, std::string>> RunToExit(
      const std::string& binary, const std::vector<std::string>& args, int timeout_s = 60);

 private:
  std::string data_dir_;
  std::vector<std::string> extra_flags_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string stderr_path_;
};

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_SERVER_PROCESS_H_
