// Tests that drive an outside program (chromium, openssl, nginx): a missing
// program FAILS the test, naming the Debian package and
// scripts/install-deps.sh --test, because CI installs them and a silent pass
// would hide that nothing was checked. A developer without the program sets
// the test's skip variable (docs/build.md, "Tests that need outside
// programs"), and the test is then skipped, saying so.
//
//   KAWAL_REQUIRE_PROGRAM("/usr/bin/openssl", "openssl", "KAWAL_SKIP_OPENSSL_TESTS");
//
// Use in a TEST body or SetUp (it returns from the function).
//
// Thread-safety: reads the environment; call from the test's thread.
#ifndef KAWAL_TESTS_SUPPORT_REQUIRED_TOOL_H_
#define KAWAL_TESTS_SUPPORT_REQUIRED_TOOL_H_

#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace kawal::testing {

// True when the environment variable `name` is set to something other than
// "", "0".
inline bool SkipRequested(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' && std::string(value) != "0";
}

// "" when `path` is an executable; otherwise what is missing and how to
// install it.
inline std::string MissingProgram(const std::string& path, const char* package) {
  if (!path.empty() && ::access(path.c_str(), X_OK) == 0) return "";
  return std::string(path.empty() ? package : path) + " is not installed (Debian package " +
         package + "; scripts/install-deps.sh --test installs it)";
}

}  // namespace kawal::testing

// Fails (or, with `skip_variable` set, skips) the current test when `path`
// is not an executable.
#define KAWAL_REQUIRE_PROGRAM(path, package, skip_variable)                                \
  do {                                                                                     \
    const std::string kawal_missing_ = ::kawal::testing::MissingProgram((path), (package)); \
    if (!kawal_missing_.empty()) {                                                         \
      if (::kawal::testing::SkipRequested(skip_variable)) {                                \
        GTEST_SKIP() << "skipped (" << (skip_variable) << " is set): " << kawal_missing_;  \
      }                                                                                    \
      FAIL() << kawal_missing_ << ". Set " << (skip_variable)                              \
             << "=1 to skip the tests that need it.";                                      \
    }                                                                                      \
  } while (0)

#endif  // KAWAL_TESTS_SUPPORT_REQUIRED_TOOL_H_
