// Conversions between the sync core's C++ types and the kawal.v1 messages.
//
// Decoding checks structure only (e.g. a list element with no kind, a field
// named twice); the schema checks meaning (schema.h).
//
// Thread-safety: pure functions.
#ifndef KAWAL_SYNC_CODEC_H_
#define KAWAL_SYNC_CODEC_H_

#include "absl/status/statusor.h"
#include "kawal/sync/record.h"
#include "kawal/sync/stamp.h"
#include "kawal/sync/value.h"
#include "kawal/v1/record.pb.h"

namespace kawal::sync {

void ToProto(const Stamp& stamp, v1::Stamp* out);
Stamp FromProto(const v1::Stamp& stamp);

void ToProto(const Value& value, v1::Value* out);
// INVALID_ARGUMENT (RejectCode::kMalformed) when a list element has no kind.
absl::StatusOr<Value> FromProto(const v1::Value& value);

// Encodes every field; `whole` is set.
void ToProto(const RecordState& state, v1::Record* out);
// Fields named twice are kMalformed.
absl::StatusOr<RecordState> FromProto(const v1::Record& record);

void ToProto(const RecordDelta& delta, v1::RecordDelta* out);
absl::StatusOr<RecordDelta> FromProto(const v1::RecordDelta& delta);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_CODEC_H_
