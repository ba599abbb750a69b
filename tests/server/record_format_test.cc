// Tests for server/store/record_format.cc: a data folder written in record
// format 1 (tests/data/record_format_v1) opens, is rewritten to format 2
// once, keeps its bookkeeping, resumes an interrupted migration, and serves
// devices as before.
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "kawal/storage/v1/storage.pb.h"
#include "rocksdb/db.h"
#include "server_process.h"
#include "status_assert.h"
#include "store/database.h"
#include "store/record_format.h"
#include "store/storage_keys.h"
#include "store/stored_record.h"
#include "test_client.h"

namespace kawal::server {
namespace {

using testing::TempDir;

constexpr char kBudiDevice[] = "c51752dd8a8111d3";
constexpr char kRenamedActivity[] = "3d738522c51b7d8e28adb752cf5b0e84";

uint64_t BudiNode() { return std::stoull(kBudiDevice, nullptr, 16); }

// A writable copy of the format-1 folder.
std::string CopyFormat1Folder(const TempDir& dir) {
  const std::string data = dir.path() + "/data";
  std::filesystem::copy(KAWAL_RECORD_FORMAT_V1_DIR, data,
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove(data + "/README.md");
  return data;
}

std::string ReadTrimmed(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return std::string(absl::StripAsciiWhitespace(text));
}

// Every record key and its value, by key.
std::map<std::string, std::string> RecordValues(rocksdb::DB* db) {
  std::map<std::string, std::string> values;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix(1, kRecordPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    values[it->key().ToString()] = it->value().ToString();
  }
  return values;
}

// Every record decodes as format 2, under the key it is stored at, with
// nothing unknown left in its wire-facing part.
void ExpectAllFormat2(const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    std::string collection, id;
    ASSERT_TRUE(ParseRecordKey(key, &collection, &id));
    storage::v1::StoredRecord proto;
    ASSERT_TRUE(proto.ParseFromString(value)) << collection << "/" << id;
    EXPECT_EQ(proto.record().collection(), collection);
    EXPECT_EQ(proto.record().id(), id);
    EXPECT_EQ(proto.record().GetReflection()->GetUnknownFields(proto.record()).field_count(), 0)
        << collection << "/" << id;
    absl::StatusOr<StoredRecord> decoded = DecodeStoredRecord(value, key);
    ASSERT_OK(decoded.status());
  }
}

TEST(RecordFormatTest, Format1FolderIsMigratedOnceAndKeepsBookkeeping) {
  TempDir dir;
  const std::string data = CopyFormat1Folder(dir);
  {
    absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(data);
    ASSERT_OK(database.status());
    const RecordFormatMigration& migration = (*database)->record_migration();
    EXPECT_EQ(migration.from_format, 1);
    const std::map<std::string, std::string> values = RecordValues((*database)->db());
    EXPECT_EQ(migration.records_rewritten, values.size());
    EXPECT_GE(values.size(), 127u + 3u + 1u + 2u);  // villages, activities, report, conflicts
    ExpectAllFormat2(values);

    // The bookkeeping moved beside the record, not lost.
    absl::StatusOr<StoredRecord> renamed =
        DecodeStoredRecord(values.at(RecordKey("activity", kRenamedActivity)), "renamed");
    ASSERT_OK(renamed.status());
    EXPECT_FALSE(renamed->displaced_base.empty());
    bool budi_echo = false;
    for (const auto& [key, value] : values) {
      absl::StatusOr<StoredRecord> stored = DecodeStoredRecord(value, key);
      ASSERT_OK(stored.status());
      budi_echo = budi_echo || stored->echo_node == BudiNode();
    }
    EXPECT_TRUE(budi_echo) << "budi's last in-sync push left an echo node";
    ASSERT_OK((*database)->Close());
  }
  absl::StatusOr<std::unique_ptr<Database>> again = Database::Open(data);
  ASSERT_OK(again.status());
  EXPECT_EQ((*again)->record_migration().from_format, kCurrentRecordFormat);
  EXPECT_EQ((*again)->record_migration().records_rewritten, 0u);
}

TEST(RecordFormatTest, InterruptedMigrationResumesAfterTheLastBatch) {
  TempDir dir;
  const std::string data = CopyFormat1Folder(dir);
  size_t total = 0;
  {
    // What a run killed after its first batch of 10 leaves behind.
    rocksdb::DB* raw = nullptr;
    rocksdb::Options options;
    ASSERT_TRUE(rocksdb::DB::Open(options, data, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    const std::map<std::string, std::string> values = RecordValues(db.get());
    total = values.size();
    rocksdb::WriteBatch batch;
    int n = 0;
    std::string last;
    for (const auto& [key, value] : values) {
      absl::StatusOr<std::string> rewritten = RecordValueFromFormat1(value);
      ASSERT_OK(rewritten.status());
      batch.Put(key, *rewritten);
      last = key;
      if (++n == 10) break;
    }
    batch.Put(MetaKey(kMetaRecordFormatProgress), last);
    ASSERT_TRUE(db->Write(rocksdb::WriteOptions(), &batch).ok());
  }
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(data);
  ASSERT_OK(database.status());
  EXPECT_EQ((*database)->record_migration().records_rewritten, total - 10);
  ExpectAllFormat2(RecordValues((*database)->db()));
  std::string progress;
  EXPECT_TRUE((*database)
                  ->db()
                  ->Get(rocksdb::ReadOptions(), MetaKey(kMetaRecordFormatProgress), &progress)
                  .IsNotFound());
}

TEST(RecordFormatTest, AFolderNewerThanTheServerIsRefusedUntouched) {
  TempDir dir;
  const std::string data = CopyFormat1Folder(dir);
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), data, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), MetaKey(kMetaRecordFormat), "99").ok());
  }
  absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(data);
  ASSERT_EQ(database.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(database.status().message().find("format 99"), std::string::npos)
      << database.status().message();
}

TEST(RecordFormatTest, MigratedFolderServesDevicesWithoutEchoes) {
  TempDir dir;
  const std::string data = CopyFormat1Folder(dir);
  testing::ServerProcess server(data);
  ASSERT_OK(server.Start());
  EXPECT_NE(server.Stderr().find("records migrated from format 1 to 2"), std::string::npos)
      << server.Stderr();
  testing::TestClient budi(server.address(), ReadTrimmed(data + "/budi.token"));
  const std::vector<std::string> scopes = {"62.10.01.1001", "62.10.01.2002"};
  std::vector<v1::Record> as_new_device, as_budi;
  std::string cursor;
  ASSERT_TRUE(budi.PullAll(0x1234, scopes, &as_new_device, &cursor).ok());
  ASSERT_TRUE(budi.PullAll(BudiNode(), scopes, &as_budi, &cursor).ok());
  std::set<std::string> ids;
  for (const v1::Record& r : as_new_device) {
    ids.insert(r.id());
    EXPECT_EQ(r.GetReflection()->GetUnknownFields(r).field_count(), 0) << r.id();
  }
  EXPECT_TRUE(ids.count(kRenamedActivity));
  EXPECT_LT(as_budi.size(), as_new_device.size()) << "budi's own in-sync writes are not echoed";
  absl::StatusOr<int> stopped = server.Stop();
  ASSERT_OK(stopped.status());
  EXPECT_EQ(*stopped, 0);
}

}  // namespace
}  // namespace kawal::server
