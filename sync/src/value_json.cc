// ValueFromJson on nlohmann/json's DOM (Debian's nlohmann-json3-dev), the
// only sync/ file that includes it. The texts are short (one field value),
// so the DOM's cost does not matter and its exact integers do.
#include "kawal/sync/value_json.h"

#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace kawal::sync {
namespace {

absl::Status NotA(FieldType type, absl::string_view json) {
  return absl::InvalidArgumentError(absl::StrCat("value ", json.substr(0, 64), " is not ",
                                                 FieldTypeName(type), " JSON"));
}

// nlohmann reads non-negative integers as unsigned: accept those within int64.
bool IsInt(const nlohmann::json& j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX);
  return j.is_number_integer();
}

}  // namespace

absl::StatusOr<Value> ValueFromJson(absl::string_view json, FieldType type) {
  nlohmann::json j = nlohmann::json::parse(json.begin(), json.end(), nullptr,
                                           /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat("value ", json.substr(0, 64), " is not JSON"));
  }
  if (j.is_null()) return Value{Null{}};
  switch (type) {
    case FieldType::kInt:
      if (!IsInt(j)) return NotA(type, json);
      return Value{j.get<int64_t>()};
    case FieldType::kDouble:
      if (!j.is_number()) return NotA(type, json);
      return Value{j.get<double>()};
    case FieldType::kString:
      if (!j.is_string()) return NotA(type, json);
      return Value{j.get<std::string>()};
    case FieldType::kBool:
      if (!j.is_boolean()) return NotA(type, json);
      return Value{j.get<bool>()};
    case FieldType::kIntList:
    case FieldType::kStringList: {
      if (!j.is_array()) return NotA(type, json);
      ScalarList list;
      for (const nlohmann::json& e : j) {
        if (type == FieldType::kIntList && IsInt(e)) {
          list.emplace_back(e.get<int64_t>());
        } else if (type == FieldType::kStringList && e.is_string()) {
          list.emplace_back(e.get<std::string>());
        } else {
          return NotA(type, json);
        }
      }
      return Value{std::move(list)};
    }
    case FieldType::kAmounts: {
      if (!j.is_object()) return NotA(type, json);
      AmountMap amounts;
      for (const auto& [key, amount] : j.items()) {
        if (!IsInt(amount)) return NotA(type, json);
        amounts[key] = amount.get<int64_t>();
      }
      return Value{std::move(amounts)};
    }
  }
  return NotA(type, json);
}

}  // namespace kawal::sync
