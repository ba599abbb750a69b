// Debian's nginx for tests, run unprivileged-style: its own prefix (a temp
// folder holding the config, pid file, logs and temp files), a loopback port
// picked for it, in its own process group so it is always stopped.
//
// Thread-safety: one controlling thread per object.
#ifndef KAWAL_TESTS_DEPLOY_NGINX_PROCESS_H_
#define KAWAL_TESTS_DEPLOY_NGINX_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace kawal::testing {

// The program `name` at `usual_path` or on PATH; "" when not installed.
std::string FindProgram(const std::string& name, const std::string& usual_path);
// The nginx binary ("/usr/sbin/nginx" or on PATH); "" when not installed.
std::string FindNginx();

class NginxProcess {
 public:
  // `prefix` must exist; files are written into it.
  NginxProcess(std::string binary, std::string prefix);
  ~NginxProcess();  // stops nginx if still running
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;

  // Picks a free loopback port, writes the files `make_files(port)` returns
  // (name -> content, into the prefix; one must be nginx.conf), checks them
  // with `nginx -t` and starts nginx in the foreground. Returns when nginx
  // accepts connections (bounded). A port taken meanwhile is retried.
  absl::Status Start(const std::function<std::map<std::string, std::string>(int port)>& make_files);
  // SIGTERM (fast shutdown), a bounded wait, then SIGKILL to the group.
  absl::Status Stop();
  // `nginx -s reload`, as an operator types it (same prefix and config): the
  // master rereads the config and certificates and starts new workers. It
  // returns once the signal is sent; the old workers finish their
  // connections, so callers wait for the effect they need (bounded).
  absl::Status Reload();

  // The master process started by Start (-1 when not running).
  pid_t pid() const { return pid_; }

  int port() const { return port_; }
  // "127.0.0.1:PORT".
  std::string address() const;
  std::string ErrorLog() const;

 private:
  std::vector<std::string> Args() const;
  absl::Status StartOnce(const std::function<std::map<std::string, std::string>(int)>& make_files,
                         bool* port_taken);

  std::string binary_;
  std::string prefix_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_DEPLOY_NGINX_PROCESS_H_
