// Tests for mobile-core/src/local_store.cc and local_writes.cc: the store
// keeps everything across reopen, migrates an older format instead of
// wiping it, refuses a newer one, and folds repeated edits correctly.
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/schema.h"
#include "acknowledgements.h"
#include "local_store.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "server_process.h"
#include "status_assert.h"

namespace kawal::mobile {
namespace {

using kawal::testing::IsOkAndHolds;
using kawal::testing::TempDir;
constexpr char kDesa[] = "62.10.01.2001";

FieldValues Activity(const std::string& name) {
  return {{"name", name}, {"year", int64_t{2026}}, {"sector", int64_t{2}},
          {"status", std::string("planned")}};
}

absl::StatusOr<std::unique_ptr<Device>> OpenAt(const std::string& home) {
  return kawal::testing::OpenTestDevice(kawal::testing::TestDeviceOptions(home, "phone"));
}

TEST(LocalStoreTest, ReopenKeepsRecordsPendingAndIdentity) {
  TempDir dir;
  std::string id;
  uint64_t node = 0;
  {
    ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
    node = device->node();
    auto created = device->Create("activity", kDesa, Activity("Jalan"));
    ASSERT_TRUE(created.ok());
    id = *created;
    ASSERT_TRUE(device->Update("activity", id, {{"physical_progress_pct", 25.0}}).ok());
    ASSERT_TRUE(device->Configure("127.0.0.1:7443", "kd1_token").ok());
  }
  ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
  EXPECT_EQ(device->node(), node) << "a store's node id never changes";
  ASSERT_OK_AND_ASSIGN(sync::RecordState r, device->Get("activity", id));
  ASSERT_NE(r.Get("physical_progress_pct"), nullptr);
  EXPECT_DOUBLE_EQ(std::get<double>(*r.Get("physical_progress_pct")), 25.0);
  EXPECT_THAT(device->PendingCount(), IsOkAndHolds(1u));
  ASSERT_OK_AND_ASSIGN(StatusView status, device->Status());
  EXPECT_EQ(status.server, "127.0.0.1:7443");
  // The clock continues after the stamps issued before the restart.
  ASSERT_TRUE(device->Update("activity", id, {{"physical_progress_pct", 30.0}}).ok());
  ASSERT_OK_AND_ASSIGN(sync::RecordState again, device->Get("activity", id));
  EXPECT_GT(again.fields.at("physical_progress_pct").stamp,
            r.fields.at("physical_progress_pct").stamp);
}

// An app upgrade must never wipe collected data (the SDGs Desa app did).
TEST(LocalStoreTest, StoreFromBeforeVersioningIsMigratedNotWiped) {
  TempDir dir;
  std::string id;
  {
    ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
    auto created = device->Create("activity", kDesa, Activity("Jalan lama"));
    ASSERT_TRUE(created.ok());
    id = *created;
  }
  {
    // Make it look like format 0: no "format" key.
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir.path() + "/db", &raw).ok());
    ASSERT_TRUE(raw->Delete(rocksdb::WriteOptions(), "mformat").ok());
    delete raw;
  }
  ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
  EXPECT_TRUE(device->Get("activity", id).ok());
  EXPECT_THAT(device->PendingCount(), IsOkAndHolds(1u));
}

// A format-1 store (no index entries, no "indexes" key) gains its indexes
// when opened; a store built with another index table rebuilds them.
TEST(LocalStoreTest, Format1StoreGainsItsIndexesAndAChangedTableRebuildsThem) {
  TempDir dir;
  std::vector<std::string> ids;
  {
    ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
    for (int i = 0; i < 5; ++i) {
      ASSERT_OK_AND_ASSIGN(std::string id, device->Create("activity", kDesa, Activity("Jalan")));
      ids.push_back(id);
    }
    ASSERT_OK(device->Delete("activity", ids[4]));
  }
  const RecordQuery in_desa{"activity", kDesa, {{"year", int64_t{2026}}}, 0, ""};
  for (const std::string indexes_key : {"format 1", "other table"}) {
    SCOPED_TRACE(indexes_key);
    {
      rocksdb::DB* raw = nullptr;
      ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir.path() + "/db", &raw).ok());
      rocksdb::WriteBatch batch;
      batch.DeleteRange("x", "y");
      if (indexes_key == "format 1") {
        batch.Delete("mindexes");
        batch.Put("mformat", std::string("\0\0\0\x01", 4));
      } else {
        batch.Put("mindexes", "activity.old(scope);");
      }
      ASSERT_TRUE(raw->Write(rocksdb::WriteOptions(), &batch).ok());
      delete raw;
    }
    ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
    EXPECT_THAT(device->Count(in_desa), IsOkAndHolds(4u));
    ASSERT_OK_AND_ASSIGN(QueryPage page, device->Query(in_desa));
    ASSERT_EQ(page.records.size(), 4u);
    EXPECT_TRUE(page.resume_token.empty());
    EXPECT_THAT(device->PendingCount(), IsOkAndHolds(5u));  // nothing else changed
  }
}

TEST(LocalStoreTest, NewerFormatIsRefusedAndLeftAlone) {
  TempDir dir;
  std::string id;
  {
    ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
    ASSERT_OK_AND_ASSIGN(id, device->Create("activity", kDesa, Activity("Jalan")));
  }
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir.path() + "/db", &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), "mformat", std::string("\0\0\0\x63", 4)).ok());
    delete raw;
  }
  DeviceOptions options;
  options.home = dir.path();
  auto refused = Device::Open(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("newer than this app"), absl::string_view::npos);
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir.path() + "/db", &raw).ok());
    std::string value;
    EXPECT_TRUE(raw->Get(rocksdb::ReadOptions(), LocalRecordKey('r', "activity", id), &value).ok())
        << "data kept";
    delete raw;
  }
}

TEST(LocalStoreTest, SecondOpenOfTheSameStoreIsRefused) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto first, OpenAt(dir.path()));
  DeviceOptions options;
  options.home = dir.path();
  auto second = Device::Open(options);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("another process"), absl::string_view::npos);
}

TEST(LocalStoreTest, RepeatedOfflineEditsKeepTheFirstBase) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
  auto id = device->Create("activity", kDesa, Activity("Jalan"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(device->Update("activity", *id, {{"status", std::string("in_progress")}}).ok());
  ASSERT_TRUE(device->Update("activity", *id, {{"status", std::string("done")}}).ok());
  device.reset();  // the store is the device's until it closes
  auto store = LocalStore::Open(dir.path());
  ASSERT_TRUE(store.ok()) << store.status();
  auto pending = (*store)->GetPending("activity", *id);
  ASSERT_TRUE(pending.ok() && pending->has_value());
  int status_changes = 0;
  for (const auto& c : (*pending)->delta().changes()) {
    if (c.name() != "status") continue;
    ++status_changes;
    EXPECT_EQ(c.value().string_value(), "done");
    EXPECT_FALSE(c.has_base()) << "created offline: the server never saw a status";
  }
  EXPECT_EQ(status_changes, 1);
}

// A push's acknowledgement is kept beside the record (not written into
// it): every read lays it over, a reopened store still does, and the next
// write of the record folds it in and drops it.
TEST(LocalStoreTest, AcknowledgementIsLaidOverEveryReadUntilTheNextWrite) {
  TempDir dir;
  const sync::Stamp pushed{1764160000000, 0, 0xab}, newer{1764160000005, 0, 0xab};
  sync::RecordState record;
  record.collection = "activity";
  record.id = "a1";
  record.scope = kDesa;
  record.fields["name"] = sync::FieldState{std::string("Jalan"), pushed, {}, 0};
  record.fields["status"] = sync::FieldState{std::string("done"), newer, {}, 0};
  sync::RecordDelta sent;
  sent.collection = "activity";
  sent.id = "a1";
  sent.changes.push_back(sync::FieldChange{"name", std::string("Jalan"), pushed, {}});
  // Written again while in flight: the acknowledgement does not cover it.
  sent.changes.push_back(sync::FieldChange{"status", std::string("planned"), pushed, {}});
  auto expect_acknowledged = [&](const sync::RecordState& r) {
    EXPECT_EQ(r.seq, 7u);
    EXPECT_EQ(r.created_seq, 7u);
    EXPECT_EQ(r.fields.at("name").changed_seq, 7u);
    EXPECT_EQ(r.fields.at("status").changed_seq, 0u);
  };
  {
    ASSERT_OK_AND_ASSIGN(auto store, LocalStore::Open(dir.path()));
    LocalStore::Batch write;
    write.PutRecord(sync::RecordState{}, record);
    ASSERT_OK(store->Commit(write));
    LocalStore::Batch ack;
    ack.PutAcknowledgement("activity", "a1", AcknowledgementOf(sent, 7));
    ASSERT_OK(store->Commit(ack));
    ASSERT_OK_AND_ASSIGN(sync::RecordState read, store->GetRecord("activity", "a1"));
    expect_acknowledged(read);
  }
  ASSERT_OK_AND_ASSIGN(auto store, LocalStore::Open(dir.path()));
  ASSERT_OK_AND_ASSIGN(sync::RecordState read, store->GetRecord("activity", "a1"));
  expect_acknowledged(read);
  int visited = 0;
  ASSERT_OK(store->ForEachRecord("activity", [&](const sync::RecordState& r) {
    expect_acknowledged(r);
    ++visited;
    return true;
  }));
  EXPECT_EQ(visited, 1);

  // A write (here: restore recovery forgetting the sequences) drops it.
  sync::RecordState forgotten = read;
  forgotten.seq = forgotten.created_seq = 0;
  forgotten.fields.at("name").changed_seq = 0;
  LocalStore::Batch write;
  write.PutRecord(read, forgotten);
  ASSERT_OK(store->Commit(write));
  ASSERT_OK_AND_ASSIGN(sync::RecordState after, store->GetRecord("activity", "a1"));
  EXPECT_EQ(after.seq, 0u);
  EXPECT_EQ(after.fields.at("name").changed_seq, 0u);
}

TEST(LocalStoreTest, AppendOnlyReportCannotBeEditedLocally) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
  ASSERT_OK_AND_ASSIGN(std::string activity, device->Create("activity", kDesa, Activity("Jalan")));
  auto report = device->Create("progress_report", kDesa,
                               {{"activity_id", activity},
                                {"visit_date", std::string("2026-05-01")},
                                {"physical_progress_pct", 10.0}});
  ASSERT_TRUE(report.ok()) << report.status();
  absl::Status edit = device->Update("progress_report", *report, {{"physical_progress_pct", 20.0}});
  EXPECT_FALSE(edit.ok());
  EXPECT_NE(edit.message().find("append-only"), absl::string_view::npos) << edit;
  EXPECT_FALSE(device->Delete("progress_report", *report).ok());
}

// The C++ API refuses a report lowering a source's cumulative spending
// below an earlier report of the activity unless it has a note
// (docs/reports.md "Spending"); nothing is stored on refusal.
TEST(LocalStoreTest, LowerCumulativeSpendingNeedsANote) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto device, OpenAt(dir.path()));
  ASSERT_OK_AND_ASSIGN(std::string activity, device->Create("activity", kDesa, Activity("Jalan")));
  auto report = [&](const std::string& date, int64_t dds, const std::string& notes) {
    FieldValues fields = {{"activity_id", activity},
                          {"visit_date", date},
                          {"physical_progress_pct", 10.0},
                          {"spent", sync::AmountMap{{"DDS", dds}}}};
    if (!notes.empty()) fields.emplace_back("notes", notes);
    return device->Create("progress_report", kDesa, fields);
  };
  ASSERT_TRUE(report("2026-05-01", 50000000, "").ok());
  ASSERT_OK_AND_ASSIGN(uint64_t pending_before, device->PendingCount());
  auto lower = report("2026-05-10", 30000000, "");
  EXPECT_EQ(lower.status().code(), absl::StatusCode::kInvalidArgument) << lower.status();
  EXPECT_NE(lower.status().message().find("Rp 50.000.000"), absl::string_view::npos)
      << lower.status();
  EXPECT_THAT(device->PendingCount(), IsOkAndHolds(pending_before)) << "nothing stored";
  EXPECT_TRUE(report("2026-05-10", 30000000, "Koreksi: salah catat").ok());
  // Equal or higher needs no note; an older visit entered late compares
  // only with what came before it.
  EXPECT_TRUE(report("2026-05-20", 30000000, "").ok());
  EXPECT_TRUE(report("2026-04-01", 1000000, "").ok());
}

}  // namespace
}  // namespace kawal::mobile
