// Runs a command-line binary (kawal-field, kawal-report) to completion for
// end-to-end tests: arguments, a clean environment (no locale variables, no
// KAWAL_HOME), stdout and stderr captured, a bounded wait.
//
// Thread-safety: a plain function; each call forks its own child.
#ifndef KAWAL_TESTS_SUPPORT_CLI_PROCESS_H_
#define KAWAL_TESTS_SUPPORT_CLI_PROCESS_H_

#include <map>
#include <string>
#include <vector>

namespace kawal::testing {

struct CliResult {
  int code = -1;  // exit status; 128+signal; -1 when it did not finish in time
  std::string out;
  std::string err;
};

// Runs `binary` with `args`; `env` is added to this process's environment
// minus LANG, LC_ALL, LANGUAGE and KAWAL_HOME.
CliResult RunCli(const std::string& binary, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {}, int timeout_s = 120);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_CLI_PROCESS_H_
