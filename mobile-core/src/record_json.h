// Records and field values as JSON, typed by the schema (sync/schema.h).
//
// The mobile core's callers speak JSON; the sync core speaks sync::Value. JSON
// alone cannot tell an integer field from a number field, so conversion in
// is driven by the field's FieldType, and conversion out keeps the type
// visible (12 for an integer, 12.0 for a double).
//
// Thread-safety: stateless functions, reentrant.
#ifndef KAWAL_MOBILE_RECORD_JSON_H_
#define KAWAL_MOBILE_RECORD_JSON_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "json.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/record.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/value.h"

namespace kawal::mobile {

// Converts one JSON value to the type of `spec`:
//   kInt        integer literal within int64 (1.5, 1e2 and 2^63 rejected)
//   kDouble     any number
//   kString     string            kBool  true or false
//   kIntList    array of integer literals
//   kStringList array of strings
//   kAmounts    object of key → integer literal (rupiah), keys unique
//   null        sync::Null (clears the field), for every type
// Mismatches are INVALID_ARGUMENT naming the field, what it expects and
// what it got: "field 'sector' expects an integer, got string \"dua\"".
// Range, length, allowed-value and format rules are NOT checked here; the
// caller runs sync::ValidateValue so devices and server share one rule set.
absl::StatusOr<sync::Value> ValueFromJson(const sync::FieldSpec& spec, const JsonValue& json);

// Parses `json_object_text`, an object of field name → value, into typed
// values in document order. INVALID_ARGUMENT for malformed JSON, a
// non-object, an unknown field ("unknown field 'foo' for activity") or a
// value of the wrong type. Duplicate names are rejected by the parser.
// No range validation (see ValueFromJson).
absl::StatusOr<std::vector<std::pair<std::string, sync::Value>>> FieldsFromJson(
    const sync::CollectionSpec& spec, absl::string_view json_object_text);

// The same for an already parsed JSON object.
absl::StatusOr<std::vector<std::pair<std::string, sync::Value>>> FieldsFromJsonValue(
    const sync::CollectionSpec& spec, const JsonValue& json);

// Writes `value` as one JSON value: null, 12, 12.0, "text", true, [1,2],
// {"ADD":5,"DDS":100} (amount keys in byte order).
void WriteValueJson(JsonWriter& writer, const sync::Value& value);

struct RecordJsonOptions {
  // Adds "stamps" (field name → "wall_ms.counter.node-hex" for each field
  // written in "fields", plus "_deleted" for the tombstone when there is
  // one) and "seq" (the server sequence of the latest change).
  bool include_stamps = false;
  // A deleted record is written with "deleted":true and no fields unless
  // this is set, in which case the values it held are kept (for an undo or
  // trash view).
  bool include_deleted = false;
};

// One record as a JSON object:
//   {"collection":"activity","id":"a1","scope":"62.10.01.2001",
//    "deleted":false,"fields":{"budget":{"ADD":5,"DDS":100},"name":"...",...}}
// then, with include_stamps, "stamps":{...} and "seq":N. Fields appear
// sorted by name under their schema names; null-valued fields are omitted.
std::string RecordToJson(const sync::RecordState& state, const RecordJsonOptions& options = {});

// Photos known on a device as a JSON array of objects with the fields of
// PhotoView (record_id, report_id, activity_id, scope, sha256, stage,
// content_type, size, local, uploaded, last_error).
std::string PhotosToJson(const std::vector<PhotoView>& photos);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_RECORD_JSON_H_
