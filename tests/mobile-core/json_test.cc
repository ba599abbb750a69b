// Tests for mobile-core/src/json.cc: the strict JSON parser (nlohmann/json
// under our rules) and the writer.
#include "json.h"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kawal::mobile {
namespace {

struct Case {
  std::string input;
  std::string expected;  // ToJson of the parse, or a substring of the error
};

TEST(ParseJsonTest, AcceptsValidDocumentsAndWritesThemCompactly) {
  const std::vector<Case> cases = {
      {"null", "null"},
      {"true", "true"},
      {"false", "false"},
      {" \t\n\r 1 \r\n", "1"},
      {"0", "0"},
      {"-0", "-0"},
      {"-12.50e-3", "-12.50e-3"},  // numbers keep their text
      {"1E+2", "1E+2"},
      {"123456789012345678901234567890", "123456789012345678901234567890"},
      {"1e-400", "1e-400"},  // underflow rounds to zero, still valid
      {"1.7976931348623157e308", "1.7976931348623157e308"},
      {"-0.00001e-320", "-0.00001e-320"},
      {"100000e-400", "100000e-400"},  // the mantissa's digits count too
      {"0e99999999999", "0e99999999999"},  // zero never overflows
      {R"("")", R"("")"},
      {R"("a\"b\\c\/d")", R"("a\"b\\c/d")"},
      {R"("\b\f\n\r\t")", R"("\b\f\n\r\t")"},
      {R"("\u0041\u00e9\u20AC")", "\"A\xC3\xA9\xE2\x82\xAC\""},
      {R"("\ud83d\ude00")", "\"\xF0\x9F\x98\x80\""},
      {R"("\uDBFF\uDFFF")", "\"\xF4\x8F\xBF\xBF\""},  // U+10FFFF
      {"\"Desa \xC3\xA9 \xF0\x9F\x98\x80\"", "\"Desa \xC3\xA9 \xF0\x9F\x98\x80\""},
      {R"("\u0000\u001f\u007f")", "\"\\u0000\\u001f\x7f\""},
      {"[]", "[]"},
      {"{}", "{}"},
      {"[ ]", "[]"},
      {R"([1,[2,[3,[]]],{"a":{"b":[null]}}])", R"([1,[2,[3,[]]],{"a":{"b":[null]}}])"},
      {R"({ "b" : [ 1 , 2 ] , "a" : "x" })", R"({"b":[1,2],"a":"x"})"},  // order kept
      {R"({"a":1,"A":2,"a ":3})", R"({"a":1,"A":2,"a ":3})"},  // keys compare exactly
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    absl::StatusOr<JsonValue> v = ParseJson(c.input);
    ASSERT_TRUE(v.ok()) << v.status();
    const std::string out = ToJson(*v);
    EXPECT_EQ(out, c.expected);
    // Round trip: the output parses back to the same DOM.
    absl::StatusOr<JsonValue> again = ParseJson(out);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, *v);
    EXPECT_EQ(ToJson(*again), out);
  }
}

TEST(ParseJsonTest, RejectsInvalidDocumentsNamingOffsetAndExpectation) {
  // The wording after the offset is nlohmann's (its lexer and parser do the
  // grammar); duplicate keys, depth and number range are our own rules. The
  // offset is that of the byte where the problem was seen.
  const std::vector<Case> cases = {
      {"", "JSON error at byte 0: syntax error while parsing value - unexpected end of input"},
      {"   ", "JSON error at byte 3: syntax error while parsing value - unexpected end of input"},
      {"[1,2,]", "JSON error at byte 5: syntax error while parsing value - unexpected ']'"},
      {R"({"a":1,})", "JSON error at byte 7: syntax error while parsing object key - unexpected '}'; expected string literal"},
      {R"({"a":1 "b":2})", "JSON error at byte 9: syntax error while parsing object - unexpected string literal; expected '}'"},
      {R"({"name":"x","id"  "y"})", "JSON error at byte 20: syntax error while parsing object separator - unexpected string literal; expected ':'"},
      {"[1 2]", "JSON error at byte 3: syntax error while parsing array - unexpected number literal; expected ']'"},
      {"[", "JSON error at byte 1: syntax error while parsing value - unexpected end of input"},
      {"{", "JSON error at byte 1: syntax error while parsing object key - unexpected end of input; expected string literal"},
      {"{1:2}", "JSON error at byte 1: syntax error while parsing object key - unexpected number literal"},
      {"{'a':2}", "JSON error at byte 1: syntax error while parsing object key - invalid literal"},
      {R"({"a":})", "JSON error at byte 5: syntax error while parsing value - unexpected '}'"},
      {R"({"a":1,"a":2})", "JSON error at byte 7: duplicate key \"a\""},
      {R"({"a\"b":1,"a\"b":2})", "JSON error at byte 10: duplicate key \"a\\\"b\""},
      {R"({"x":{"a":1},"y":{"a":1,"a":2}})", "JSON error at byte 24: duplicate key \"a\""},
      {"01", "JSON error at byte 1: syntax error while parsing value - unexpected number literal; expected end of input"},
      {"-01", "JSON error at byte 2: syntax error while parsing value - unexpected number literal"},
      {"[00]", "JSON error at byte 2: syntax error while parsing array - unexpected number literal"},
      {"1.", "JSON error at byte 2: syntax error while parsing value - invalid number; expected digit after '.'"},
      {"1.e5", "JSON error at byte 2: syntax error while parsing value - invalid number; expected digit after '.'"},
      {".5", "JSON error at byte 0: syntax error while parsing value - invalid literal"},
      {"+1", "JSON error at byte 0: syntax error while parsing value - invalid literal"},
      {"-", "JSON error at byte 1: syntax error while parsing value - invalid number; expected digit after '-'"},
      {"1e", "JSON error at byte 2: syntax error while parsing value - invalid number; expected '+', '-', or digit after exponent"},
      {"1e+", "JSON error at byte 3: syntax error while parsing value - invalid number; expected digit after exponent sign"},
      {"0x10", "JSON error at byte 1: syntax error while parsing value - invalid literal; last read: '0x'"},
      {"1e400", "JSON error at byte 0: expected a number within the range of a double"},
      {"[-1.5e99999999999]", "JSON error at byte 1: expected a number within the range"},
      {"10e308", "JSON error at byte 0: expected a number within the range"},
      {"1E+309", "JSON error at byte 0: expected a number within the range"},
      {"0.00001e400", "JSON error at byte 0: expected a number within the range"},
      {"-1" + std::string(400, '0'), "JSON error at byte 0: expected a number within the range"},
      {"NaN", "JSON error at byte 0: syntax error while parsing value - invalid literal; last read: 'N'"},
      {"Infinity", "JSON error at byte 0: syntax error while parsing value - invalid literal"},
      {"-Infinity", "JSON error at byte 1: syntax error while parsing value - invalid number; expected digit after '-'"},
      {"tru", "JSON error at byte 3: syntax error while parsing value - invalid literal; last read: 'tru'"},
      {"True", "JSON error at byte 0: syntax error while parsing value - invalid literal"},
      {"[nul]", "JSON error at byte 4: syntax error while parsing value - invalid literal; last read: '[nul]'"},
      {"falsey", "JSON error at byte 5: syntax error while parsing value - invalid literal; last read: 'falsey'"},
      {"1 2", "JSON error at byte 2: syntax error while parsing value - unexpected number literal; expected end of input"},
      {"[1]]", "JSON error at byte 3: syntax error while parsing value - unexpected ']'; expected end of input"},
      {"// comment\n1", "JSON error at byte 0: syntax error while parsing value - invalid literal"},
      {"[1/*c*/]", "JSON error at byte 2: syntax error while parsing array - invalid literal"},
      {"\xEF\xBB\xBF{}", "JSON error at byte 0: expected a value, not a byte-order mark"},
      {"\f1", "JSON error at byte 0: syntax error while parsing value - invalid literal; last read: '<U+000C>'"},  // not JSON whitespace
      {"'a'", "JSON error at byte 0: syntax error while parsing value - invalid literal"},
      {"\"abc", "JSON error at byte 4: syntax error while parsing value - invalid string: missing closing quote"},
      {"\"a\nb\"", "JSON error at byte 2: syntax error while parsing value - invalid string: control character U+000A (LF) must be escaped"},
      {std::string("\"a\0b\"", 5), "JSON error at byte 2: syntax error while parsing value - invalid string: control character U+0000 (NUL) must be escaped"},
      {R"("\x")", "JSON error at byte 2: syntax error while parsing value - invalid string: forbidden character after backslash"},
      {R"("\U0041")", "JSON error at byte 2: syntax error while parsing value - invalid string: forbidden character after backslash"},
      {"\"\\", "JSON error at byte 2: syntax error while parsing value - invalid string: forbidden character after backslash"},
      {R"("\u12")", "JSON error at byte 5: syntax error while parsing value - invalid string: '\\u' must be followed by 4 hex digits"},
      {R"("\u12G4")", "JSON error at byte 5: syntax error while parsing value - invalid string: '\\u' must be followed by 4 hex digits"},
      {R"("\ud83d")", "JSON error at byte 7: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"},
      {R"("x\ud83d\u0041")", "JSON error at byte 13: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed"},
      {R"("\ud83d\ud83d")", "JSON error at byte 12: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed"},
      {R"("\ude00")", "JSON error at byte 6: syntax error while parsing value - invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF"},
      // Invalid UTF-8; the message quotes the bytes read as \xNN so that it
      // is valid UTF-8 itself.
      {"\"\xFF\"", "JSON error at byte 1: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"\\xff'"},
      {"\"ab\x80\"", "JSON error at byte 3: syntax error while parsing value - invalid string: ill-formed UTF-8 byte"},  // lone continuation
      {"\"\xC0\xAF\"", "JSON error at byte 1: syntax error while parsing value - invalid string: ill-formed UTF-8 byte"},  // overlong '/'
      {"\"\xE0\x80\xAF\"", "JSON error at byte 2: syntax error while parsing value - invalid string: ill-formed UTF-8 byte"},  // overlong
      {"\"\xED\xA0\x80\"", "JSON error at byte 2: syntax error while parsing value - invalid string: ill-formed UTF-8 byte"},  // U+D800
      {"\"\xF4\x90\x80\x80\"", "JSON error at byte 2: syntax error while parsing value - invalid string: ill-formed UTF-8 byte"},  // > U+10FFFF
      {"\"\xE2\x82\"", "JSON error at byte 3: syntax error while parsing value - invalid string: ill-formed UTF-8 byte"},  // truncated
      {"\"\xF0\x9F\x98", "JSON error at byte 4: syntax error while parsing value - invalid string: ill-formed UTF-8 byte"},  // cut at the end
      {"\xC3\xA9", "JSON error at byte 0: syntax error while parsing value - invalid literal; last read: '\\xc3'"},  // UTF-8 outside a string
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    absl::StatusOr<JsonValue> v = ParseJson(c.input);
    ASSERT_FALSE(v.ok()) << ToJson(*v);
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(v.status().message().find(c.expected), absl::string_view::npos) << v.status();
  }
}

TEST(ParseJsonTest, KeepsNumberTextValueAndIntegerness) {
  struct NumberCase {
    std::string input;
    double number;
    bool is_integer;
  };
  const std::vector<NumberCase> cases = {
      {"0", 0, true},
      {"-7", -7, true},
      {"150000000", 150000000, true},
      {"1.5", 1.5, false},
      {"1.0", 1.0, false},
      {"1e2", 100, false},
      {"2E-1", 0.2, false},
      {"9007199254740993", 9007199254740992.0, true},  // text keeps the last digit
      {"123456789012345678901234567890", 1.2345678901234568e29, true},
      {"1e-400", 0, false},
  };
  for (const NumberCase& c : cases) {
    SCOPED_TRACE(c.input);
    absl::StatusOr<JsonValue> v = ParseJson(c.input);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->type, JsonValue::Type::kNumber);
    EXPECT_EQ(v->text, c.input);
    EXPECT_EQ(v->number, c.number);
    EXPECT_EQ(v->is_integer, c.is_integer);
  }
  absl::StatusOr<JsonValue> neg = ParseJson("-1e-400");
  ASSERT_TRUE(neg.ok());
  EXPECT_TRUE(std::signbit(neg->number));
}

TEST(ParseJsonTest, DecodesStringsToUtf8) {
  absl::StatusOr<JsonValue> v = ParseJson(R"(["\u0000","\ud83d\ude00","\u00e9","\/"])");
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->array.size(), 4u);
  EXPECT_EQ(v->array[0].text, std::string("\0", 1));
  EXPECT_EQ(v->array[1].text, "\xF0\x9F\x98\x80");
  EXPECT_EQ(v->array[2].text, "\xC3\xA9");
  EXPECT_EQ(v->array[3].text, "/");
}

TEST(ParseJsonTest, ObjectsPreserveOrderAndFindMembers) {
  absl::StatusOr<JsonValue> v = ParseJson(R"({"z":1,"a":[true],"m":null})");
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->object.size(), 3u);
  EXPECT_EQ(v->object[0].first, "z");
  EXPECT_EQ(v->object[1].first, "a");
  EXPECT_EQ(v->object[2].first, "m");
  ASSERT_NE(v->Find("a"), nullptr);
  EXPECT_TRUE(v->Find("a")->array[0].boolean);
  EXPECT_TRUE(v->Find("m")->is_null());
  EXPECT_EQ(v->Find("q"), nullptr);
}

TEST(ParseJsonTest, RejectsDuplicateKeysInLargeObjects) {
  std::string doc = "{";
  for (int i = 0; i < 100; ++i) doc += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_TRUE(ParseJson(doc.substr(0, doc.size() - 1) + "}").ok());
  absl::StatusOr<JsonValue> v = ParseJson(doc + "\"k57\":0}");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("duplicate key \"k57\""), absl::string_view::npos);
}

std::string Nested(int depth, absl::string_view open, absl::string_view inner,
                   absl::string_view close) {
  std::string s;
  for (int i = 0; i < depth; ++i) s.append(open.data(), open.size());
  s.append(inner.data(), inner.size());
  for (int i = 0; i < depth; ++i) s.append(close.data(), close.size());
  return s;
}

TEST(ParseJsonTest, LimitsNestingDepth) {
  EXPECT_TRUE(ParseJson(Nested(kMaxJsonDepth, "[", "1", "]")).ok());
  EXPECT_FALSE(ParseJson(Nested(kMaxJsonDepth, "{\"a\":", "{}", "}")).ok());
  EXPECT_TRUE(ParseJson(Nested(kMaxJsonDepth - 1, "{\"a\":", "{}", "}")).ok());

  absl::StatusOr<JsonValue> arrays = ParseJson(Nested(kMaxJsonDepth + 1, "[", "", "]"));
  ASSERT_FALSE(arrays.ok());
  EXPECT_EQ(arrays.status().message(),
            "JSON error at byte 64: expected at most 64 levels of nesting");
  // A depth bomb fails at the limit without recursing through the rest.
  absl::StatusOr<JsonValue> bomb = ParseJson(std::string(1'000'000, '['));
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.status().message(),
            "JSON error at byte 64: expected at most 64 levels of nesting");
  absl::StatusOr<JsonValue> objects = ParseJson(Nested(kMaxJsonDepth + 1, "{\"a\":", "1", "}"));
  ASSERT_FALSE(objects.ok());
  EXPECT_EQ(objects.status().message(),
            "JSON error at byte 320: expected at most 64 levels of nesting");
}

TEST(ParseJsonTest, LimitsDocumentSize) {
  const std::string largest = "\"" + std::string(kMaxJsonBytes - 2, 'x') + "\"";
  absl::StatusOr<JsonValue> ok = ParseJson(largest);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->text.size(), kMaxJsonBytes - 2);
  absl::StatusOr<JsonValue> too_big = ParseJson(largest + " ");
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().message(),
            "JSON error at byte 4194304: expected at most 4194304 bytes, got 4194305");
}

TEST(JsonWriterTest, WritesCompactNestedJson) {
  JsonWriter w;
  w.BeginObject()
      .Key("a").Int(1)
      .Key("b").BeginArray().Bool(true).Null().BeginObject().EndObject().BeginArray().EndArray()
      .String("x").EndArray()
      .Key("c").BeginObject().Key("d").Double(2).EndObject()
      .Key("e").Uint(UINT64_MAX)
      .Key("f").Int(INT64_MIN)
      .EndObject();
  EXPECT_TRUE(w.Complete());
  EXPECT_EQ(w.str(), R"({"a":1,"b":[true,null,{},[],"x"],"c":{"d":2.0},)"
                     R"("e":18446744073709551615,"f":-9223372036854775808})");
  EXPECT_TRUE(ParseJson(w.str()).ok());
}

TEST(JsonWriterTest, EscapesStrings) {
  const std::vector<Case> cases = {
      {"plain", R"("plain")"},
      {"q\"b\\s/", R"("q\"b\\s/")"},
      {"\b\f\n\r\t", R"("\b\f\n\r\t")"},
      {std::string("\0\x01\x1f\x7f", 4), "\"\\u0000\\u0001\\u001f\x7f\""},
      {"\xC3\xA9\xF0\x9F\x98\x80", "\"\xC3\xA9\xF0\x9F\x98\x80\""},  // UTF-8 passes through
      // Invalid UTF-8 cannot escape as invalid JSON: each ill-formed
      // sequence becomes U+FFFD (nlohmann's replace).
      {"a\xFF" "b", "\"a\xEF\xBF\xBD" "b\""},
      {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
      {"\xE2\x82", "\"\xEF\xBF\xBD\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    JsonWriter w;
    w.String(c.input);
    EXPECT_EQ(w.str(), c.expected);
    EXPECT_TRUE(ParseJson(w.str()).ok());
  }
}

TEST(JsonWriterTest, WritesShortestRoundTripDoubles) {
  struct DoubleCase {
    double value;
    std::string expected;
  };
  const std::vector<DoubleCase> cases = {
      {12.0, "12.0"},
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {37.5, "37.5"},
      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {-106.8456, "-106.8456"},
      {1e21, "1e+21"},
      {1.5e-7, "1.5e-07"},
      {123456789.125, "123456789.125"},
      {9007199254740992.0, "9.007199254740992e+15"},
      {5e-324, "5e-324"},
      {DBL_MAX, "1.7976931348623157e+308"},
  };
  for (const DoubleCase& c : cases) {
    SCOPED_TRACE(c.expected);
    JsonWriter w;
    w.Double(c.value);
    EXPECT_EQ(w.str(), c.expected);
    absl::StatusOr<JsonValue> back = ParseJson(w.str());
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->number, c.value);
    EXPECT_EQ(std::signbit(back->number), std::signbit(c.value));
    EXPECT_FALSE(back->is_integer);  // the type survives
  }
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), HUGE_VAL, -HUGE_VAL}) {
    JsonWriter w;
    w.Double(bad);
    EXPECT_EQ(w.str(), "null");
  }
}

// Random documents: DOM → ToJson → ParseJson gives the same DOM back.
JsonValue RandomValue(std::mt19937& rng, int depth) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  auto random_string = [&] {
    const std::string pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\x01", "\x7f",
                                  "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                  std::string("\0", 1)};
    std::string s;
    for (int n = pick(6); n > 0; --n) s += pieces[pick(std::size(pieces))];
    return s;
  };
  switch (depth >= 4 ? pick(4) : pick(6)) {
    case 0: return JsonValue::Null();
    case 1: return JsonValue::Bool(pick(2) == 1);
    case 2:
      if (pick(2)) {
        return JsonValue::Int((static_cast<int64_t>(rng()) << pick(31)) * (pick(2) ? 1 : -1));
      }
      return JsonValue::Double(std::ldexp(static_cast<double>(rng()), pick(200) - 100));
    case 3: return JsonValue::String(random_string());
    case 4: {
      JsonValue a = JsonValue::Array();
      for (int n = pick(4); n > 0; --n) a.array.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      JsonValue o = JsonValue::Object();
      for (int n = pick(4); n > 0; --n) {
        std::string key = random_string() + std::to_string(n);  // unique per object
        o.object.emplace_back(key, RandomValue(rng, depth + 1));
      }
      return o;
    }
  }
}

TEST(JsonRoundTripTest, RandomDocumentsSurviveWriteAndParse) {
  std::mt19937 rng(20251126);
  for (int i = 0; i < 2000; ++i) {
    const JsonValue original = RandomValue(rng, 0);
    const std::string text = ToJson(original);
    SCOPED_TRACE(text);
    absl::StatusOr<JsonValue> parsed = ParseJson(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, original);
    EXPECT_EQ(ToJson(*parsed), text);
  }
}

// Mutated documents: each either parses and round-trips, or fails with an
// offset inside the document. Run under ASan this also checks bounds.
TEST(JsonRoundTripTest, MutatedDocumentsParseOrFailCleanly) {
  const std::string seed =
      R"({"a":[1,2.5e3,-0,"x\u00e9\ud83d\ude00",true,false,null],"b":{"c":{}},"d":")"
      "\xC3\xA9\xF0\x9F\x98\x80\"}";
  const std::string alphabet = "{}[],:\"\\u0123456789aeEfnt.+- \t\n\xC3\xA9\xED\xA0\xF0\x9F\xFF";
  ASSERT_TRUE(ParseJson(seed).ok());
  std::mt19937 rng(7);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string doc = seed;
    for (int m = static_cast<int>(rng() % 4); m >= 0; --m) {
      const size_t at = rng() % doc.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: doc.insert(at, 1, c); break;
        case 1: doc.erase(at, 1); break;
        default: doc[at] = c;
      }
    }
    SCOPED_TRACE(doc);
    absl::StatusOr<JsonValue> v = ParseJson(doc);
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
      size_t offset = 0;
      const std::string message(v.status().message());
      ASSERT_EQ(std::sscanf(message.c_str(), "JSON error at byte %zu", &offset), 1) << message;
      EXPECT_LE(offset, doc.size());
      continue;
    }
    ++parsed;
    absl::StatusOr<JsonValue> again = ParseJson(ToJson(*v));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, *v);
  }
  EXPECT_GT(parsed, 1000);  // the mutations leave many documents valid
}

TEST(JsonValueTest, FactoriesAndTypeNames) {
  EXPECT_EQ(ToJson(JsonValue::Int(-5)), "-5");
  EXPECT_EQ(ToJson(JsonValue::Double(2)), "2.0");
  EXPECT_TRUE(JsonValue::Double(NAN).is_null());
  EXPECT_EQ(ToJson(JsonValue::String("\xC3\xA9")), "\"\xC3\xA9\"");
  EXPECT_EQ(ToJson(JsonValue::Object({{"a", JsonValue::Array({JsonValue::Bool(false)})}})),
            R"({"a":[false]})");
  JsonValue hand;
  hand.type = JsonValue::Type::kNumber;
  hand.number = 3;  // no literal text: written from the double
  EXPECT_EQ(ToJson(hand), "3.0");
  EXPECT_STREQ(JsonTypeName(JsonValue::Type::kArray), "array");
  EXPECT_STREQ(JsonTypeName(JsonValue::Type::kBool), "boolean");
}

}  // namespace
}  // namespace kawal::mobile
