// rocksdb::Status -> absl::Status, for every RocksDB store in the project
// (the server's database and the device's local store).
//
// Thread-safety: pure function.
#ifndef KAWAL_COMMON_ROCKS_STATUS_H_
#define KAWAL_COMMON_ROCKS_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace kawal::common {

// OK for OK; otherwise a status whose message is "<context>: <rocksdb text>"
// and whose code says what a caller can do: NOT_FOUND, DATA_LOSS for
// corruption, INVALID_ARGUMENT, UNAVAILABLE for busy/timed out/try again
// (retry the call), INTERNAL for the rest.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view context);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_ROCKS_STATUS_H_
