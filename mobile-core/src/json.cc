#include "json.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <system_error>
#include <unordered_set>

#include "absl/status/status.h"
#include "absl/strings/charconv.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kawal::mobile {
namespace {

// The two-character escapes: kEscaped[k] is written as '\\' kEscapeLetter[k].
constexpr absl::string_view kEscaped = "\"\\/\b\f\n\r\t";
constexpr absl::string_view kEscapeLetter = "\"\\/bfnrt";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Printable ASCII that a JSON string holds as is.
bool IsPlainAscii(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7:
// no overlong forms, no encoded surrogates, nothing above U+10FFFF), or 0.
size_t Utf8Length(absl::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  const size_t n = c < 0xC2 ? 0 : c <= 0xDF ? 2 : c <= 0xEF ? 3 : c <= 0xF4 ? 4 : 0;
  if (n == 0 || s.size() - i < n) return 0;
  // The lead byte narrows the second byte's range; the rest are 80..BF.
  const unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
  const unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
  }
  return n;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  const int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  static constexpr unsigned char kLead[] = {0, 0x00, 0xC0, 0xE0, 0xF0};
  out.push_back(static_cast<char>(kLead[n] | (cp >> (6 * (n - 1)))));
  for (int k = n - 2; k >= 0; --k) {
    out.push_back(static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F)));
  }
}

// Whether a number literal that from_chars found out of range overflowed
// rather than underflowed: from_chars reports both alike and does not set
// the value reliably. The decimal exponent of the first significant digit
// ("123" → 2, "0.001" → -3) plus the literal's exponent tells them apart.
bool Overflows(absl::string_view lit) {
  const size_t mantissa_end = std::min(lit.find_first_of("eE"), lit.size());
  const absl::string_view mantissa = lit.substr(0, mantissa_end);
  const int64_t int_digits =
      static_cast<int64_t>(std::min(mantissa.find('.'), mantissa.size())) - (lit[0] == '-');
  int64_t lead = 0, zeros = 0;
  for (char c : mantissa) {
    if (c == '0') ++zeros;
    if (IsDigit(c) && c != '0') {
      lead = int_digits - 1 - zeros;
      break;
    }
  }
  int64_t exp = 0;  // saturates: 1e99999999999 must not wrap around
  for (char c : lit.substr(mantissa_end)) {
    if (IsDigit(c)) exp = std::min<int64_t>(exp * 10 + (c - '0'), 1'000'000'000);
  }
  if (mantissa_end + 1 < lit.size() && lit[mantissa_end + 1] == '-') exp = -exp;
  return lead + exp > 0;
}

// A quoted, escaped copy of `s` cut to about `max_bytes`, for error messages.
std::string QuoteForMessage(absl::string_view s, size_t max_bytes = 64) {
  std::string out;
  if (s.size() <= max_bytes) {
    AppendJsonString(out, s);
    return out;
  }
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // char boundary
  AppendJsonString(out, s.substr(0, cut));
  out += "...";
  return out;
}

// Recursive descent over the text; pos_ is the byte offset errors name.
class Parser {
 public:
  explicit Parser(absl::string_view text) : s_(text) {}

  absl::Status ParseDocument(JsonValue& out) {
    SkipWhitespace();
    if (absl::Status st = ParseValue(out, 0); !st.ok()) return st;
    SkipWhitespace();
    if (pos_ != s_.size()) return Error("expected end of document");
    return absl::OkStatus();
  }

 private:
  absl::Status Error(absl::string_view what) const { return ErrorAt(pos_, what); }
  static absl::Status ErrorAt(size_t at, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("JSON error at byte ", at, ": ", what));
  }

  bool At(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool AtDigit() const { return pos_ < s_.size() && IsDigit(s_[pos_]); }

  void SkipWhitespace() {
    while (At(' ') || At('\t') || At('\n') || At('\r')) ++pos_;
  }

  // `depth` counts the containers enclosing this value.
  absl::Status ParseValue(JsonValue& out, int depth) {
    if (pos_ >= s_.size()) return Error("expected a value");
    switch (s_[pos_]) {
      case '{':
      case '[':
        if (depth >= kMaxJsonDepth) {
          return Error(absl::StrCat("expected at most ", kMaxJsonDepth, " levels of nesting"));
        }
        return s_[pos_] == '{' ? ParseObject(out, depth + 1) : ParseArray(out, depth + 1);
      case '"':
        out.type = JsonValue::Type::kString;
        return ParseString(out.text);
      case 't': return ParseLiteral(out, "true");
      case 'f': return ParseLiteral(out, "false");
      case 'n': return ParseLiteral(out, "null");
      default:
        if (At('-') || AtDigit()) return ParseNumber(out);
        return Error("expected a value");
    }
  }

  absl::Status ParseLiteral(JsonValue& out, absl::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Error(absl::StrCat("expected '", word, "'"));
    pos_ += word.size();
    out.type = word == "null" ? JsonValue::Type::kNull : JsonValue::Type::kBool;
    out.boolean = word == "true";
    return absl::OkStatus();
  }

  absl::Status ParseObject(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kObject;
    ++pos_;  // '{'
    SkipWhitespace();
    if (At('}')) return ++pos_, absl::OkStatus();
    std::unordered_set<std::string> keys;  // a scan would be quadratic in big objects
    while (true) {
      if (!At('"')) {
        return Error(out.object.empty() ? "expected a string key or '}'" : "expected a string key");
      }
      const size_t key_at = pos_;
      std::string key;
      if (absl::Status st = ParseString(key); !st.ok()) return st;
      if (!keys.insert(key).second) {
        return ErrorAt(key_at, absl::StrCat("duplicate key ", QuoteForMessage(key)));
      }
      SkipWhitespace();
      if (!At(':')) return Error("expected ':'");
      ++pos_;
      SkipWhitespace();
      // Parse straight into the member's slot: no temporary subtree.
      out.object.emplace_back(std::move(key), JsonValue());
      if (absl::Status st = ParseValue(out.object.back().second, depth); !st.ok()) return st;
      SkipWhitespace();
      if (At('}')) return ++pos_, absl::OkStatus();
      if (!At(',')) return Error("expected ',' or '}'");
      ++pos_;
      SkipWhitespace();
    }
  }

  absl::Status ParseArray(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kArray;
    ++pos_;  // '['
    SkipWhitespace();
    if (At(']')) return ++pos_, absl::OkStatus();
    while (true) {
      out.array.emplace_back();
      if (absl::Status st = ParseValue(out.array.back(), depth); !st.ok()) return st;
      SkipWhitespace();
      if (At(']')) return ++pos_, absl::OkStatus();
      if (!At(',')) return Error("expected ',' or ']'");
      ++pos_;
      SkipWhitespace();
    }
  }

  // Four hex digits at pos_, or -1.
  int32_t Hex4() const {
    if (s_.size() - pos_ < 4) return -1;
    int32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      int h = HexValue(s_[pos_ + k]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }

  absl::Status ParseString(std::string& out) {
    ++pos_;  // '"'
    while (true) {
      // Copy the run of bytes that need no attention in one go.
      const size_t run = pos_;
      while (pos_ < s_.size() && IsPlainAscii(s_[pos_])) ++pos_;
      out.append(s_.data() + run, pos_ - run);
      if (pos_ >= s_.size()) return Error("expected '\"' to end the string");
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') return ++pos_, absl::OkStatus();
      if (c < 0x20) return Error("expected control characters in a string to be escaped");
      if (c >= 0x80) {
        size_t n = Utf8Length(s_, pos_);
        if (n == 0) return Error("expected valid UTF-8 in string");
        out.append(s_.data() + pos_, n);
        pos_ += n;
        continue;
      }
      if (absl::Status st = ParseEscape(out); !st.ok()) return st;
    }
  }

  absl::Status ParseEscape(std::string& out) {
    const size_t escape_at = pos_;
    ++pos_;  // '\\'
    const char e = pos_ < s_.size() ? s_[pos_] : '\0';
    ++pos_;
    if (size_t k = kEscapeLetter.find(e); k != absl::string_view::npos) {
      out.push_back(kEscaped[k]);
      return absl::OkStatus();
    }
    if (e != 'u') {
      return ErrorAt(escape_at, R"(expected an escape: \" \\ \/ \b \f \n \r \t or \uXXXX)");
    }
    int32_t cp = Hex4();
    if (cp < 0) return Error("expected 4 hex digits after \\u");
    pos_ += 4;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return ErrorAt(escape_at, "expected a high surrogate before a low surrogate escape");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      // UTF-16 pair: the low half must follow immediately as another escape.
      int32_t low = s_.substr(pos_, 2) == "\\u" ? (pos_ += 2, Hex4()) : -1;
      if (low < 0xDC00 || low > 0xDFFF) {
        return ErrorAt(escape_at, "expected a \\u low surrogate escape after a high surrogate");
      }
      pos_ += 4;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(out, static_cast<uint32_t>(cp));
    return absl::OkStatus();
  }

  absl::Status ParseNumber(JsonValue& out) {
    const size_t start = pos_;
    if (At('-')) ++pos_;
    if (!AtDigit()) return Error("expected a digit");
    bool integer = true;
    if (At('0')) {
      ++pos_;
      if (AtDigit()) return Error("expected no leading zeros in a number");
    } else {
      while (AtDigit()) ++pos_;
    }
    if (At('.')) {
      ++pos_, integer = false;
      if (!AtDigit()) return Error("expected a digit after '.'");
      while (AtDigit()) ++pos_;
    }
    if (At('e') || At('E')) {
      ++pos_, integer = false;
      if (At('+') || At('-')) ++pos_;
      if (!AtDigit()) return Error("expected a digit in the exponent");
      while (AtDigit()) ++pos_;
    }
    absl::string_view literal = s_.substr(start, pos_ - start);
    // absl::from_chars ignores the C locale, unlike strtod.
    double d = 0;
    const char* const end = literal.data() + literal.size();
    absl::from_chars_result r = absl::from_chars(literal.data(), end, d);
    if (r.ec == std::errc::result_out_of_range) {
      if (Overflows(literal)) {
        return ErrorAt(start, "expected a number within the range of a double");
      }
      d = literal[0] == '-' ? -0.0 : 0.0;  // underflow: zero is the nearest double
    } else if (r.ec != std::errc() || r.ptr != end) {
      return ErrorAt(start, "expected a number");  // unreachable: grammar checked above
    }
    out.type = JsonValue::Type::kNumber;
    out.number = d;
    out.is_integer = integer;
    out.text = std::string(literal);
    return absl::OkStatus();
  }

  absl::string_view s_;
  size_t pos_ = 0;
};

// Shortest round-trip text, ".0" added when it would read as an integer.
std::string FormatDouble(double d) {
  char buf[64];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

void Write(JsonWriter& w, const JsonValue& v) {
  switch (v.type) {
    case JsonValue::Type::kNull: w.Null(); return;
    case JsonValue::Type::kBool: w.Bool(v.boolean); return;
    case JsonValue::Type::kNumber:  // from the double only if built without a literal
      v.text.empty() ? w.Double(v.number) : w.NumberLiteral(v.text);
      return;
    case JsonValue::Type::kString: w.String(v.text); return;
    case JsonValue::Type::kArray:
      w.BeginArray();
      for (const JsonValue& e : v.array) Write(w, e);
      w.EndArray();
      return;
    case JsonValue::Type::kObject:
      w.BeginObject();
      for (const auto& [key, value] : v.object) Write(w.Key(key), value);
      w.EndObject();
      return;
  }
}

}  // namespace

JsonValue JsonValue::Int(int64_t i) {
  JsonValue v = OfType(Type::kNumber);
  v.is_integer = true;
  v.number = static_cast<double>(i);
  v.text = absl::StrCat(i);
  return v;
}

JsonValue JsonValue::Double(double d) {
  if (!std::isfinite(d)) return Null();
  JsonValue v = OfType(Type::kNumber);
  v.number = d;
  v.text = FormatDouble(d);
  return v;
}

const JsonValue* JsonValue::Find(absl::string_view key) const {
  for (const auto& [k, value] : object) {
    if (k == key) return &value;
  }
  return nullptr;
}

const char* JsonTypeName(JsonValue::Type type) {
  static constexpr const char* kNames[] = {"null", "boolean", "number", "string", "array", "object"};
  return kNames[static_cast<int>(type)];  // in the order of JsonValue::Type
}

absl::StatusOr<JsonValue> ParseJson(absl::string_view text) {
  if (text.size() > kMaxJsonBytes) {
    return absl::InvalidArgumentError(absl::StrCat("JSON error at byte ", kMaxJsonBytes,
                                                   ": expected at most ", kMaxJsonBytes,
                                                   " bytes, got ", text.size()));
  }
  JsonValue value;
  if (absl::Status st = Parser(text).ParseDocument(value); !st.ok()) return st;
  return value;
}

void AppendJsonString(std::string& out, absl::string_view s) {
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = Utf8Length(s, i);
      if (n == 0) {
        out += "\\ufffd";  // keep the output valid JSON; see header
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    // '/' needs no escape; writing it plainly matches sync::ValueToJson.
    const size_t k = c == '/' ? absl::string_view::npos : kEscaped.find(static_cast<char>(c));
    if (k != absl::string_view::npos) {
      out.push_back('\\');
      out.push_back(kEscapeLetter[k]);
    } else if (c < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
    ++i;
  }
  out.push_back('"');
}

void JsonWriter::BeforeValue() {
  if (open_.empty()) {
    assert(out_.empty() && "JsonWriter: only one top-level value");
    return;
  }
  if (open_.back()) {
    assert(after_key_ && "JsonWriter: object value without Key()");
    after_key_ = false;
  } else {
    if (need_comma_) out_.push_back(',');
    need_comma_ = true;
  }
}

JsonWriter& JsonWriter::Open(char bracket, bool object) {
  BeforeValue();
  out_.push_back(bracket);
  open_.push_back(object);
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket, [[maybe_unused]] bool object) {
  assert(!open_.empty() && open_.back() == object && !after_key_ && "JsonWriter: bad nesting");
  out_.push_back(bracket);
  open_.pop_back();
  need_comma_ = true;  // the enclosing container now holds this one
  return *this;
}

JsonWriter& JsonWriter::Raw(absl::string_view text) {
  BeforeValue();
  out_.append(text.data(), text.size());
  return *this;
}

JsonWriter& JsonWriter::Key(absl::string_view key) {
  assert(!open_.empty() && open_.back() && !after_key_ && "JsonWriter: Key() outside an object");
  if (need_comma_) out_.push_back(',');
  need_comma_ = true;
  AppendJsonString(out_, key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(absl::string_view s) {
  BeforeValue();
  AppendJsonString(out_, s);
  return *this;
}

JsonWriter& JsonWriter::Double(double d) {
  return std::isfinite(d) ? Raw(FormatDouble(d)) : Null();
}

std::string ToJson(const JsonValue& value) {
  JsonWriter w;
  Write(w, value);
  return w.Release();
}

}  // namespace kawal::mobile
