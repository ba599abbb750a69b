#include "store/database.h"
#include "kawal/common/rocks_status.h"

#include <filesystem>
#include <random>

#include "absl/strings/str_cat.h"
#include "base/server_tuning.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/sha256.h"
#include "rocksdb/cache.h"
#include "rocksdb/options.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "store/counters_merge.h"
#include "store/record_format.h"
#include "store/storage_keys.h"
#include "kawal/common/random_id.h"

namespace kawal::server {

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& data_dir) {
  std::unique_ptr<Database> database(new Database());
  database->data_dir_ = data_dir;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data dir ", data_dir, ": ", ec.message()));
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  options.bytes_per_sync = 1 << 20;
  options.keep_log_file_num = 5;
  options.merge_operator = NewCountersMergeOperator();
  // Aggregate rows receive a merge operand per change; folding them in the
  // memtable keeps a report's read cost bounded by its rows, not by the
  // number of changes since the last flush.
  options.max_successive_merges = 64;
  // Memory is bounded here (docs/server.md, "Memory"): RocksDB's defaults
  // allow two 64 MB memtables and keep index and filter blocks outside the cache.
  options.write_buffer_size = tuning::kWriteBufferBytes;
  options.max_write_buffer_number = 2;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Index and filter blocks live in the bounded block cache instead of
  // growing with the data; level 0's stay pinned, as they are read most.
  // Few shards: a block larger than its shard is evicted at once, and a large
  // table's filter block is (with the default 64 shards of 512 KB, every Get
  // re-read and checksummed it: 20% of report_bench's load at 200k).
  table.block_cache =
      rocksdb::NewLRUCache(tuning::kBlockCacheBytes, tuning::kBlockCacheShardBits);
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, data_dir, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data dir ", data_dir, " is in use by another kawal-server (RocksDB lock held): ",
          s.ToString()));
    }
    return common::FromRocks(s, absl::StrCat("opening database in ", data_dir));
  }
  database->db_.reset(raw);
  database->durable_.sync = true;
  if (absl::Status st = database->LoadOrCreateIdentity(); !st.ok()) return st;
  absl::StatusOr<RecordFormatMigration> migration =
      MigrateRecordFormat(database->db_.get(), database->durable_, database->created_);
  if (!migration.ok()) return migration.status();
  database->record_migration_ = *migration;
  return database;
}

absl::Status Database::LoadOrCreateIdentity() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), MetaKey(kMetaIncarnation), &value);
  if (s.IsNotFound()) {
    created_ = true;
    incarnation_ = common::RandomHexId(16);
    rocksdb::WriteBatch batch;
    batch.Put(MetaKey(kMetaIncarnation), incarnation_);
    std::string created;
    AppendBigEndian64(&created, static_cast<uint64_t>(sync::SystemTimeMs()));
    batch.Put(MetaKey(kMetaCreatedMs), created);
    std::string reserved;
    AppendBigEndian64(&reserved, 1);
    batch.Put(MetaKey(kMetaSeqReserved), reserved);
    return common::FromRocks(db_->Write(durable_, &batch), "creating database identity");
  }
  if (!s.ok()) return common::FromRocks(s, "reading incarnation");
  incarnation_ = value;
  s = db_->Get(rocksdb::ReadOptions(), MetaKey(kMetaLineage), &value);
  if (s.ok()) {
    if (!lineage_.ParseFromString(value)) {
      return absl::DataLossError("stored restore lineage is corrupt");
    }
  } else if (!s.IsNotFound()) {
    return common::FromRocks(s, "reading lineage");
  }
  s = db_->Get(rocksdb::ReadOptions(), MetaKey(kMetaSeqReserved), &value);
  if (s.ok() && value.size() == 8) {
    reserved_at_open_ = ReadBigEndian64(value.data());
  } else if (!s.IsNotFound()) {
    return common::FromRocks(s, "reading sequence reservation");
  }
  return absl::OkStatus();
}

absl::Status Database::ReserveSequences(uint64_t reserved) {
  if (!db_) return absl::FailedPreconditionError("database is closed");
  std::string value;
  AppendBigEndian64(&value, reserved);
  return common::FromRocks(db_->Put(durable_, MetaKey(kMetaSeqReserved), value), "reserving sequences");
}

absl::Status Database::Close() {
  if (!db_) return absl::OkStatus();
  rocksdb::FlushOptions flush;
  flush.wait = true;
  rocksdb::Status s = db_->Flush(flush);
  s.PermitUncheckedError();  // closing anyway; the WAL holds everything
  rocksdb::Status close = db_->Close();
  db_.reset();
  return common::FromRocks(close, "closing database");
}

uint64_t Database::DiskBytes() const {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir_, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

Database::~Database() { Close().IgnoreError(); }

}  // namespace kawal::server
