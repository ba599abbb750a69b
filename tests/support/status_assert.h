// Assertions on absl::Status and absl::StatusOr for tests: a failed status
// is a test failure that prints the status, never a crash on dereferencing
// an error.
//
//   ASSERT_OK(device->Update(...));
//   ASSERT_OK_AND_ASSIGN(std::string id, device->Create(...));
//   ASSERT_OK_AND_ASSIGN(device_, OpenDevice("a"));
//   EXPECT_THAT(device->PendingCount(), IsOkAndHolds(0u));
//
// The ASSERT forms return from the enclosing function, so they work in
// TEST bodies and in void helpers (wrap calls to those helpers in
// ASSERT_NO_FATAL_FAILURE).
//
// Thread-safety: as gtest's own assertions.
#ifndef KAWAL_TESTS_SUPPORT_STATUS_ASSERT_H_
#define KAWAL_TESTS_SUPPORT_STATUS_ASSERT_H_

#include <type_traits>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kawal::testing {

inline ::testing::AssertionResult IsOk(const absl::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status;
}

template <typename T>
::testing::AssertionResult IsOk(const absl::StatusOr<T>& status_or) {
  return IsOk(status_or.status());
}

// Matches an OK absl::StatusOr whose value matches `expected` (a value or
// a matcher: IsOkAndHolds(0u), IsOkAndHolds(::testing::SizeIs(6))). An error
// prints its status instead of crashing on the dereference.
MATCHER_P(IsOkAndHolds, expected, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status " << arg.status();
    return false;
  }
  if constexpr (std::is_arithmetic_v<std::decay_t<decltype(*arg)>>) {
    *result_listener << "holds " << *arg << " ";
  }
  return ::testing::ExplainMatchResult(expected, *arg, result_listener);
}

}  // namespace kawal::testing

#define ASSERT_OK(expr) ASSERT_TRUE(::kawal::testing::IsOk(expr))
#define EXPECT_OK(expr) EXPECT_TRUE(::kawal::testing::IsOk(expr))

#define KAWAL_STATUS_CONCAT_INNER_(a, b) a##b
#define KAWAL_STATUS_CONCAT_(a, b) KAWAL_STATUS_CONCAT_INNER_(a, b)
#define KAWAL_ASSERT_OK_AND_ASSIGN_IMPL_(var, lhs, rexpr) \
  auto var = (rexpr);                                      \
  ASSERT_TRUE(var.ok()) << #rexpr << ": " << var.status(); \
  lhs = *std::move(var)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error a fatal failure naming
// the expression and the status, else moves the value into `lhs` (which may
// declare a variable).
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  KAWAL_ASSERT_OK_AND_ASSIGN_IMPL_(KAWAL_STATUS_CONCAT_(status_or_, __LINE__), lhs, rexpr)

#endif  // KAWAL_TESTS_SUPPORT_STATUS_ASSERT_H_
