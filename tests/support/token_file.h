// Writing a token file as the tools insist on it: readable by its owner only
// (mode 0600, whatever the umask), since kawal-admin, kawal-report and
// kawal-field refuse a token file others may read.
//
// Thread-safety: pure function over the file system.
#ifndef KAWAL_TESTS_SUPPORT_TOKEN_FILE_H_
#define KAWAL_TESTS_SUPPORT_TOKEN_FILE_H_

#include <string>

namespace kawal::testing {

// Writes `token` and a newline to `path` with mode 0600 and returns `path`.
// Aborts the test binary when the file cannot be written (a broken test
// environment, not a test outcome).
std::string WriteTokenFile(const std::string& path, const std::string& token);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_TOKEN_FILE_H_
