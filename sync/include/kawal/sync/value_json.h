// Reading back the JSON that ValueToJson (value.h) writes, typed by the
// field's schema type: how a conflict record's winner and loser values
// (stored as JSON text) become values again, to restore a lost value
// (docs/sync-model.md, Settling conflicts).
//
// Thread-safety: pure function.
#ifndef KAWAL_SYNC_VALUE_JSON_H_
#define KAWAL_SYNC_VALUE_JSON_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/value.h"

namespace kawal::sync {

// `json` as a value of `type` (JSON null: Null). INVALID_ARGUMENT naming
// what was expected when the text is not JSON or not of that type.
// ValueFromJson(ValueToJson(v), type) == v for every v of that type.
absl::StatusOr<Value> ValueFromJson(absl::string_view json, FieldType type);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_VALUE_JSON_H_
