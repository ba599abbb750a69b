// Check functions behind the libFuzzer targets in this directory. Each
// returns 0 and abort()s on a violated property; the fuzz targets
// (built only with -DKAWAL_FUZZ=ON, clang) and fuzz_regression_test (always
// built) call the same functions. See scripts/fuzz.sh.
#ifndef KAWAL_TESTS_FUZZ_FUZZ_CHECKS_H_
#define KAWAL_TESTS_FUZZ_FUZZ_CHECKS_H_

#include <cstddef>
#include <cstdint>

namespace kawal::fuzz {

// Merge convergence: the bytes are a list of deltas over one record.
int CheckMergeInput(const uint8_t* data, size_t size);
// Wire decoding, codec and validation: must never crash.
int CheckDecodeInput(const uint8_t* data, size_t size);
// Pull-cursor decoding: must never crash.
int CheckCursorInput(const uint8_t* data, size_t size);
// The C API's JSON inputs (parser, writer, typed fields): must never crash.
int CheckJsonInput(const uint8_t* data, size_t size);
// An APBDes CSV (kawal-field import apbdes): reader and sheet invariants.
int CheckApbdesInput(const uint8_t* data, size_t size);
// A bundle file (kawal-admin / kawal-field bundle import): reader and opener.
int CheckBundleInput(const uint8_t* data, size_t size);

}  // namespace kawal::fuzz

#endif  // KAWAL_TESTS_FUZZ_FUZZ_CHECKS_H_
