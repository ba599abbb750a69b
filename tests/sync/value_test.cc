// Tests for sync/src/value.cc: ordering and JSON of values.
#include "kawal/sync/value.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace kawal::sync {
namespace {

TEST(ValueTest, OrdersByKindThenContent) {
  EXPECT_TRUE(ValueLess(Value{Null{}}, Value{int64_t{0}}));
  EXPECT_TRUE(ValueLess(Value{int64_t{1}}, Value{int64_t{2}}));
  EXPECT_TRUE(ValueLess(Value{int64_t{5}}, Value{1.0}));  // kind rank first
  EXPECT_TRUE(ValueLess(Value{-2.0}, Value{-1.0}));
  EXPECT_TRUE(ValueLess(Value{std::string("a")}, Value{std::string("b")}));
  EXPECT_TRUE(ValueLess(Value{ScalarList{int64_t{1}}}, Value{ScalarList{int64_t{1}, int64_t{0}}}));
  EXPECT_TRUE(ValueLess(Value{AmountMap{{"ADD", 1}}}, Value{AmountMap{{"DDS", 1}}}));
  EXPECT_TRUE(ValueEqual(Value{AmountMap{{"DDS", 1}}}, Value{AmountMap{{"DDS", 1}}}));
}

TEST(ValueTest, NanIsOrderedTotally) {
  Value nan{std::numeric_limits<double>::quiet_NaN()};
  Value one{1.0};
  EXPECT_TRUE(ValueEqual(nan, nan));
  EXPECT_NE(ValueLess(nan, one), ValueLess(one, nan));
}

TEST(ValueTest, JsonKeepsTypes) {
  EXPECT_EQ(ValueToJson(Value{Null{}}), "null");
  EXPECT_EQ(ValueToJson(Value{int64_t{150000000}}), "150000000");
  EXPECT_EQ(ValueToJson(Value{12.0}), "12.0");
  EXPECT_EQ(ValueToJson(Value{37.5}), "37.5");
  EXPECT_EQ(ValueToJson(Value{0.1}), "0.1");
  EXPECT_EQ(ValueToJson(Value{std::string("Jalan \"usaha\"\n")}), "\"Jalan \\\"usaha\\\"\\n\"");
  EXPECT_EQ(ValueToJson(Value{true}), "true");
  EXPECT_EQ(ValueToJson(Value{ScalarList{int64_t{1}, std::string("blt")}}), "[1,\"blt\"]");
  EXPECT_EQ(ValueToJson(Value{AmountMap{{"DDS", 100}, {"ADD", 5}}}), "{\"ADD\":5,\"DDS\":100}");
}

}  // namespace
}  // namespace kawal::sync
