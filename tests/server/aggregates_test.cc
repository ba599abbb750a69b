// Tests for server/aggregates/contribution.cc and aggregates.cc: after random
// histories (creates, edits, deletes, concurrent edits from several
// devices, replays, resurrections, reports) every aggregate equals a
// recomputation from the records; known data gives exact figures; verify
// finds a damaged row and rebuild repairs it; conflicts count as open until
// settled; follow-ups count by status under their due year; rows of an older
// version are rebuilt once at start-up.
#include <random>
#include <tuple>

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

#include "aggregates/aggregates.h"
#include "aggregates/contribution.h"
#include "store/database.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/schema.h"
#include "engine/push_applier.h"
#include "store/sequencer.h"
#include "server_process.h"
#include "store/storage_keys.h"
#include "test_client.h"

namespace kawal::server {
namespace {

using kawal::testing::EditField;
using kawal::testing::NewActivity;
using kawal::testing::TempDir;

const char* const kDesas[] = {"62.10.01.2001", "62.10.01.2002", "62.10.02.2003", "62.11.01.2001"};

class AggregatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.path() + "/db");
    ASSERT_TRUE(db.ok()) << db.status();
    database_ = *std::move(db);
    sequencer_ = std::make_unique<Sequencer>(database_.get());
    applier_ = std::make_unique<PushApplier>(database_.get(), sequencer_.get(), &server_clock_,
                                             &sync::Schema::Default());
    applier_->AddObserver(&observer_);
  }

  std::vector<DeltaOutcome> Apply(const std::vector<sync::RecordDelta>& deltas, uint64_t node) {
    auto outcomes = applier_->Apply(deltas, sync::Writer::kDevice, node);
    EXPECT_TRUE(outcomes.ok()) << outcomes.status();
    return outcomes.ok() ? *outcomes : std::vector<DeltaOutcome>{};
  }

  void ExpectClean() {
    absl::StatusOr<VerifyReport> report = VerifyAggregates(*database_);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->rows_different, 0u)
        << (report->differences.empty() ? "" : report->differences[0]);
    EXPECT_EQ(report->rows_expected, report->rows_stored);
  }

  CounterMap Row(int year, int level, const std::string& dim, const std::string& region,
                 const std::string& key = "") {
    auto rows = ReadRows(*database_, year, level, dim, region);
    EXPECT_TRUE(rows.ok()) << rows.status();
    if (!rows.ok()) return {};
    for (const auto& r : *rows) {
      if (r.region == region && r.key == key) return r.counters;
    }
    return {};
  }

  TempDir dir_;
  sync::Clock server_clock_{1};
  AggregateObserver observer_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<PushApplier> applier_;
};

TEST_F(AggregatesTest, KnownDataGivesExactFigures) {
  sync::Clock dev(7);
  auto a = NewActivity(dev, "a1", "62.10.01.2001");  // budget DDS 150M + ADD 25M, sector 2, sdg 9,1
  auto b = NewActivity(dev, "a2", "62.10.01.2002");
  Apply({a, b}, 7);
  Apply({EditField(dev, "activity", "a1", "62.10.01.2001", "physical_progress_pct", 40.0),
         EditField(dev, "activity", "a2", "62.10.01.2002", "spent",
                   sync::AmountMap{{"DDS", 50000000}})},
        7);
  CounterMap kec = Row(2026, 3, "", "62.10.01");
  EXPECT_EQ(kec["activities"], 2);
  EXPECT_EQ(kec["budget"], 350000000);
  EXPECT_EQ(kec["budget.DDS"], 300000000);
  EXPECT_EQ(kec["spent"], 50000000);
  EXPECT_EQ(kec["progress_rupiah"], 70000000);  // 175M × 40%
  EXPECT_EQ(kec["status.planned"], 2);
  EXPECT_EQ(Row(2026, 1, "", "62")["activities"], 2);
  EXPECT_EQ(Row(2026, 3, "sdg", "62.10.01", "9")["activities"], 2);
  EXPECT_EQ(Row(2026, 3, "sector", "62.10.01", "2")["budget"], 350000000);
  EXPECT_EQ(Row(2026, 4, "source", "62.10.01.2002", "DDS")["spent"], 50000000);
  // Evidence: an activity with a 50% photo counts once however often marked.
  EXPECT_EQ(kec["photo.50"], 0);
  Apply({EditField(dev, "activity", "a1", "62.10.01.2001", "has_photo_50", true)}, 7);
  Apply({EditField(dev, "activity", "a2", "62.10.01.2002", "has_photo_0", true)}, 7);
  EXPECT_EQ(Row(2026, 3, "", "62.10.01")["photo.50"], 1);
  EXPECT_EQ(Row(2026, 3, "", "62.10.01")["photo.0"], 1);
  EXPECT_EQ(Row(2026, 1, "sdg", "62", "9")["photo.50"], 1);
  // Delete one: its contribution leaves every level.
  sync::RecordDelta del;
  del.collection = "activity";
  del.id = "a2";
  del.scope = "62.10.01.2002";
  del.tombstone = dev.Now();
  del.tombstone_base = del.tombstone;
  del.tombstone_base.counter = 0;
  del.tombstone_base.wall_ms -= 1;
  Apply({del}, 7);
  EXPECT_EQ(Row(2026, 2, "", "62.10")["activities"], 1);
  EXPECT_EQ(Row(2026, 2, "", "62.10")["spent"], 0);
  EXPECT_EQ(Row(2026, 2, "", "62.10")["photo.0"], 0) << "a deleted activity's evidence leaves";
  EXPECT_EQ(Row(2026, 2, "", "62.10")["photo.50"], 1);
  ExpectClean();
}

// A report's `spent` is cumulative to its visit date (docs/reports.md
// "Spending"): summing reports would count the same rupiah twice. Only the
// activity's `spent`, which the device sets from its newest report, counts.
TEST_F(AggregatesTest, SpendingCountsFromTheActivityNeverFromItsCumulativeReports) {
  sync::Clock dev(7);
  Apply({NewActivity(dev, "a1", "62.10.01.2001")}, 7);
  auto report = [&](const std::string& id, const std::string& date, int64_t dds) {
    sync::RecordDelta d;
    d.collection = "progress_report";
    d.id = id;
    d.scope = "62.10.01.2001";
    const sync::Stamp now = dev.Now();
    d.changes = {{"activity_id", std::string("a1"), now, {}},
                 {"physical_progress_pct", 50.0, now, {}},
                 {"spent", sync::AmountMap{{"DDS", dds}}, now, {}},
                 {"visit_date", date, now, {}}};
    return d;
  };
  for (auto [id, date, dds] : {std::tuple{"p1", "2026-03-01", int64_t{50000000}},
                               std::tuple{"p2", "2026-04-01", int64_t{80000000}}}) {
    Apply({report(id, date, dds),
           EditField(dev, "activity", "a1", "62.10.01.2001", "spent", sync::AmountMap{{"DDS", dds}})},
          7);
  }
  CounterMap desa = Row(2026, 4, "", "62.10.01.2001");
  EXPECT_EQ(desa["reports"], 2);
  EXPECT_EQ(desa["spent"], 80000000) << "the newest cumulative amount, not 50 jt + 80 jt";
  EXPECT_EQ(desa["spent.DDS"], 80000000);
  EXPECT_EQ(Row(2026, 4, "source", "62.10.01.2001", "DDS")["spent"], 80000000);
  ExpectClean();
}

TEST_F(AggregatesTest, RandomHistoriesStayExact) {
  for (int round = 0; round < 20; ++round) {
    const uint64_t seed = 0xa66 + round;
    std::mt19937_64 rng(seed);
    std::vector<std::unique_ptr<sync::Clock>> devices;
    for (int d = 0; d < 3; ++d) devices.push_back(std::make_unique<sync::Clock>(100 + d));
    std::vector<sync::RecordDelta> history;
    for (int step = 0; step < 60; ++step) {
      sync::Clock& clock = *devices[rng() % devices.size()];
      const int n = static_cast<int>(rng() % 6);
      const std::string id = "r" + std::to_string(round) + "-" + std::to_string(n);
      const std::string scope = kDesas[n % 4];
      sync::RecordDelta d;
      switch (rng() % 9) {
        case 0: d = NewActivity(clock, id, scope); break;
        case 1: d = EditField(clock, "activity", id, scope, "budget",
                              sync::AmountMap{{"DDS", int64_t(rng() % 1000) * 1000}}); break;
        case 2: d = EditField(clock, "activity", id, scope, "physical_progress_pct",
                              double(rng() % 101)); break;
        case 3: d = EditField(clock, "activity", id, scope, "status",
                              std::string(rng() % 2 ? "done" : "stalled")); break;
        case 4: d = EditField(clock, "activity", id, scope, "year", int64_t(2025 + rng() % 2)); break;
        case 5: d = EditField(clock, "activity", id, scope, "focus_tags",
                              sync::ScalarList{std::string("padat_karya")}); break;
        case 6: {
          d.collection = "activity";
          d.id = id;
          d.scope = scope;
          d.tombstone = clock.Now();
          break;
        }
        case 7: d = history.empty() ? NewActivity(clock, id, scope) : history[rng() % history.size()];
          break;  // a replay
        default: {
          d.collection = "progress_report";
          d.id = "p" + std::to_string(round) + "-" + std::to_string(step);
          d.scope = scope;
          for (auto [name, value] : std::vector<std::pair<const char*, sync::Value>>{
                   {"activity_id", id}, {"visit_date", std::string("2026-03-01")},
                   {"physical_progress_pct", 50.0}, {"workers", int64_t(rng() % 20)},
                   {"person_days", 2.5}, {"wages", int64_t(100000)}}) {
            d.changes.push_back({name, value, clock.Now(), {}});
          }
        }
      }
      history.push_back(d);
      Apply({d}, 100 + rng() % 3);  // rejected ones (e.g. missing fields) change nothing
    }
    ExpectClean();
    if (HasFailure()) {
      ADD_FAILURE() << "seed " << seed;
      return;
    }
  }
}

TEST_F(AggregatesTest, VerifyFindsADamagedRowAndRebuildRepairsIt) {
  sync::Clock dev(7);
  Apply({NewActivity(dev, "a1", "62.10.01.2001")}, 7);
  ExpectClean();
  rocksdb::WriteBatch damage;
  damage.Merge(AggregateKey(2026, 2, "", "62.10", ""), EncodeCounters({{"activities", 5}}));
  ASSERT_TRUE(database_->db()->Write(database_->durable(), &damage).ok());
  auto report = VerifyAggregates(*database_);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->rows_different, 1u);
  ASSERT_FALSE(report->differences.empty());
  EXPECT_NE(report->differences[0].find("62.10"), std::string::npos) << report->differences[0];
  auto rebuilt = RebuildAggregates(*database_);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_GT(*rebuilt, 0u);
  ExpectClean();
}

TEST_F(AggregatesTest, ConflictsCountAsOpenUntilSettled) {
  sync::Clock a(7), b(8);
  const sync::RecordDelta created = NewActivity(a, "a1", "62.10.01.2001");
  Apply({created}, 7);
  b.Observe(created.MaxStamp());
  // Two devices that saw the creation set the status without seeing each
  // other: one conflict.
  Apply({EditField(a, "activity", "a1", "62.10.01.2001", "status", std::string("done"),
                   created.MaxStamp())},
        7);
  Apply({EditField(b, "activity", "a1", "62.10.01.2001", "status", std::string("stalled"),
                   created.MaxStamp())},
        8);
  const int year = static_cast<int>(
      absl::ToCivilYear(absl::FromUnixMillis(server_clock_.Now().wall_ms), absl::UTCTimeZone())
          .year());
  EXPECT_EQ(Row(year, 2, "", "62.10")["conflicts.open"], 1);
  EXPECT_EQ(Row(year, 4, "", "62.10.01.2001")["conflicts.open"], 1);
  ExpectClean();

  std::string conflict_id, collection;
  std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(rocksdb::ReadOptions()));
  it->Seek(RecordCollectionPrefix(sync::kConflict));
  ASSERT_TRUE(it->Valid());
  ASSERT_TRUE(ParseRecordKey(it->key().ToString(), &collection, &conflict_id));
  ASSERT_EQ(collection, sync::kConflict);
  Apply({EditField(a, sync::kConflict, conflict_id, "62.10.01.2001", "resolution",
                   std::string(sync::kKeptWinner))},
        7);
  EXPECT_EQ(Row(year, 2, "", "62.10")["conflicts.open"], 0);
  EXPECT_EQ(Row(year, 2, "", "62.10")["conflicts.settled"], 1);
  ExpectClean();
}

TEST_F(AggregatesTest, FollowUpsCountByStatusUnderTheirDueYear) {
  // An officer's follow-up (written by the server), then the facilitator's
  // device marks it done while the officer moves the due date to next year.
  sync::Clock dev(7);
  sync::RecordDelta created;
  created.collection = sync::kFollowUp;
  created.id = "f-1";
  created.scope = "62.10.01.2001";
  const sync::Stamp at = server_clock_.Now();
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"action", "Perbaiki saluran"}, {"due_date", "2026-03-01"}, {"status", "open"}}) {
    created.changes.push_back(sync::FieldChange{field, value, at, {}});
  }
  auto outcomes = applier_->Apply({created}, sync::Writer::kServer, 0);
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  EXPECT_EQ(Row(2026, 2, "", "62.10")["followups.open"], 1);
  EXPECT_EQ(Row(2026, 3, kFollowUpDueDim, "62.10.01", "2026-03-01")["followups.pending"], 1);
  ExpectClean();

  dev.Observe(at);
  Apply({EditField(dev, sync::kFollowUp, "f-1", "62.10.01.2001", "status", std::string("done"),
                   at)},
        7);
  sync::RecordDelta moved =
      EditField(server_clock_, sync::kFollowUp, "f-1", "62.10.01.2001", "due_date",
                std::string("2027-01-15"), at);
  outcomes = applier_->Apply({moved}, sync::Writer::kServer, 0);
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  EXPECT_EQ(Row(2026, 2, "", "62.10")["followups.open"], 0);
  EXPECT_EQ(Row(2026, 2, "", "62.10")["followups.done"], 0);
  EXPECT_EQ(Row(2027, 2, "", "62.10")["followups.done"], 1);
  EXPECT_EQ(Row(2027, 4, "", "62.10.01.2001")["followups.done"], 1);
  // Done is no longer pending: nothing left to be overdue.
  EXPECT_EQ(Row(2026, 3, kFollowUpDueDim, "62.10.01", "2026-03-01")["followups.pending"], 0);
  EXPECT_EQ(Row(2027, 3, kFollowUpDueDim, "62.10.01", "2027-01-15")["followups.pending"], 0);
  ExpectClean();
}

TEST_F(AggregatesTest, RowsOfAnOlderVersionAreRebuiltOnce) {
  sync::Clock dev(7);
  Apply({NewActivity(dev, "a1", "62.10.01.2001")}, 7);
  // A folder written before the version was recorded, with a stale row.
  rocksdb::WriteBatch stale;
  stale.Merge(AggregateKey(2026, 2, "", "62.10", ""), EncodeCounters({{"activities", 5}}));
  ASSERT_TRUE(database_->db()->Write(database_->durable(), &stale).ok());
  absl::StatusOr<bool> rebuilt = UpgradeAggregates(*database_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_TRUE(*rebuilt);
  ExpectClean();
  rebuilt = UpgradeAggregates(*database_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_FALSE(*rebuilt) << "a current folder is not rebuilt again";
}

}  // namespace
}  // namespace kawal::server
