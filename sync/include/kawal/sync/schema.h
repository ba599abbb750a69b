// The domain schema: collections, their fields, types and validation rules
// (docs/architecture.md §2, docs/domain.md). The server and every device validate with the
// same schema, so a write a device accepted locally is accepted by the
// server unless its scope or clock is wrong.
//
// Thread-safety: the schema is immutable after construction; Default() is
// safe to call from any thread.
#ifndef KAWAL_SYNC_SCHEMA_H_
#define KAWAL_SYNC_SCHEMA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "kawal/sync/record.h"
#include "kawal/sync/value.h"

namespace kawal::sync {

inline constexpr uint32_t kSchemaVersion = 1;

// Collection names.
inline constexpr char kVillage[] = "village";
inline constexpr char kActivity[] = "activity";
inline constexpr char kProgressReport[] = "progress_report";
inline constexpr char kPhoto[] = "photo";
inline constexpr char kConflict[] = "conflict";
inline constexpr char kFollowUp[] = "follow_up";

// How a conflict was settled (conflict.resolution; absent: still open).
// The resolution fields are the only ones of a conflict a device writes.
inline constexpr char kKeptWinner[] = "kept_winner";        // the merged value stays
inline constexpr char kRestoredLoser[] = "restored_loser";  // the lost value written again
inline constexpr char kDismissed[] = "dismissed";           // closed with a note

// A follow-up still to be done (status open or in_progress): what the
// device lists by default, what reports count as open and may be overdue.
inline bool FollowUpPending(absl::string_view status) {
  return status == "open" || status == "in_progress";
}

// The largest photo any server accepts (a server's own limit, a flag, may be
// lower): the schema bound of photo.size_bytes.
inline constexpr int64_t kMaxPhotoBytes = 64 << 20;

enum class FieldType { kInt, kDouble, kString, kBool, kIntList, kStringList, kAmounts };
const char* FieldTypeName(FieldType type);

// One field of a collection and its rule.
struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kString;
  bool required = false;         // a visible record must hold a non-null value
  bool device_writable = true;   // devices (facilitators) may write it
  // kInt, kIntList elements, kAmounts amounts: inclusive bounds.
  int64_t int_min = INT64_MIN;
  int64_t int_max = INT64_MAX;
  // kDouble: inclusive bounds; NaN and infinities are always invalid.
  double double_min = -1e300;
  double double_max = 1e300;
  // kString, kStringList elements, kAmounts keys: length bounds in bytes
  // (UTF-8 must be valid).
  size_t min_length = 0;
  size_t max_length = 1000;
  // kString / kStringList elements / kAmounts keys: allowed values when
  // non-empty.
  std::vector<std::string> allowed;
  // kIntList / kStringList: maximum number of elements; elements unique.
  size_t max_items = 32;
  // kString: a format check beyond length ("date" YYYY-MM-DD,
  // "activity_code" BB.SS.KK, "record_id", "region_code", "sha256" 64 lowercase hex), or empty.
  std::string format;
};

// Who is writing: devices are bound by device_writable and creatability;
// the server (seeding, conflict records) is not.
enum class Writer { kDevice, kServer };

struct CollectionSpec {
  std::string name;
  bool append_only = false;      // created once, never changed or deleted
  bool device_creatable = true;  // devices may create records
  bool device_deletable = true;  // devices may delete records
  std::vector<FieldSpec> fields;
  // Each group: a visible record holds at least one of these fields.
  std::vector<std::vector<std::string>> one_of_required;

  const FieldSpec* Find(absl::string_view field) const;
};

class Schema {
 public:
  // The kawal.v1 schema (kSchemaVersion).
  static const Schema& Default();

  explicit Schema(std::vector<CollectionSpec> collections);

  const CollectionSpec* Find(absl::string_view collection) const;
  const std::vector<CollectionSpec>& collections() const { return collections_; }

 private:
  std::vector<CollectionSpec> collections_;
};

// Checks one value against its field's type and rule. INVALID_ARGUMENT with
// RejectCode::kInvalidField naming the field, the value and the rule.
// A null value is valid here (required-ness is checked on the merged state).
absl::Status ValidateValue(const FieldSpec& spec, const Value& value);

// Checks a record id: 1..64 characters of [A-Za-z0-9_.-] (kInvalidId).
absl::Status ValidateRecordId(absl::string_view id);

// Checks a delta on its own: known collection (kUnknownCollection), id
// (kInvalidId), scope is a desa code (kInvalidScope), each change names a
// known field (kUnknownField) writable by `writer` with a valid value
// (kInvalidField), unique field names, non-zero stamps, bases older than
// their stamps and a tombstone_base older than the tombstone (kMalformed),
// deletes and creates allowed for `writer`.
absl::Status ValidateDelta(const Schema& schema, const RecordDelta& delta, Writer writer);

// Checks a delta against the stored state of its record before merging:
// same scope (kMismatch); for append-only collections an existing record
// may only receive changes identical to what it holds, and no delete
// (kAppendOnly); a device may not create a record of a collection it cannot
// create (kUnknownCollection).
absl::Status ValidateAgainstStored(const Schema& schema, const RecordState& stored,
                                   const RecordDelta& delta, Writer writer);

// Checks a merged state: a visible record holds every required field
// (kInvalidField naming the missing field).
absl::Status ValidateMerged(const Schema& schema, const RecordState& merged);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_SCHEMA_H_
