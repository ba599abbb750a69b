// The one way tests run a command-line binary (kawal-field, kawal-report,
// kawal-admin, a second kawal-server, openssl, ...): arguments, a clean
// environment (no locale variables, no KAWAL_HOME), stdout and stderr
// captured on pipes, a bounded wait. ServerProcess::RunToExit is this with
// the two outputs joined.
//
// Thread-safety: plain functions; each call forks its own child.
#ifndef KAWAL_TESTS_SUPPORT_CLI_PROCESS_H_
#define KAWAL_TESTS_SUPPORT_CLI_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace kawal::testing {

struct CliResult {
  int code = -1;  // exit status; 128+signal; -1 when it did not start or finish in time
  std::string out;
  std::string err;
};

// A started child whose stdout and stderr the caller reads, for a test that
// watches a run as it goes (e.g. kills it mid-sync). The caller closes both
// descriptors and reaps `pid`.
struct CliChild {
  pid_t pid = -1;  // -1 when it could not be started
  int out_fd = -1;
  int err_fd = -1;
};

// Starts `binary` with `args`; `env` is added to this process's environment
// minus LANG, LC_ALL, LANGUAGE and KAWAL_HOME.
CliChild StartCli(const std::string& binary, const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {});

// StartCli, then reads both outputs until the child closes them and reaps it,
// all within `timeout_s` (a child still running then is killed).
CliResult RunCli(const std::string& binary, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {}, int timeout_s = 120);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_CLI_PROCESS_H_
