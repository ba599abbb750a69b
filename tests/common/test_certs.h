// Certificates made with OpenSSL for tests: a CA and leaf certificates with
// chosen names and validity, as PEM strings (no files, nothing to clean up).
//
// Thread-safety: pure functions.
#ifndef KAWAL_TESTS_COMMON_TEST_CERTS_H_
#define KAWAL_TESTS_COMMON_TEST_CERTS_H_

#include <string>
#include <vector>

namespace kawal::testing {

struct TestCert {
  std::string cert_pem;
  std::string key_pem;
};

// A self-signed CA named `common_name`, valid from yesterday for a year.
TestCert MakeTestCa(const std::string& common_name);

// A server certificate signed by `ca` for `names` (DNS names, or IPv4
// addresses written as such), valid from now + `from_days` to now +
// `until_days` (negative numbers lie in the past).
TestCert MakeTestLeaf(const TestCert& ca, const std::vector<std::string>& names,
                      int from_days = -1, int until_days = 30);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_COMMON_TEST_CERTS_H_
