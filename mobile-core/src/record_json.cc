#include "record_json.h"

#include <cstdint>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "kawal/sync/stamp.h"

namespace kawal::mobile {
namespace {

using Type = JsonValue::Type;

// Cuts untrusted text for an error message, on a UTF-8 character boundary.
std::string Shorten(absl::string_view s, size_t max_bytes = 64) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(s.substr(0, cut), "...");
}

// "string \"dua\"", "number 1.5", "array [1,2]": what the caller sent.
std::string Describe(const JsonValue& json) {
  if (json.type == Type::kNull) return "null";
  return absl::StrCat(JsonTypeName(json.type), " ", Shorten(ToJson(json)));
}

// What a field of `type` accepts, for error messages.
const char* Expectation(sync::FieldType type) {
  switch (type) {
    case sync::FieldType::kInt: return "an integer";
    case sync::FieldType::kDouble: return "a number";
    case sync::FieldType::kString: return "a string";
    case sync::FieldType::kBool: return "true or false";
    case sync::FieldType::kIntList: return "an array of integers";
    case sync::FieldType::kStringList: return "an array of strings";
    case sync::FieldType::kAmounts: return "an object of integer amounts";
  }
  return "a value";
}

// `what` names the place: "field 'year'", "field 'sdg_goals' element 2".
absl::Status Mismatch(absl::string_view what, absl::string_view expected, const JsonValue& got) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, " expects ", expected, ", got ", Describe(got)));
}

// An integer literal within int64. Only literals count: 1.0 and 1e2 are
// numbers, and accepting them would let a double field's value slip into
// an integer field unnoticed.
absl::StatusOr<int64_t> IntFrom(absl::string_view what, const JsonValue& json) {
  if (json.type != Type::kNumber || !json.is_integer) return Mismatch(what, "an integer", json);
  int64_t i;
  if (!absl::SimpleAtoi(json.text, &i)) {
    return Mismatch(what, "an integer within the 64-bit range", json);
  }
  return i;
}

void WriteScalar(JsonWriter& w, const sync::Scalar& s) {
  if (const auto* i = std::get_if<int64_t>(&s)) {
    w.Int(*i);
  } else if (const auto* d = std::get_if<double>(&s)) {
    w.Double(*d);
  } else if (const auto* str = std::get_if<std::string>(&s)) {
    w.String(*str);
  } else {
    w.Bool(std::get<bool>(s));
  }
}

}  // namespace

absl::StatusOr<sync::Value> ValueFromJson(const sync::FieldSpec& spec, const JsonValue& json) {
  if (json.type == Type::kNull) return sync::Value{sync::Null{}};
  const std::string what = absl::StrCat("field '", spec.name, "'");
  switch (spec.type) {
    case sync::FieldType::kInt: {
      absl::StatusOr<int64_t> i = IntFrom(what, json);
      if (!i.ok()) return i.status();
      return sync::Value{*i};
    }
    case sync::FieldType::kDouble:
      if (json.type != Type::kNumber) return Mismatch(what, Expectation(spec.type), json);
      return sync::Value{json.number};
    case sync::FieldType::kString:
      if (json.type != Type::kString) return Mismatch(what, Expectation(spec.type), json);
      return sync::Value{json.text};
    case sync::FieldType::kBool:
      if (json.type != Type::kBool) return Mismatch(what, Expectation(spec.type), json);
      return sync::Value{json.boolean};
    case sync::FieldType::kIntList:
    case sync::FieldType::kStringList: {
      if (json.type != Type::kArray) return Mismatch(what, Expectation(spec.type), json);
      const bool ints = spec.type == sync::FieldType::kIntList;
      sync::ScalarList list;
      list.reserve(json.array.size());
      for (size_t k = 0; k < json.array.size(); ++k) {
        const JsonValue& e = json.array[k];
        const std::string where = absl::StrCat(what, " element ", k);
        if (ints) {
          absl::StatusOr<int64_t> i = IntFrom(where, e);
          if (!i.ok()) return i.status();
          list.emplace_back(*i);
        } else {
          if (e.type != Type::kString) return Mismatch(where, "a string", e);
          list.emplace_back(e.text);
        }
      }
      return sync::Value{std::move(list)};
    }
    case sync::FieldType::kAmounts: {
      if (json.type != Type::kObject) return Mismatch(what, Expectation(spec.type), json);
      sync::AmountMap amounts;
      for (const auto& [key, amount] : json.object) {
        std::string quoted;
        AppendJsonString(quoted, Shorten(key));
        absl::StatusOr<int64_t> i = IntFrom(absl::StrCat(what, " key ", quoted), amount);
        if (!i.ok()) return i.status();
        // ParseJson rejects duplicate keys, but a hand-built DOM may not.
        if (!amounts.emplace(key, *i).second) {
          return absl::InvalidArgumentError(absl::StrCat(what, " repeats key ", quoted));
        }
      }
      return sync::Value{std::move(amounts)};
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(what, " has an unknown type"));
}

absl::StatusOr<std::vector<std::pair<std::string, sync::Value>>> FieldsFromJson(
    const sync::CollectionSpec& spec, absl::string_view json_object_text) {
  absl::StatusOr<JsonValue> json = ParseJson(json_object_text);
  if (!json.ok()) return json.status();
  return FieldsFromJsonValue(spec, *json);
}

absl::StatusOr<std::vector<std::pair<std::string, sync::Value>>> FieldsFromJsonValue(
    const sync::CollectionSpec& spec, const JsonValue& json) {
  if (json.type != Type::kObject) {
    return absl::InvalidArgumentError(absl::StrCat("expected a JSON object of ", spec.name,
                                                   " fields, got ", JsonTypeName(json.type)));
  }
  std::vector<std::pair<std::string, sync::Value>> fields;
  fields.reserve(json.object.size());
  for (const auto& [name, value] : json.object) {
    const sync::FieldSpec* field = spec.Find(name);
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown field '", Shorten(name), "' for ", spec.name));
    }
    absl::StatusOr<sync::Value> v = ValueFromJson(*field, value);
    if (!v.ok()) return v.status();
    fields.emplace_back(name, *std::move(v));
  }
  return fields;
}

void WriteValueJson(JsonWriter& w, const sync::Value& value) {
  if (std::holds_alternative<sync::Null>(value)) {
    w.Null();
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    w.Int(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    w.Double(*d);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    w.String(*s);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    w.Bool(*b);
  } else if (const auto* list = std::get_if<sync::ScalarList>(&value)) {
    w.BeginArray();
    for (const sync::Scalar& s : *list) WriteScalar(w, s);
    w.EndArray();
  } else {
    w.BeginObject();
    for (const auto& [key, amount] : std::get<sync::AmountMap>(value)) w.Key(key).Int(amount);
    w.EndObject();
  }
}

std::string RecordToJson(const sync::RecordState& state, const RecordJsonOptions& options) {
  const bool deleted = !state.tombstone.IsZero() && !state.Visible();
  const bool with_fields = !deleted || options.include_deleted;
  auto written = [&](const sync::FieldState& f) {
    return with_fields && !std::holds_alternative<sync::Null>(f.value);
  };

  JsonWriter w;
  w.BeginObject();
  w.Key("collection").String(state.collection);
  w.Key("id").String(state.id);
  w.Key("scope").String(state.scope);
  w.Key("deleted").Bool(deleted);
  // std::map iterates in byte order of the names: the sorted order promised.
  w.Key("fields").BeginObject();
  for (const auto& [name, field] : state.fields) {
    if (written(field)) WriteValueJson(w.Key(name), field.value);
  }
  w.EndObject();
  if (options.include_stamps) {
    w.Key("stamps").BeginObject();
    // "_deleted" sorts before every schema field name (they start with a
    // lowercase letter), so writing it first keeps the keys sorted.
    if (!state.tombstone.IsZero()) {
      w.Key(sync::kDeletedField).String(sync::StampToString(state.tombstone));
    }
    for (const auto& [name, field] : state.fields) {
      if (written(field)) w.Key(name).String(sync::StampToString(field.stamp));
    }
    w.EndObject();
    w.Key("seq").Uint(state.seq);
  }
  w.EndObject();
  return w.Release();
}

std::string PhotosToJson(const std::vector<PhotoView>& photos) {
  JsonWriter w;
  w.BeginArray();
  for (const PhotoView& p : photos) {
    w.BeginObject().Key("record_id").String(p.record_id).Key("report_id").String(p.report_id);
    w.Key("activity_id").String(p.activity_id).Key("scope").String(p.scope);
    w.Key("sha256").String(p.sha256).Key("stage").String(p.stage);
    w.Key("content_type").String(p.content_type).Key("size").Uint(p.size);
    w.Key("local").Bool(p.local).Key("uploaded").Bool(p.uploaded);
    w.Key("last_error").String(p.last_error).EndObject();
  }
  w.EndArray();
  return w.Release();
}

}  // namespace kawal::mobile
