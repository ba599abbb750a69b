// Tests for server/engine/pull_reader.cc and server/store/sequencer.cc, in process: page
// bounds, cursors that continue exactly, the commit watermark (a writer
// that took a lower sequence but commits later is not skipped), and
// pagination while writers run concurrently.
#include <atomic>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "store/database.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"
#include "store/storage_keys.h"
#include "store/stored_record.h"
#include "kawal/sync/schema.h"
#include "engine/pull_cursor.h"
#include "engine/pull_reader.h"
#include "engine/push_applier.h"
#include "store/sequencer.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::server {
namespace {

using kawal::testing::NewActivity;
using kawal::testing::TempDir;

constexpr char kDesa[] = "62.10.01.2001";
constexpr char kOtherDesa[] = "62.10.02.2003";

class PullPaginationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.path() + "/db");
    ASSERT_TRUE(db.ok()) << db.status();
    database_ = *std::move(db);
    sequencer_ = std::make_unique<Sequencer>(database_.get());
    applier_ = std::make_unique<PushApplier>(database_.get(), sequencer_.get(), &server_clock_,
                                             &sync::Schema::Default());
    reader_ = std::make_unique<PullReader>(database_.get(), sequencer_.get());
  }

  void Push(std::vector<sync::RecordDelta> deltas, uint64_t node = 7) {
    auto outcomes = applier_->Apply(deltas, sync::Writer::kDevice, node);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status();
    for (const auto& o : *outcomes) ASSERT_TRUE(o.status.ok()) << o.status;
  }

  // One page from `cursor` (bytes); returns the response.
  v1::PullResponse Page(const std::string& cursor, uint32_t max_records,
                        std::vector<std::string> prefixes = {"62.10"}, uint64_t device = 99) {
    auto decoded = DecodeCursor(cursor, database_->incarnation(), database_->lineage());
    EXPECT_TRUE(decoded.ok()) << decoded.status();
    v1::PullResponse response;
    if (!decoded.ok()) return response;
    PullLimits limits;
    limits.max_records = max_records;
    absl::Status s = reader_->ReadPage(prefixes, *decoded, device, limits, &response);
    EXPECT_TRUE(s.ok()) << s;
    return response;
  }

  TempDir dir_;
  sync::Clock server_clock_{1};
  sync::Clock device_clock_{7};
  std::unique_ptr<Database> database_;
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<PushApplier> applier_;
  std::unique_ptr<PullReader> reader_;
};

TEST_F(PullPaginationTest, PagesAreBoundedAndCursorsContinueExactly) {
  std::vector<sync::RecordDelta> batch;
  for (int i = 0; i < 25; ++i) {
    batch.push_back(NewActivity(device_clock_, "a" + std::to_string(i), i % 2 ? kDesa : kOtherDesa));
  }
  Push(batch);
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  while (true) {
    v1::PullResponse page = Page(cursor, 4);
    EXPECT_LE(page.records_size(), 4);
    if (page.has_more()) {
      // Progress bars: what is left after this page, counted from the index.
      EXPECT_EQ(page.remaining_estimate(), 25 - seen.size() - page.records_size());
    }
    for (const auto& r : page.records()) {
      EXPECT_TRUE(seen.insert(r.id()).second) << "record " << r.id() << " served twice";
    }
    cursor = page.cursor();
    ++pages;
    if (!page.has_more()) break;
    ASSERT_LT(pages, 50);
  }
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_GE(pages, 7);
  EXPECT_EQ(Page(cursor, 4).records_size(), 0);
}

TEST_F(PullPaginationTest, ByteBoundStopsAPage) {
  std::vector<sync::RecordDelta> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(NewActivity(device_clock_, "b" + std::to_string(i), kDesa));
  Push(batch);
  auto decoded = DecodeCursor("", database_->incarnation(), database_->lineage());
  v1::PullResponse response;
  PullLimits limits;
  limits.max_bytes = 600;  // a few records
  ASSERT_TRUE(reader_->ReadPage({"62.10"}, *decoded, 0, limits, &response).ok());
  EXPECT_GE(response.records_size(), 1);
  EXPECT_LT(response.records_size(), 10);
  EXPECT_TRUE(response.has_more());
}

// The known failure of other sync gateways: writer X takes sequence n, writer
// Y takes n+1 and commits first; a reader that advanced past n+1 would never
// see X's change. The watermark holds the reader at n-1 until X finishes.
TEST_F(PullPaginationTest, SlowLowerSequenceWriterIsNotSkipped) {
  Push({NewActivity(device_clock_, "first", kDesa)});
  std::string cursor = Page("", 100).cursor();

  absl::StatusOr<uint64_t> slow = sequencer_->Allocate(1);  // X holds sequence n
  ASSERT_TRUE(slow.ok());
  Push({NewActivity(device_clock_, "fast", kDesa)});  // Y takes n+1, commits

  v1::PullResponse held = Page(cursor, 100);
  EXPECT_EQ(held.records_size(), 0) << "nothing above the watermark may be served";
  cursor = held.cursor();

  // X commits its record at sequence n (as the applier would), then finishes.
  rocksdb::WriteBatch batch;
  StoredRecord slow_record;
  sync::ApplyDelta(slow_record.state, NewActivity(device_clock_, "slow", kDesa), *slow);
  batch.Put(RecordKey("activity", "slow"), EncodeStoredRecord(slow_record));
  batch.Put(IndexKey(kDesa, *slow), IndexValue("activity", "slow"));
  ASSERT_TRUE(database_->db()->Write(database_->durable(), &batch).ok());
  sequencer_->Finish(*slow);

  v1::PullResponse after = Page(cursor, 100);
  std::set<std::string> ids;
  for (const auto& r : after.records()) ids.insert(r.id());
  EXPECT_EQ(ids, (std::set<std::string>{"slow", "fast"}));
}

TEST_F(PullPaginationTest, PagingWhileWritersRunMissesNothing) {
  constexpr int kWriters = 3, kPerWriter = 60;
  std::atomic<int> done{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      sync::Clock clock(100 + w);
      for (int i = 0; i < kPerWriter; ++i) {
        std::string id = "w" + std::to_string(w) + "-" + std::to_string(i % 20);
        std::vector<sync::RecordDelta> batch = {NewActivity(clock, id, i % 3 ? kDesa : kOtherDesa,
                                                            "v" + std::to_string(i))};
        auto outcomes = applier_->Apply(batch, sync::Writer::kServer, 0);
        ASSERT_TRUE(outcomes.ok());
      }
      done.fetch_add(1);
    });
  }
  // The reader pages continuously (small pages) and keeps the latest
  // version it saw of each record.
  std::map<std::string, std::string> latest_name;
  std::string cursor;
  int rounds = 0;
  auto absorb = [&](const v1::PullResponse& page) {
    for (const auto& r : page.records()) {
      for (const auto& f : r.fields()) {
        if (f.name() == "name") latest_name[r.id()] = f.value().string_value();
      }
    }
  };
  while (done.load() < kWriters && rounds < 100000) {
    v1::PullResponse page = Page(cursor, 3);
    absorb(page);
    cursor = page.cursor();
    ++rounds;
  }
  for (auto& t : writers) t.join();
  for (int i = 0; i < 1000; ++i) {
    v1::PullResponse page = Page(cursor, 3);
    absorb(page);
    cursor = page.cursor();
    if (!page.has_more()) break;
  }
  // Every record's final name equals what a fresh full pull says.
  std::map<std::string, std::string> fresh;
  std::string fresh_cursor;
  for (int i = 0; i < 1000; ++i) {
    v1::PullResponse page = Page(fresh_cursor, 50);
    for (const auto& r : page.records()) {
      for (const auto& f : r.fields()) {
        if (f.name() == "name") fresh[r.id()] = f.value().string_value();
      }
    }
    fresh_cursor = page.cursor();
    if (!page.has_more()) break;
  }
  EXPECT_EQ(fresh.size(), static_cast<size_t>(kWriters * 20));
  EXPECT_EQ(latest_name, fresh);
}

TEST_F(PullPaginationTest, ForeignOrCorruptCursorIsRejected) {
  storage::v1::PullCursor other;
  other.set_version(1);
  other.set_incarnation("0123456789abcdef0123456789abcdef");
  auto foreign = DecodeCursor(EncodeCursor(other), database_->incarnation(), database_->lineage());
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(foreign.status().message().find("another server database"), absl::string_view::npos);
  std::string cursor = Page("", 10).cursor();
  cursor[cursor.size() / 2] ^= 0x5a;
  auto corrupt = DecodeCursor(cursor, database_->incarnation(), database_->lineage());
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PullPaginationTest, CursorFromParentIncarnationIsClampedToTheBackup) {
  storage::v1::Lineage lineage;
  auto* step = lineage.add_steps();
  step->set_incarnation(database_->incarnation());
  step->set_parent_incarnation("parent0000000000000000000000000a");
  step->set_parent_seq(40);
  storage::v1::PullCursor old;
  old.set_version(1);
  old.set_incarnation("parent0000000000000000000000000a");
  old.set_base_seq(90);
  (*old.mutable_scope_seq())[kDesa] = 75;
  auto clamped = DecodeCursor(EncodeCursor(old), database_->incarnation(), lineage);
  ASSERT_TRUE(clamped.ok()) << clamped.status();
  EXPECT_EQ(clamped->base_seq(), 40u);
  EXPECT_EQ(clamped->scope_seq().at(kDesa), 40u);
  EXPECT_EQ(clamped->incarnation(), database_->incarnation());
}

// Found by cursor_fuzz's author: a cyclic lineage made DecodeCursor loop.
TEST_F(PullPaginationTest, CursorWithACyclicLineageIsRejectedNotLoopedOn) {
  storage::v1::Lineage lineage;
  auto* ab = lineage.add_steps();
  ab->set_incarnation("inc-b");
  ab->set_parent_incarnation("inc-a");
  auto* ba = lineage.add_steps();
  ba->set_incarnation("inc-a");
  ba->set_parent_incarnation("inc-b");
  storage::v1::PullCursor old;
  old.set_version(1);
  old.set_incarnation("inc-a");
  auto decoded = DecodeCursor(EncodeCursor(old), "inc-c", lineage);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PullPaginationTest, SequencesNeverRepeatAfterReopen) {
  absl::StatusOr<uint64_t> a = sequencer_->Allocate(5);
  ASSERT_TRUE(a.ok());
  sequencer_->Finish(*a);
  reader_.reset();
  applier_.reset();
  sequencer_.reset();
  ASSERT_TRUE(database_->Close().ok());
  database_.reset();
  auto reopened = Database::Open(dir_.path() + "/db");
  ASSERT_TRUE(reopened.ok());
  Sequencer again(reopened->get());
  absl::StatusOr<uint64_t> b = again.Allocate(1);
  ASSERT_TRUE(b.ok());
  EXPECT_GT(*b, *a + 4);
}

}  // namespace
}  // namespace kawal::server
