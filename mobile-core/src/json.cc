// ParseJson and the writer's scalars on nlohmann/json (the only file that
// includes it, so the rest of the build does not pay for the header).
//
// Parsing uses nlohmann's SAX interface rather than its DOM: the handler
// builds a JsonValue directly, rejects duplicate keys and deep nesting as
// they are met, and keeps each number's literal text. nlohmann's lexer does
// the grammar, string escapes and UTF-8 validation.
#include "json.h"

#include <cassert>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "kawal/sync/utf8.h"

namespace kawal::mobile {
namespace {

using Json = nlohmann::json;

absl::Status ErrorAt(size_t at, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("JSON error at byte ", at, ": ", what));
}

// A pointer into the text that records how far nlohmann's lexer has read,
// which the SAX events do not say: each dereference moves the mark past the
// byte read.
class TrackingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator(const char* p, const char** read_end) : p_(p), read_end_(read_end) {}
  reference operator*() const {
    *read_end_ = p_ + 1;
    return *p_;
  }
  TrackingIterator& operator++() {
    ++p_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++p_;
    return old;
  }
  // The only comparison nlohmann's input adapter makes.
  friend bool operator!=(const TrackingIterator& a, const TrackingIterator& b) {
    return a.p_ != b.p_;
  }

 private:
  const char* p_;
  const char** read_end_;
};

bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Builds the JsonValue as nlohmann reports the document; the first error
// (its own or the lexer's) is kept in error_.
class DomBuilder {
 public:
  // nlohmann's exception id for a number beyond the range of a double.
  static constexpr int kNumberOverflow = 406;

  DomBuilder(absl::string_view text, const char** read_end)
      : text_(text), read_end_(read_end) {}

  bool null() { return Add(JsonValue::Null()); }
  bool boolean(bool b) { return Add(JsonValue::Bool(b)); }
  bool number_integer(Json::number_integer_t i) { return AddNumber(static_cast<double>(i)); }
  bool number_unsigned(Json::number_unsigned_t u) { return AddNumber(static_cast<double>(u)); }
  // Also integers beyond 64 bits, as nlohmann's lexer falls back to strtod.
  bool number_float(Json::number_float_t d, const Json::string_t& /*literal*/) {
    return AddNumber(d);
  }
  bool string(Json::string_t& s) { return Add(JsonValue::String(std::move(s))); }
  bool binary(Json::binary_t& /*bytes*/) { return Fail(Offset(), "unexpected binary value"); }

  bool start_object(std::size_t /*elements*/) { return Open(JsonValue::Type::kObject); }
  bool start_array(std::size_t /*elements*/) { return Open(JsonValue::Type::kArray); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(Json::string_t& key) {
    if (!keys_.back().insert(key).second) {
      return Fail(KeyStart(), absl::StrCat("duplicate key ", QuoteForMessage(key)));
    }
    key_ = std::move(key);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& e) {
    // e.what(): "[json.exception.parse_error.101] parse error at line 1,
    // column 5: syntax error while parsing value - unexpected ']'; ...".
    // The byte offset replaces the line and column (documents are one line
    // more often than not); `position` counts the bytes read, the failing
    // one included.
    if (e.id == kNumberOverflow) {
      return Fail(NumberLiteral().data() - text_.data(),
                  "expected a number within the range of a double");
    }
    absl::string_view what = e.what();
    if (size_t at = what.find(": "); at != absl::string_view::npos) what.remove_prefix(at + 2);
    // "last read" quotes the raw bytes, which may be invalid UTF-8.
    return Fail(position > 0 ? position - 1 : 0, sync::EscapeInvalidUtf8(what));
  }

  absl::Status status() const { return error_; }
  JsonValue& root() { return root_; }

 private:
  // Byte offset just past what the lexer has read.
  size_t Offset() const { return *read_end_ - text_.data(); }

  bool Fail(size_t at, absl::string_view what) {
    if (error_.ok()) error_ = ErrorAt(at, what);
    return false;
  }

  // Where the value goes: the root, the end of the open array or a member
  // of the open object under the key just read. Returns it.
  JsonValue* Place(JsonValue value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    JsonValue& parent = *open_.back();
    if (parent.type == JsonValue::Type::kArray) {
      parent.array.push_back(std::move(value));
      return &parent.array.back();
    }
    parent.object.emplace_back(std::move(key_), std::move(value));
    return &parent.object.back().second;
  }

  bool Add(JsonValue value) {
    Place(std::move(value));
    return true;
  }

  // The number's literal is the run of number characters the lexer has just
  // read, less the byte after it that ended it (none at the end of text).
  absl::string_view NumberLiteral() const {
    size_t end = Offset();
    if (end > 0 && !IsNumberChar(text_[end - 1])) --end;
    size_t start = end;
    while (start > 0 && IsNumberChar(text_[start - 1])) --start;
    return text_.substr(start, end - start);
  }

  bool AddNumber(double d) {
    absl::string_view literal = NumberLiteral();
    JsonValue v = JsonValue::OfType(JsonValue::Type::kNumber);
    v.is_integer = literal.find_first_of(".eE") == absl::string_view::npos;
    v.number = !literal.empty() && literal[0] == '-' && d == 0 ? -0.0 : d;  // "-0" is an integer
    v.text = std::string(literal);
    return Add(std::move(v));
  }

  bool Open(JsonValue::Type type) {
    if (open_.size() >= static_cast<size_t>(kMaxJsonDepth)) {
      return Fail(Offset() - 1,
                  absl::StrCat("expected at most ", kMaxJsonDepth, " levels of nesting"));
    }
    open_.push_back(Place(JsonValue::OfType(type)));
    if (type == JsonValue::Type::kObject) keys_.emplace_back();
    return true;
  }

  bool Close() {
    if (open_.back()->type == JsonValue::Type::kObject) keys_.pop_back();
    open_.pop_back();
    return true;
  }

  // The opening quote of the key just read: the nearest '"' before its
  // closing one that no backslash escapes.
  size_t KeyStart() const {
    size_t at = Offset() - 1;  // the closing quote
    while (at > 0) {
      --at;
      if (text_[at] != '"') continue;
      size_t backslashes = 0;
      while (at > backslashes && text_[at - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return at;
    }
    return 0;
  }

  static std::string QuoteForMessage(absl::string_view s, size_t max_bytes = 64) {
    std::string out;
    if (s.size() <= max_bytes) {
      AppendJsonString(out, s);
      return out;
    }
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    AppendJsonString(out, s.substr(0, cut));
    out += "...";
    return out;
  }

  absl::string_view text_;
  const char** read_end_;
  JsonValue root_;
  std::vector<JsonValue*> open_;  // the open containers, innermost last
  std::vector<std::unordered_set<std::string>> keys_;  // per open object
  std::string key_;  // the key of the member whose value comes next
  absl::Status error_;
};

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
  v.text = Json(d).dump();
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
    return ErrorAt(kMaxJsonBytes, absl::StrCat("expected at most ", kMaxJsonBytes,
                                               " bytes, got ", text.size()));
  }
  // nlohmann skips a byte-order mark; RFC 8259 lets a parser reject one,
  // and a caller that sends one has a bug worth seeing.
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) {
    return ErrorAt(0, "expected a value, not a byte-order mark");
  }
  const char* read_end = text.data();
  DomBuilder builder(text, &read_end);
  const bool ok = Json::sax_parse(TrackingIterator(text.data(), &read_end),
                                  TrackingIterator(text.data() + text.size(), &read_end),
                                  &builder, nlohmann::detail::input_format_t::json,
                                  /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) {
    absl::Status error = builder.status();
    return error.ok() ? ErrorAt(0, "invalid JSON") : error;
  }
  return std::move(builder.root());
}

void AppendJsonString(std::string& out, absl::string_view s) {
  // nlohmann escapes '"', '\\' and control characters (\b \f \n \r \t by
  // name, the rest as \u00XX) and, with `replace`, writes U+FFFD for
  // invalid UTF-8; '/' and non-ASCII text pass through.
  out += Json(std::string(s)).dump(-1, ' ', /*ensure_ascii=*/false,
                                   Json::error_handler_t::replace);
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

// nlohmann writes the shortest text that reads back as the same double, with
// ".0" when it would look like an integer (12.0, not 12), so the type
// survives a round trip.
JsonWriter& JsonWriter::Double(double d) {
  return std::isfinite(d) ? Raw(Json(d).dump()) : Null();
}

std::string ToJson(const JsonValue& value) {
  JsonWriter w;
  Write(w, value);
  return w.Release();
}

}  // namespace kawal::mobile
