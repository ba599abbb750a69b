// The server's RocksDB database: opening (with a clear message when another
// server holds it), its identity (incarnation and restore lineage) and the
// durable sequence reservation.
//
// Thread-safety: all methods are safe to call concurrently once Open has
// returned; RocksDB serializes what it must.
#ifndef KAWAL_SERVER_STORE_DATABASE_H_
#define KAWAL_SERVER_STORE_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "kawal/storage/v1/storage.pb.h"
#include "rocksdb/db.h"
#include "store/record_format.h"

namespace kawal::server {

class Database {
 public:
  // Opens (creating if missing) the database in `data_dir`. On a new
  // database, creates its incarnation id. FAILED_PRECONDITION naming the
  // directory when another process holds it.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& data_dir);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  // Options for every acknowledged write: the WAL is synced before return.
  const rocksdb::WriteOptions& durable() const { return durable_; }

  const std::string& incarnation() const { return incarnation_; }
  const storage::v1::Lineage& lineage() const { return lineage_; }
  // True when Open created the database.
  bool created() const { return created_; }
  // What Open did to bring the records to the current format.
  const RecordFormatMigration& record_migration() const { return record_migration_; }
  const std::string& data_dir() const { return data_dir_; }

  // Durably records that sequences below `reserved` may be handed out.
  absl::Status ReserveSequences(uint64_t reserved);
  // The reservation stored at open: sequences continue from here.
  uint64_t reserved_at_open() const { return reserved_at_open_; }

  // Flushes and closes; later calls on this object fail. Idempotent.
  absl::Status Close();

  // Bytes of live files and WAL on disk.
  uint64_t DiskBytes() const;

 private:
  Database() = default;
  absl::Status LoadOrCreateIdentity();

  std::string data_dir_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions durable_;
  std::string incarnation_;
  storage::v1::Lineage lineage_;
  uint64_t reserved_at_open_ = 1;
  bool created_ = false;
  RecordFormatMigration record_migration_;
};

// Converts a RocksDB status into an absl::Status with the same meaning;


}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_DATABASE_H_
