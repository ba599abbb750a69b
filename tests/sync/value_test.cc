// Tests for sync/src/value.cc and value_json.cc: ordering and JSON of values,
// and reading that JSON back.
#include "kawal/sync/value.h"
#include "kawal/sync/value_json.h"

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

TEST(ValueJsonTest, ReadsBackWhatValueToJsonWrote) {
  const std::pair<Value, FieldType> cases[] = {
      {Value{int64_t{-42}}, FieldType::kInt},
      {Value{std::numeric_limits<int64_t>::max()}, FieldType::kInt},
      {Value{0.1 + 0.2}, FieldType::kDouble},
      {Value{150.0}, FieldType::kDouble},
      {Value{1e-300}, FieldType::kDouble},
      {Value{std::string("Jalan \"desa\" \xC3\xA9\n")}, FieldType::kString},
      {Value{true}, FieldType::kBool},
      {Value{ScalarList{int64_t{9}, int64_t{1}}}, FieldType::kIntList},
      {Value{ScalarList{std::string("blt"), std::string("stunting")}}, FieldType::kStringList},
      {Value{AmountMap{{"ADD", 25000000}, {"DDS", 150000000}}}, FieldType::kAmounts},
      {Value{Null{}}, FieldType::kAmounts},
  };
  for (const auto& [value, type] : cases) {
    const std::string json = ValueToJson(value);
    absl::StatusOr<Value> back = ValueFromJson(json, type);
    ASSERT_TRUE(back.ok()) << json << ": " << back.status();
    EXPECT_TRUE(ValueEqual(*back, value)) << json;
  }
}

TEST(ValueJsonTest, WrongTypeOrTextIsNamed) {
  EXPECT_TRUE(absl::IsInvalidArgument(ValueFromJson("\"12\"", FieldType::kInt).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ValueFromJson("12.5", FieldType::kInt).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ValueFromJson("18446744073709551615", FieldType::kInt).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ValueFromJson("[1,\"a\"]", FieldType::kIntList).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ValueFromJson("{\"DDS\":1.5}", FieldType::kAmounts).status()));
  absl::Status broken = ValueFromJson("{\"DDS\":", FieldType::kAmounts).status();
  EXPECT_TRUE(absl::IsInvalidArgument(broken));
  EXPECT_NE(broken.message().find("not JSON"), absl::string_view::npos) << broken;
}

}  // namespace
}  // namespace kawal::sync
