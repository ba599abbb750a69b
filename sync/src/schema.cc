#include "kawal/sync/schema.h"

#include <utility>

namespace kawal::sync {

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kInt: return "integer";
    case FieldType::kDouble: return "number";
    case FieldType::kString: return "string";
    case FieldType::kBool: return "boolean";
    case FieldType::kIntList: return "integer list";
    case FieldType::kStringList: return "string list";
    case FieldType::kAmounts: return "amounts";
  }
  return "unknown";
}

const FieldSpec* CollectionSpec::Find(absl::string_view field) const {
  // Collections have at most a few dozen fields: a linear scan beats a map.
  for (const FieldSpec& spec : fields) {
    if (spec.name == field) return &spec;
  }
  return nullptr;
}

Schema::Schema(std::vector<CollectionSpec> collections) : collections_(std::move(collections)) {}

const CollectionSpec* Schema::Find(absl::string_view collection) const {
  for (const CollectionSpec& spec : collections_) {
    if (spec.name == collection) return &spec;
  }
  return nullptr;
}

}  // namespace kawal::sync
