// The server's stored form of a record: the merged state every replica
// holds, plus bookkeeping only the server uses (kawal.storage.v1.StoredRecord;
// storage_keys.h has the key).
//
// Thread-safety: plain value type and pure functions.
#ifndef KAWAL_SERVER_STORE_STORED_RECORD_H_
#define KAWAL_SERVER_STORE_STORED_RECORD_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/sync/record.h"
#include "kawal/sync/stamp.h"

namespace kawal::server {

struct StoredRecord {
  sync::RecordState state;
  // The device node whose in-sync push produced this version (its pulls
  // skip the record); 0: none.
  uint64_t echo_node = 0;
  // Per field: the highest base among the writes its current value
  // displaced (engine/conflict_detector.h). Absent: zero.
  std::map<std::string, sync::Stamp> displaced_base;

  sync::Stamp DisplacedBase(const std::string& field) const;
};

std::string EncodeStoredRecord(const StoredRecord& record);
// DATA_LOSS naming `key_for_errors` when the bytes do not parse.
absl::StatusOr<StoredRecord> DecodeStoredRecord(absl::string_view bytes,
                                                absl::string_view key_for_errors);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_STORED_RECORD_H_
