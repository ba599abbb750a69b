// The format of record values, and the migration that brings an older data
// folder to the current one when it is opened.
//
//   format 1   kawal.v1.Record with the server's bookkeeping inside it
//              (Record field 11 echo_node, FieldState field 6 displaced_base)
//   format 2   kawal.storage.v1.StoredRecord: the Record as devices see it,
//              the bookkeeping beside it (stored_record.h)
//
// The meta key record_format holds the version; a folder without it is
// format 1. The migration rewrites records in batches; each batch also
// records the last key it rewrote (record_format_progress), so a crash
// midway resumes after that key and no record is rewritten twice. The last
// batch sets record_format and removes the progress key.
//
// Thread-safety: runs in Database::Open, before anything else uses it.
#ifndef KAWAL_SERVER_STORE_RECORD_FORMAT_H_
#define KAWAL_SERVER_STORE_RECORD_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rocksdb/db.h"

namespace kawal::server {

inline constexpr int kCurrentRecordFormat = 2;

// Rewrites one format-1 record value as format 2. DATA_LOSS when the bytes
// do not parse.
absl::StatusOr<std::string> RecordValueFromFormat1(absl::string_view format1_bytes);

struct RecordFormatMigration {
  int from_format = kCurrentRecordFormat;
  uint64_t records_rewritten = 0;
};

// Brings the records of `db` to kCurrentRecordFormat (a no-op when they
// are). A freshly created database is marked current without a scan.
// FAILED_PRECONDITION when the folder is newer than this server.
absl::StatusOr<RecordFormatMigration> MigrateRecordFormat(rocksdb::DB* db,
                                                          const rocksdb::WriteOptions& durable,
                                                          bool freshly_created,
                                                          int records_per_batch = 1000);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_RECORD_FORMAT_H_
