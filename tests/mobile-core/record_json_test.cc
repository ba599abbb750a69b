// Tests for mobile-core/src/record_json.cc: schema-typed JSON ↔ sync::Value
// and records as JSON.
#include "record_json.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace kawal::mobile {
namespace {

using sync::AmountMap;
using sync::FieldSpec;
using sync::FieldType;
using sync::Null;
using sync::ScalarList;
using sync::Value;

FieldSpec Spec(std::string name, FieldType type) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  return f;
}

const sync::CollectionSpec& ActivitySpec() {
  const sync::CollectionSpec* spec = sync::Schema::Default().Find(sync::kActivity);
  EXPECT_NE(spec, nullptr);
  return *spec;
}

absl::StatusOr<Value> Convert(const FieldSpec& spec, const std::string& json) {
  absl::StatusOr<JsonValue> parsed = ParseJson(json);
  if (!parsed.ok()) return parsed.status();
  return ValueFromJson(spec, *parsed);
}

struct ValidCase {
  FieldType type;
  std::string json;
  Value expected;
};

TEST(ValueFromJsonTest, ConvertsEveryFieldType) {
  const std::vector<ValidCase> cases = {
      {FieldType::kInt, "5", int64_t{5}},
      {FieldType::kInt, "-0", int64_t{0}},
      {FieldType::kInt, "9223372036854775807", INT64_MAX},
      {FieldType::kInt, "-9223372036854775808", INT64_MIN},
      {FieldType::kInt, "null", Null{}},
      {FieldType::kDouble, "37.5", 37.5},
      {FieldType::kDouble, "2", 2.0},  // any number: integer literals too
      {FieldType::kDouble, "1e2", 100.0},
      {FieldType::kDouble, "-6.2", -6.2},
      {FieldType::kDouble, "null", Null{}},
      {FieldType::kString, R"("dua")", std::string("dua")},
      {FieldType::kString, R"("")", std::string()},
      {FieldType::kString, R"("Jalan \"Usaha\"\n\u00e9")",
       std::string("Jalan \"Usaha\"\n\xC3\xA9")},
      {FieldType::kString, "null", Null{}},
      {FieldType::kBool, "true", true},
      {FieldType::kBool, "false", false},
      {FieldType::kBool, "null", Null{}},
      {FieldType::kIntList, "[1,8,17]", ScalarList{int64_t{1}, int64_t{8}, int64_t{17}}},
      {FieldType::kIntList, "[]", ScalarList{}},
      {FieldType::kIntList, "null", Null{}},
      {FieldType::kStringList, R"(["blt","stunting"])",
       ScalarList{std::string("blt"), std::string("stunting")}},
      {FieldType::kStringList, "[]", ScalarList{}},
      {FieldType::kAmounts, R"({"DDS":150000000,"ADD":5})",
       AmountMap{{"ADD", 5}, {"DDS", 150000000}}},
      {FieldType::kAmounts, "{}", AmountMap{}},
      {FieldType::kAmounts, "null", Null{}},
  };
  for (const ValidCase& c : cases) {
    SCOPED_TRACE(absl::StrCat(sync::FieldTypeName(c.type), " ", c.json));
    const FieldSpec spec = Spec("f", c.type);
    absl::StatusOr<Value> v = Convert(spec, c.json);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(sync::ValueEqual(*v, c.expected)) << sync::ValueToJson(*v);
    EXPECT_EQ(v->index(), c.expected.index());  // 2.0 stays a double, 5 an int
    // Round trip through the writer.
    JsonWriter w;
    WriteValueJson(w, *v);
    absl::StatusOr<Value> back = Convert(spec, w.str());
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(sync::ValueEqual(*back, *v)) << w.str();
  }
}

struct InvalidCase {
  FieldSpec spec;
  std::string json;
  std::string error;  // the whole message
};

TEST(ValueFromJsonTest, RejectsMismatchesNamingFieldExpectationAndValue) {
  const FieldSpec sector = Spec("sector", FieldType::kInt);
  const FieldSpec pct = Spec("physical_progress_pct", FieldType::kDouble);
  const FieldSpec name = Spec("name", FieldType::kString);
  const FieldSpec flag = Spec("verified", FieldType::kBool);
  const FieldSpec goals = Spec("sdg_goals", FieldType::kIntList);
  const FieldSpec tags = Spec("focus_tags", FieldType::kStringList);
  const FieldSpec budget = Spec("budget", FieldType::kAmounts);
  const std::vector<InvalidCase> cases = {
      {sector, R"("dua")", R"(field 'sector' expects an integer, got string "dua")"},
      {sector, "1.5", "field 'sector' expects an integer, got number 1.5"},
      {sector, "2.0", "field 'sector' expects an integer, got number 2.0"},
      {sector, "1e2", "field 'sector' expects an integer, got number 1e2"},
      {sector, "9223372036854775808",
       "field 'sector' expects an integer within the 64-bit range, got number 9223372036854775808"},
      {sector, "-9223372036854775809",
       "field 'sector' expects an integer within the 64-bit range, "
       "got number -9223372036854775809"},
      {sector, "true", "field 'sector' expects an integer, got boolean true"},
      {sector, "[1]", "field 'sector' expects an integer, got array [1]"},
      {pct, R"("37.5")", R"(field 'physical_progress_pct' expects a number, got string "37.5")"},
      {pct, R"({"v":1})", R"(field 'physical_progress_pct' expects a number, got object {"v":1})"},
      {name, "5", "field 'name' expects a string, got number 5"},
      {name, R"(["a"])", R"(field 'name' expects a string, got array ["a"])"},
      {flag, "1", "field 'verified' expects true or false, got number 1"},
      {flag, R"("true")", R"(field 'verified' expects true or false, got string "true")"},
      {goals, "1", "field 'sdg_goals' expects an array of integers, got number 1"},
      {goals, "[1,1.5]", "field 'sdg_goals' element 1 expects an integer, got number 1.5"},
      {goals, "[1,null]", "field 'sdg_goals' element 1 expects an integer, got null"},
      {goals, R"(["3"])", R"(field 'sdg_goals' element 0 expects an integer, got string "3")"},
      {tags, R"("blt")", R"(field 'focus_tags' expects an array of strings, got string "blt")"},
      {tags, R"(["blt",1])", "field 'focus_tags' element 1 expects a string, got number 1"},
      {budget, "[100]", "field 'budget' expects an object of integer amounts, got array [100]"},
      {budget, R"({"DDS":1.5})", R"(field 'budget' key "DDS" expects an integer, got number 1.5)"},
      {budget, R"({"DDS":"100"})",
       R"(field 'budget' key "DDS" expects an integer, got string "100")"},
      {budget, R"({"DDS":null})", R"(field 'budget' key "DDS" expects an integer, got null)"},
      {budget, R"({"DDS":1,"DDS":2})", "JSON error at byte 9: duplicate key \"DDS\""},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.json);
    absl::StatusOr<Value> v = Convert(c.spec, c.json);
    ASSERT_FALSE(v.ok()) << sync::ValueToJson(*v);
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(v.status().message(), c.error);
  }
}

TEST(ValueFromJsonTest, RejectsRepeatedAmountKeysInAHandBuiltDom) {
  JsonValue dom = JsonValue::Object({{"DDS", JsonValue::Int(1)}, {"DDS", JsonValue::Int(2)}});
  absl::StatusOr<Value> v = ValueFromJson(Spec("budget", FieldType::kAmounts), dom);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), R"(field 'budget' repeats key "DDS")");
}

TEST(ValueFromJsonTest, ShortensLongValuesInErrors) {
  absl::StatusOr<Value> v =
      Convert(Spec("year", FieldType::kInt), "\"" + std::string(5000, 'x') + "\"");
  ASSERT_FALSE(v.ok());
  EXPECT_LT(v.status().message().size(), 120u);
  EXPECT_NE(v.status().message().find("..."), absl::string_view::npos);
}

TEST(ValueFromJsonTest, EverySchemaFieldAcceptsNull) {
  for (const sync::CollectionSpec& collection : sync::Schema::Default().collections()) {
    for (const FieldSpec& field : collection.fields) {
      absl::StatusOr<Value> v = ValueFromJson(field, JsonValue::Null());
      ASSERT_TRUE(v.ok()) << collection.name << "." << field.name << ": " << v.status();
      EXPECT_TRUE(std::holds_alternative<Null>(*v));
    }
  }
}

TEST(FieldsFromJsonTest, ParsesTypedFieldsInDocumentOrder) {
  absl::StatusOr<std::vector<std::pair<std::string, Value>>> fields = FieldsFromJson(
      ActivitySpec(), R"({"name":"Jalan desa","year":2025,"sector":2,)"
                      R"("budget":{"DDS":150000000},"physical_progress_pct":40,)"
                      R"("focus_tags":["padat_karya"],"sdg_goals":[8],"notes":null})");
  ASSERT_TRUE(fields.ok()) << fields.status();
  const std::vector<std::pair<std::string, Value>> expected = {
      {"name", std::string("Jalan desa")},
      {"year", int64_t{2025}},
      {"sector", int64_t{2}},
      {"budget", AmountMap{{"DDS", 150000000}}},
      {"physical_progress_pct", 40.0},
      {"focus_tags", ScalarList{std::string("padat_karya")}},
      {"sdg_goals", ScalarList{int64_t{8}}},
      {"notes", Null{}},
  };
  ASSERT_EQ(fields->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*fields)[i].first, expected[i].first);
    EXPECT_TRUE(sync::ValueEqual((*fields)[i].second, expected[i].second)) << expected[i].first;
    // Every converted value passes the shared validation.
    EXPECT_TRUE(sync::ValidateValue(*ActivitySpec().Find(expected[i].first),
                                    (*fields)[i].second).ok());
  }
}

TEST(FieldsFromJsonTest, RejectsBadDocuments) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"name":"x","foo":1})", "unknown field 'foo' for activity"},
      {R"({"Name":"x"})", "unknown field 'Name' for activity"},  // names are exact
      {"[]", "expected a JSON object of activity fields, got array"},
      {"null", "expected a JSON object of activity fields, got null"},
      {R"({"sector":"dua"})", R"(field 'sector' expects an integer, got string "dua")"},
      {R"({"name":"x",})", "JSON error at byte 12: syntax error while parsing object key - unexpected '}'; "
                               "expected string literal"},
      {R"({"name":"x","name":"y"})", "JSON error at byte 12: duplicate key \"name\""},
  };
  for (const auto& [json, error] : cases) {
    SCOPED_TRACE(json);
    auto fields = FieldsFromJson(ActivitySpec(), json);
    ASSERT_FALSE(fields.ok());
    EXPECT_EQ(fields.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(fields.status().message(), error);
  }
}

TEST(FieldsFromJsonTest, LeavesRangeValidationToTheCaller) {
  auto fields = FieldsFromJson(ActivitySpec(), R"({"sector":99,"status":"unknown"})");
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_EQ(fields->size(), 2u);
  EXPECT_FALSE(sync::ValidateValue(*ActivitySpec().Find("sector"), (*fields)[0].second).ok());
  EXPECT_FALSE(sync::ValidateValue(*ActivitySpec().Find("status"), (*fields)[1].second).ok());
}

TEST(WriteValueJsonTest, AgreesWithTheSyncCoresJson) {
  const std::vector<Value> values = {
      Null{}, int64_t{-42}, INT64_MAX, 12.0, 0.1, -0.0, 1e21,
      std::string("Desa \"Maju\"\n\xC3\xA9"), true, false, ScalarList{},
      ScalarList{int64_t{1}, std::string("blt"), 2.5, true},
      AmountMap{}, AmountMap{{"PBH", 7}, {"ADD", 5}, {"DDS", 100}},
  };
  for (const Value& v : values) {
    JsonWriter w;
    WriteValueJson(w, v);
    EXPECT_EQ(w.str(), sync::ValueToJson(v));
  }
}

// A known activity: two writes by node 0xab, a cleared field and seq 42.
sync::RecordState KnownActivity() {
  auto field = [](Value value, uint32_t counter) {
    sync::FieldState f;
    f.value = std::move(value);
    f.stamp = sync::Stamp{1764160000000, counter, 0xab};
    return f;
  };
  sync::RecordState r;
  r.collection = "activity";
  r.id = "act-1";
  r.scope = "62.10.01.2001";
  r.fields["name"] = field(std::string("Jalan \"Usaha\" Tani"), 0);
  r.fields["year"] = field(int64_t{2025}, 1);
  r.fields["budget"] = field(AmountMap{{"DDS", 100}, {"ADD", 5}}, 2);
  r.fields["physical_progress_pct"] = field(40.0, 3);
  r.fields["sdg_goals"] = field(ScalarList{int64_t{1}, int64_t{8}}, 4);
  r.fields["notes"] = field(Null{}, 5);  // cleared: omitted
  r.seq = 42;
  return r;
}

constexpr char kKnownHead[] =
    R"({"collection":"activity","id":"act-1","scope":"62.10.01.2001",)";
constexpr char kKnownFields[] =
    R"("fields":{"budget":{"ADD":5,"DDS":100},"name":"Jalan \"Usaha\" Tani",)"
    R"("physical_progress_pct":40.0,"sdg_goals":[1,8],"year":2025})";
constexpr char kKnownStamps[] =
    R"("stamps":{"budget":"1764160000000.2.00000000000000ab",)"
    R"("name":"1764160000000.0.00000000000000ab",)"
    R"("physical_progress_pct":"1764160000000.3.00000000000000ab",)"
    R"("sdg_goals":"1764160000000.4.00000000000000ab",)"
    R"("year":"1764160000000.1.00000000000000ab"})";

TEST(RecordToJsonTest, WritesAKnownRecordExactly) {
  const sync::RecordState r = KnownActivity();
  EXPECT_EQ(RecordToJson(r), absl::StrCat(kKnownHead, R"("deleted":false,)", kKnownFields, "}"));
  EXPECT_EQ(RecordToJson(r, {.include_stamps = true}),
            absl::StrCat(kKnownHead, R"("deleted":false,)", kKnownFields, ",", kKnownStamps,
                         R"(,"seq":42})"));
  EXPECT_TRUE(ParseJson(RecordToJson(r, {.include_stamps = true})).ok());
}

TEST(RecordToJsonTest, WritesDeletedRecordsWithoutFieldsUnlessAsked) {
  sync::RecordState r = KnownActivity();
  r.tombstone = sync::Stamp{1764160000001, 0, 0xcd};
  EXPECT_EQ(RecordToJson(r), absl::StrCat(kKnownHead, R"("deleted":true,"fields":{}})"));
  EXPECT_EQ(RecordToJson(r, {.include_stamps = true}),
            absl::StrCat(kKnownHead, R"("deleted":true,"fields":{},)",
                         R"("stamps":{"_deleted":"1764160000001.0.00000000000000cd"},"seq":42})"));
  EXPECT_EQ(RecordToJson(r, {.include_deleted = true}),
            absl::StrCat(kKnownHead, R"("deleted":true,)", kKnownFields, "}"));
}

TEST(RecordToJsonTest, AnEditAfterADeleteRevivesTheRecord) {
  sync::RecordState r = KnownActivity();
  r.tombstone = sync::Stamp{1764160000000, 2, 0xcd};  // between the writes
  const std::string json = RecordToJson(r, {.include_stamps = true});
  EXPECT_NE(json.find(R"("deleted":false)"), std::string::npos);
  EXPECT_NE(json.find(R"("stamps":{"_deleted":"1764160000000.2.00000000000000cd","budget")"),
            std::string::npos);
}

TEST(RecordToJsonTest, WritesAnEmptyRecord) {
  sync::RecordState r;
  r.collection = "village";
  r.id = "62.10.01.2001";
  r.scope = "62.10.01.2001";
  EXPECT_EQ(RecordToJson(r, {.include_stamps = true}),
            R"({"collection":"village","id":"62.10.01.2001","scope":"62.10.01.2001",)"
            R"("deleted":false,"fields":{},"stamps":{},"seq":0})");
}

}  // namespace
}  // namespace kawal::mobile
