// The mobile core's JSON: a small DOM (JsonValue), a strict parser and a
// compact writer, used at its edges (the C API, the field app, exports).
//
// Parsing and the writer's escaping and number formatting are done by
// nlohmann/json (Debian's nlohmann-json3-dev), included only by json.cc so
// that no other file compiles its header. JsonValue stays our own type
// because the typed record conversion needs what nlohmann's DOM does not
// keep: a number's literal text (integers beyond 2^53 keep every digit) and
// whether it was written as an integer. On top of nlohmann's RFC 8259
// grammar the parser enforces our rules: no duplicate keys, a nesting depth
// and a document size limit, no byte-order mark, no number beyond a double.
//
// Thread-safety: JsonValue is a plain value type; a JsonWriter is used by one
// thread at a time; ParseJson and ToJson are reentrant.
#ifndef KAWAL_MOBILE_JSON_H_
#define KAWAL_MOBILE_JSON_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace kawal::mobile {

// Documents larger than this are rejected before parsing (4 MiB): far above
// any record, and a bound on the memory a bad caller can make us use.
inline constexpr size_t kMaxJsonBytes = 4 * 1024 * 1024;
// Arrays and objects nested deeper than this are rejected; the writer and
// JsonValue's destructor recurse, so this also bounds their stack use.
inline constexpr int kMaxJsonDepth = 64;

struct JsonValue {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type = Type::kNull;
  bool boolean = false;     // kBool
  bool is_integer = false;  // kNumber: the literal has no fraction or exponent
  double number = 0;        // kNumber: the nearest double (±0 on underflow)
  // kString: the decoded UTF-8 text. kNumber: the literal exactly as
  // written, so integers beyond 2^53 keep every digit.
  std::string text;
  std::vector<JsonValue> array;                             // kArray
  std::vector<std::pair<std::string, JsonValue>> object;    // kObject, in order

  static JsonValue Null() { return JsonValue(); }
  static JsonValue Bool(bool b) {
    JsonValue v = OfType(Type::kBool);
    v.boolean = b;
    return v;
  }
  static JsonValue Int(int64_t i);
  // Non-finite doubles have no JSON form; they become null (as in
  // sync::ValueToJson).
  static JsonValue Double(double d);
  static JsonValue String(std::string s) {
    JsonValue v = OfType(Type::kString);
    v.text = std::move(s);
    return v;
  }
  static JsonValue Array(std::vector<JsonValue> elements = {}) {
    JsonValue v = OfType(Type::kArray);
    v.array = std::move(elements);
    return v;
  }
  static JsonValue Object(std::vector<std::pair<std::string, JsonValue>> members = {}) {
    JsonValue v = OfType(Type::kObject);
    v.object = std::move(members);
    return v;
  }
  // An empty value of `type`: false, 0 without text, "", [] or {}.
  static JsonValue OfType(Type type) {
    JsonValue v;
    v.type = type;
    return v;
  }

  bool is_null() const { return type == Type::kNull; }
  // The member named `key`, or nullptr (also when this is not an object).
  const JsonValue* Find(absl::string_view key) const;

  friend bool operator==(const JsonValue&, const JsonValue&) = default;
};

// "null", "boolean", "number", "string", "array", "object".
const char* JsonTypeName(JsonValue::Type type);

// Parses one JSON text (RFC 8259): any value at the top level, surrounded
// only by JSON whitespace. Rejects, with INVALID_ARGUMENT naming the 0-based
// byte offset and the problem, e.g. "JSON error at byte 7: duplicate key
// \"a\"" or "JSON error at byte 5: syntax error while parsing value -
// unexpected ']'; ...": trailing commas, leading zeros, NaN/Infinity,
// comments, a byte-order mark, unescaped control characters, invalid UTF-8
// (overlong forms, encoded surrogates, above U+10FFFF), unpaired \u
// surrogates, duplicate object keys, numbers whose magnitude exceeds a
// double, nesting deeper than kMaxJsonDepth and documents larger than
// kMaxJsonBytes. Error messages are valid UTF-8 (bytes quoted as \xNN).
absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

// Builds compact JSON (no whitespace). Calls must nest correctly and every
// object value must follow a Key(); misuse is caught by assert() in debug
// builds and produces invalid JSON otherwise.
//
//   JsonWriter w;
//   w.BeginObject().Key("a").Int(1).Key("b").BeginArray().Bool(true).EndArray().EndObject();
//   w.str() == R"({"a":1,"b":[true]})"
class JsonWriter {
 public:
  JsonWriter& BeginObject() { return Open('{', true); }
  JsonWriter& EndObject() { return Close('}', true); }
  JsonWriter& BeginArray() { return Open('[', false); }
  JsonWriter& EndArray() { return Close(']', false); }
  JsonWriter& Key(absl::string_view key);
  JsonWriter& String(absl::string_view s);
  JsonWriter& Int(int64_t i) { return Raw(absl::StrCat(i)); }
  JsonWriter& Uint(uint64_t u) { return Raw(absl::StrCat(u)); }
  // Shortest text that reads back as the same double, with ".0" added when
  // it would otherwise look like an integer (12.0, not 12; 1e16 as
  // 1e+16) so the type survives a round trip. Non-finite values are
  // written as null.
  JsonWriter& Double(double d);
  JsonWriter& Bool(bool b) { return Raw(b ? "true" : "false"); }
  JsonWriter& Null() { return Raw("null"); }
  // Writes `literal`, which must be a valid JSON number (e.g. the text of a
  // parsed JsonValue): this is how ToJson keeps numbers exactly as written.
  JsonWriter& NumberLiteral(absl::string_view literal) { return Raw(literal); }

  const std::string& str() const { return out_; }
  std::string Release() { return std::move(out_); }
  // True when every container opened has been closed and a value written.
  bool Complete() const { return open_.empty() && !out_.empty(); }

 private:
  // Writes the separator a value needs where it is about to go.
  void BeforeValue();
  JsonWriter& Open(char bracket, bool object);
  JsonWriter& Close(char bracket, bool object);
  JsonWriter& Raw(absl::string_view text);  // a scalar's JSON text

  std::string out_;
  // One entry per open container: true for an object. A vector rather than
  // a depth counter so that misuse can be asserted.
  std::vector<bool> open_;
  bool need_comma_ = false;  // the open container already holds an element
  bool after_key_ = false;   // a Key() was written and awaits its value
};

// Appends `s` as a quoted JSON string. Escapes '"', '\\' and control
// characters; each ill-formed UTF-8 sequence becomes U+FFFD so that the
// output is always valid JSON (schema-validated strings never contain any).
void AppendJsonString(std::string& out, absl::string_view s);

// Compact JSON for a DOM value; numbers keep their original text.
std::string ToJson(const JsonValue& value);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_JSON_H_
