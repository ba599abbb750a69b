#include "kawal/sync/record.h"

#include <algorithm>

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

Stamp RecordDelta::MaxStamp() const {
  Stamp max = tombstone;
  for (const FieldChange& change : changes) max = std::max(max, change.stamp);
  return max;
}

}  // namespace kawal::sync
