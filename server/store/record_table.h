// Reading stored key families the one way the project does it: a point
// Get that tells "absent" from an error, and a prefix scan (Seek, then
// keys while they start with the prefix, with an upper bound so RocksDB
// stops at the family's end).
//
// Thread-safety: as the Database: safe to use from any thread.
#ifndef KAWAL_SERVER_STORE_RECORD_TABLE_H_
#define KAWAL_SERVER_STORE_RECORD_TABLE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "kawal/common/rocks_status.h"
#include "rocksdb/db.h"
#include "store/database.h"

namespace kawal::server {

class RecordTable {
 public:
  explicit RecordTable(const Database* database) : database_(database) {}

  // The value at `key`; nullopt when absent. Errors name `what`.
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key,
                                                 absl::string_view what) const {
    std::string value;
    rocksdb::Status s =
        database_->db()->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) return common::FromRocks(s, what);
    return value;
  }

  // Calls `visit(key, value)` -> absl::Status for every key starting with
  // the non-empty `prefix`, in key order; stops at the first error `visit`
  // returns.
  template <typename Visit>
  absl::Status ScanPrefix(absl::string_view prefix, Visit visit) const {
    // The first key after the family: the prefix with its last byte
    // incremented (a prefix ending in 0xff scans without a bound).
    std::string upper(prefix);
    while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xff) upper.pop_back();
    if (!upper.empty()) upper.back() = static_cast<char>(upper.back() + 1);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions options;
    if (!upper.empty()) options.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(options));
    const rocksdb::Slice start(prefix.data(), prefix.size());
    for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
      absl::string_view key(it->key().data(), it->key().size());
      absl::string_view value(it->value().data(), it->value().size());
      if (absl::Status s = visit(key, value); !s.ok()) return s;
    }
    return common::FromRocks(it->status(), absl::StrCat("scanning keys under '", prefix, "'"));
  }

 private:
  const Database* const database_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_RECORD_TABLE_H_
