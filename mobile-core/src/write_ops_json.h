// Write operations (Device::WriteBatch) as JSON, shared by the C API
// (kawal_write_batch: a JSON array) and kawal-field import (one JSON
// object per line). One operation:
//   {"op":"create","collection":"activity","scope":"62.10.01.2001",
//    "id":"optional-own-id","fields":{"name":"Jalan",...}}
//   {"op":"update","collection":"activity","id":"…","fields":{...}}
//   {"op":"delete","collection":"activity","id":"…"}
// Field values are typed by the schema as in record_json.h. Range and
// format rules are checked when the batch is staged, not here.
//
// Thread-safety: stateless functions, reentrant.
#ifndef KAWAL_MOBILE_WRITE_OPS_JSON_H_
#define KAWAL_MOBILE_WRITE_OPS_JSON_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "json.h"
#include "kawal/mobile/device.h"

namespace kawal::mobile {

// One operation from a parsed JSON object. INVALID_ARGUMENT naming the
// problem: an unknown "op" or key, a missing collection, scope or id, a
// create or delete with the wrong keys, fields of the wrong type.
absl::StatusOr<WriteOp> WriteOpFromJson(const JsonValue& json);

// One operation from the text of one JSON object (a line of an import).
absl::StatusOr<WriteOp> WriteOpFromJsonText(absl::string_view text);

// Operations from a JSON array of objects; an error names the element
// ("op 3: ...").
absl::StatusOr<std::vector<WriteOp>> WriteOpsFromJsonArray(absl::string_view text);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_WRITE_OPS_JSON_H_
