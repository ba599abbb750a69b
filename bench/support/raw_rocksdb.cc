#include "raw_rocksdb.h"

#include <memory>
#include <random>
#include <string>

#include "absl/strings/str_format.h"
#include "latency.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "server_process.h"

namespace kawal::bench {

absl::StatusOr<double> RawRocksDbRate(int64_t records, int64_t value_bytes, int64_t batch) {
  testing::TempDir dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(options, dir.path() + "/raw", &raw);
  if (!opened.ok()) return absl::InternalError("raw RocksDB: " + opened.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);

  // Values are generated before the clock starts; random so that
  // compression (Snappy by default) does not flatter the figure.
  std::mt19937_64 rng(7);
  std::string value(static_cast<size_t>(value_bytes), '\0');
  for (char& c : value) c = static_cast<char>(rng());
  rocksdb::WriteOptions synced;
  synced.sync = true;
  const auto start = SteadyClock::now();
  for (int64_t i = 0; i < records; i += batch) {
    rocksdb::WriteBatch writes;
    for (int64_t j = i; j < std::min(records, i + batch); ++j) {
      value[j % value.size()] ^= 1;  // every value differs
      writes.Put(absl::StrFormat("activity/%09d", j), value);
    }
    rocksdb::Status written = db->Write(synced, &writes);
    if (!written.ok()) return absl::InternalError("raw RocksDB: " + written.ToString());
  }
  return records / SecondsSince(start);
}

}  // namespace kawal::bench
