/* The checks shared by the plain-C tests of kawal/kawal.h (c_api_test.c,
 * libkawal_abi_test.c). CHECK counts a failure and goes on, so one run
 * reports every broken check; finish() removes the scratch home and gives
 * main's exit code. Header-only, beside the tests: the install test
 * compiles libkawal_abi_test.c alone with cc. The includer defines
 * _XOPEN_SOURCE (nftw, mkdtemp) before any system header. */
#ifndef KAWAL_TESTS_MOBILE_CORE_C_CHECK_H_
#define KAWAL_TESTS_MOBILE_CORE_C_CHECK_H_

#include <ftw.h>
#include <stdio.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static int remove_entry(const char* path, const struct stat* sb, int type, struct FTW* ftw) {
  (void)sb;
  (void)type;
  (void)ftw;
  return remove(path);
}

/* Removes `home`, then reports: main's exit code, 0 when every check passed. */
static int finish(const char* home, const char* test_name) {
  if (nftw(home, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
    perror("nftw");
    ++failures;
  }
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("%s: all checks passed\n", test_name);
  return 0;
}

#endif /* KAWAL_TESTS_MOBILE_CORE_C_CHECK_H_ */
