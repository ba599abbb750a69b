#include "kawal/sync/record.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kawal::sync {

bool RecordState::Visible() const {
  for (const auto& [name, field] : fields) {
    if (field.stamp > tombstone) return true;
  }
  return false;
}

Stamp RecordState::MaxStamp() const {
  Stamp max = tombstone;
  for (const auto& [name, field] : fields) max = std::max(max, field.stamp);
  return max;
}

const Value* RecordState::Get(const std::string& field) const {
  auto it = fields.find(field);
  if (it == fields.end() || std::holds_alternative<Null>(it->second.value)) return nullptr;
  return &it->second.value;
}

std::string RecordState::GetString(const std::string& field) const {
  const Value* v = Get(field);
  const auto* s = v != nullptr ? std::get_if<std::string>(v) : nullptr;
  return s != nullptr ? *s : "";
}

int64_t RecordState::GetInt(const std::string& field) const {
  const Value* v = Get(field);
  const auto* i = v != nullptr ? std::get_if<int64_t>(v) : nullptr;
  return i != nullptr ? *i : 0;
}

bool RecordState::GetBool(const std::string& field) const {
  const Value* v = Get(field);
  const auto* b = v != nullptr ? std::get_if<bool>(v) : nullptr;
  return b != nullptr && *b;
}

Stamp RecordDelta::MaxStamp() const {
  Stamp max = tombstone;
  for (const FieldChange& change : changes) max = std::max(max, change.stamp);
  return max;
}

std::vector<std::string> RecordState::GetStrings(const std::string& field) const {
  std::vector<std::string> out;
  const Value* v = Get(field);
  const auto* list = v != nullptr ? std::get_if<ScalarList>(v) : nullptr;
  if (list == nullptr) return out;
  for (const Scalar& item : *list) {
    if (const auto* i = std::get_if<int64_t>(&item)) out.push_back(absl::StrCat(*i));
    if (const auto* s = std::get_if<std::string>(&item)) out.push_back(*s);
  }
  return out;
}

}  // namespace kawal::sync
