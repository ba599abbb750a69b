#include "aggregates/aggregates.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
#include "store/snapshot.h"
#include "store/storage_keys.h"
#include "store/stored_record.h"
#include "kawal/common/rocks_status.h"

namespace kawal::server {
namespace {

std::string DescribeKey(const std::string& key) {
  int year = 0, level = 0;
  std::string dim, region, row_key;
  if (!ParseAggregateKey(key, &year, &level, &dim, &region, &row_key)) return "(malformed key)";
  return absl::StrCat(year, " ", region.empty() ? "(nation)" : region,
                      dim.empty() ? "" : absl::StrCat(" ", dim, "=", row_key));
}

std::string DescribeCounters(const CounterMap& counters) {
  return absl::StrJoin(counters, ",", [](std::string* out, const auto& kv) {
    absl::StrAppend(out, kv.first, "=", kv.second);
  });
}

// Recomputes all rows from the records visible in `read`.
absl::StatusOr<RowContributions> Recompute(const Database& database,
                                           const rocksdb::ReadOptions& read, uint64_t* scanned) {
  RowContributions rows;
  std::unique_ptr<rocksdb::Iterator> it(database.db()->NewIterator(read));
  for (const char* collection : kCountedCollections) {
    const std::string prefix = RecordCollectionPrefix(collection);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      absl::StatusOr<StoredRecord> stored = DecodeStoredRecord(
          absl::string_view(it->value().data(), it->value().size()), "in the aggregate scan");
      if (!stored.ok()) return stored.status();
      AddContribution(stored->state, +1, &rows);
      ++*scanned;
    }
  }
  if (!it->status().ok()) return common::FromRocks(it->status(), "scanning records");
  DropZeros(&rows);
  return rows;
}

}  // namespace

namespace {

class AggregatePush final : public PushObserver {
 public:
  absl::Status OnChange(const sync::RecordState& before, const sync::RecordState& after,
                        rocksdb::WriteBatch&) override {
    AddContribution(after, +1, &rows_);
    AddContribution(before, -1, &rows_);
    return absl::OkStatus();
  }

  absl::Status Finish(rocksdb::WriteBatch& batch) override {
    DropZeros(&rows_);
    for (const auto& [key, counters] : rows_) {
      rocksdb::Status s = batch.Merge(key, EncodeCounters(counters));
      if (!s.ok()) return common::FromRocks(s, "adding aggregate delta");
    }
    return absl::OkStatus();
  }

 private:
  RowContributions rows_;  // this push's delta per row
};

}  // namespace

std::unique_ptr<PushObserver> AggregateObserver::StartPush() {
  return std::make_unique<AggregatePush>();
}

absl::StatusOr<std::vector<AggregateRow>> ReadRows(const Database& database, int year, int level,
                                                   const std::string& dim,
                                                   const std::string& region_prefix) {
  std::vector<AggregateRow> rows;
  const std::string prefix = AggregatePrefix(year, level, dim, region_prefix);
  std::unique_ptr<rocksdb::Iterator> it(database.db()->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    AggregateRow row;
    int y = 0, l = 0;
    std::string d;
    if (!ParseAggregateKey(absl::string_view(it->key().data(), it->key().size()), &y, &l, &d,
                           &row.region, &row.key)) {
      return absl::DataLossError("malformed aggregate key");
    }
    if (!DecodeCounters(it->value().ToString(), &row.counters)) {
      return absl::DataLossError(absl::StrCat("aggregate row ", row.region, " is corrupt"));
    }
    if (!row.counters.empty()) rows.push_back(std::move(row));
  }
  if (!it->status().ok()) return common::FromRocks(it->status(), "reading aggregates");
  return rows;
}

absl::StatusOr<VerifyReport> VerifyAggregates(const Database& database) {
  rocksdb::DB* db = database.db();
  const ScopedSnapshot snapshot(db);
  const rocksdb::ReadOptions read = snapshot.ReadOptions();
  VerifyReport report;
  absl::StatusOr<RowContributions> expected = Recompute(database, read, &report.records_scanned);
  if (!expected.ok()) return expected.status();
  report.rows_expected = expected->size();
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read));
  const std::string prefix(1, kAggregatePrefix);
  auto note = [&](const std::string& key, const CounterMap& want, const CounterMap& have) {
    ++report.rows_different;
    if (report.differences.size() < 20) {
      report.differences.push_back(absl::StrCat(DescribeKey(key), ": expected {",
                                                DescribeCounters(want), "} stored {",
                                                DescribeCounters(have), "}"));
    }
  };
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    CounterMap stored;
    if (!DecodeCounters(it->value().ToString(), &stored)) {
      return absl::DataLossError("an aggregate row is corrupt");
    }
    if (stored.empty()) continue;
    ++report.rows_stored;
    const std::string key = it->key().ToString();
    auto want = expected->find(key);
    if (want == expected->end()) {
      note(key, {}, stored);
    } else {
      if (want->second != stored) note(key, want->second, stored);
      expected->erase(want);
    }
  }
  for (const auto& [key, want] : *expected) note(key, want, {});
  if (absl::Status s = common::FromRocks(it->status(), "scanning aggregates"); !s.ok()) return s;
  return report;
}

absl::StatusOr<uint64_t> RebuildAggregates(Database& database) {
  uint64_t scanned = 0;
  absl::StatusOr<RowContributions> rows = Recompute(database, rocksdb::ReadOptions(), &scanned);
  if (!rows.ok()) return rows.status();
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.DeleteRange(std::string(1, kAggregatePrefix),
                                        std::string(1, kAggregatePrefix + 1));
  if (!s.ok()) return common::FromRocks(s, "clearing aggregates");
  for (const auto& [key, counters] : *rows) batch.Put(key, EncodeCounters(counters));
  s = database.db()->Write(database.durable(), &batch);
  if (!s.ok()) return common::FromRocks(s, "writing rebuilt aggregates");
  return rows->size();
}

absl::StatusOr<bool> UpgradeAggregates(Database& database) {
  std::string stored;
  rocksdb::Status s =
      database.db()->Get(rocksdb::ReadOptions(), MetaKey(kMetaAggregatesVersion), &stored);
  if (!s.ok() && !s.IsNotFound()) return common::FromRocks(s, "reading the aggregates version");
  int version = 0;
  if (s.ok() && !absl::SimpleAtoi(stored, &version)) {
    return absl::DataLossError(absl::StrCat("meta aggregates_version holds \"",
                                            absl::CEscape(stored.substr(0, 16)),
                                            "\", not a number"));
  }
  if (version >= kAggregatesVersion) return false;
  absl::StatusOr<uint64_t> rows = RebuildAggregates(database);
  if (!rows.ok()) return rows.status();
  s = database.db()->Put(database.durable(), MetaKey(kMetaAggregatesVersion),
                         absl::StrCat(kAggregatesVersion));
  if (!s.ok()) return common::FromRocks(s, "recording the aggregates version");
  return true;
}

}  // namespace kawal::server
