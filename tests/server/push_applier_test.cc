// Tests for server/src/push_applier.cc, in process against a RocksDB in a
// temporary dir: a push is one atomic batch (an observer's failure stores
// nothing of it), sequences follow the batch order and only grow (the old
// index entry goes), a rejected delta leaves nothing, and a replayed push
// changes nothing (no new sequence, no second conflict record). Conflict
// records: one per losing write, listing its fields, whatever the arrival
// order and duplicates; a later push that reveals another field of the
// same losing write adds it to that record.
#include <algorithm>
#include <map>
#include <random>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/database.h"
#include "kawal/sync/schema.h"
#include "absl/strings/str_cat.h"
#include "engine/conflict.h"
#include "engine/push_applier.h"
#include "kawal/sync/conflict_record.h"
#include "rocksdb/db.h"
#include "store/sequencer.h"
#include "server_process.h"
#include "status_assert.h"
#include "store/storage_keys.h"
#include "test_client.h"

namespace kawal::server {
namespace {

using kawal::testing::EditField;
using kawal::testing::NewActivity;
using kawal::testing::TempDir;

constexpr char kDesa[] = "62.10.01.2001";
constexpr uint64_t kDevice = 7;

// Fails OnChange at the `fail_at`-th change of a push (1-based; 0: never)
// and Finish when `fail_finish`; writes a marker key into the batch so a
// stored marker would show the batch was written.
class FailingObserver : public ChangeObserver, public PushObserver {
 public:
  FailingObserver(int fail_at, bool fail_finish) : fail_at_(fail_at), fail_finish_(fail_finish) {}
  std::unique_ptr<PushObserver> StartPush() override {
    changes_ = 0;
    return std::unique_ptr<PushObserver>(new Forward(this));
  }
  absl::Status OnChange(const sync::RecordState&, const sync::RecordState& after,
                        rocksdb::WriteBatch& batch) override {
    if (++changes_ == fail_at_) return absl::InternalError("observer fails on purpose");
    batch.Put("zmarker/" + after.id, "");
    return absl::OkStatus();
  }
  absl::Status Finish(rocksdb::WriteBatch&) override {
    return fail_finish_ ? absl::InternalError("observer fails at finish") : absl::OkStatus();
  }

 private:
  // The per-push object the applier owns; forwards to the test's observer.
  class Forward : public PushObserver {
   public:
    explicit Forward(FailingObserver* to) : to_(to) {}
    absl::Status OnChange(const sync::RecordState& before, const sync::RecordState& after,
                          rocksdb::WriteBatch& batch) override {
      return to_->OnChange(before, after, batch);
    }
    absl::Status Finish(rocksdb::WriteBatch& batch) override { return to_->Finish(batch); }

   private:
    FailingObserver* to_;
  };

  const int fail_at_;
  const bool fail_finish_;
  int changes_ = 0;
};

class PushApplierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, Database::Open(dir_.path() + "/db"));
    sequencer_ = std::make_unique<Sequencer>(database_.get());
    applier_ = std::make_unique<PushApplier>(database_.get(), sequencer_.get(), &server_clock_,
                                             &sync::Schema::Default());
  }

  absl::StatusOr<std::vector<DeltaOutcome>> Apply(const std::vector<sync::RecordDelta>& deltas,
                                                  uint64_t node = kDevice) {
    return applier_->Apply(deltas, sync::Writer::kDevice, node);
  }

  // Apply, with every delta of the push accepted.
  absl::Status ApplyOk(const std::vector<sync::RecordDelta>& deltas, uint64_t node = kDevice) {
    absl::StatusOr<std::vector<DeltaOutcome>> outcomes = Apply(deltas, node);
    if (!outcomes.ok()) return outcomes.status();
    for (const DeltaOutcome& o : *outcomes) {
      if (!o.status.ok()) return o.status;
    }
    return absl::OkStatus();
  }

  // Every key and value of the families a push writes (records, index,
  // aggregates, freshness) and the test observer's markers.
  std::map<std::string, std::string> Stored() const {
    std::map<std::string, std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const char family = it->key()[0];
      if (family == kMetaPrefix || family == kUserPrefix || family == kTokenPrefix) continue;
      out[it->key().ToString()] = it->value().ToString();
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return out;
  }

  bool Has(const std::string& key) const {
    std::string value;
    return database_->db()->Get(rocksdb::ReadOptions(), key, &value).ok();
  }

  TempDir dir_;
  sync::Clock server_clock_{1};
  sync::Clock device_clock_{kDevice};
  std::unique_ptr<Database> database_;
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<PushApplier> applier_;
};

TEST_F(PushApplierTest, SequencesFollowTheBatchOrderAndOnlyGrow) {
  ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> first,
                       Apply({NewActivity(device_clock_, "a1", kDesa),
                              NewActivity(device_clock_, "a2", kDesa),
                              NewActivity(device_clock_, "a3", kDesa)}));
  ASSERT_EQ(first.size(), 3u);
  for (const DeltaOutcome& o : first) ASSERT_OK(o.status);
  EXPECT_GT(first[0].seq, 0u);
  EXPECT_EQ(first[1].seq, first[0].seq + 1);
  EXPECT_EQ(first[2].seq, first[0].seq + 2);
  EXPECT_EQ(sequencer_->Watermark(), first[2].seq) << "every allocation was finished";
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(sync::RecordState r,
                         applier_->Get("activity", "a" + std::to_string(i + 1)));
    EXPECT_EQ(r.seq, first[i].seq);
    EXPECT_TRUE(Has(IndexKey(kDesa, first[i].seq)));
  }

  // An edit gives the record a later sequence and moves its index entry.
  ASSERT_OK_AND_ASSIGN(sync::RecordState a1, applier_->Get("activity", "a1"));
  ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> edit,
                       Apply({EditField(device_clock_, "activity", "a1", kDesa, "status",
                                        std::string("done"), a1.fields.at("status").stamp)}));
  ASSERT_EQ(edit.size(), 1u);
  ASSERT_OK(edit[0].status);
  EXPECT_GT(edit[0].seq, first[2].seq);
  ASSERT_OK_AND_ASSIGN(sync::RecordState edited, applier_->Get("activity", "a1"));
  EXPECT_EQ(edited.seq, edit[0].seq);
  EXPECT_FALSE(Has(IndexKey(kDesa, first[0].seq))) << "the old index entry is removed";
  EXPECT_TRUE(Has(IndexKey(kDesa, edit[0].seq)));
}

TEST_F(PushApplierTest, RejectedDeltaLeavesNothingAndTheRestIsStored) {
  // An edit of a record the server lacks has none of the required fields.
  ASSERT_OK_AND_ASSIGN(
      std::vector<DeltaOutcome> outcomes,
      Apply({NewActivity(device_clock_, "kept", kDesa),
             EditField(device_clock_, "activity", "ghost", kDesa, "status", std::string("done"))}));
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_OK(outcomes[0].status);
  EXPECT_FALSE(outcomes[1].status.ok());
  EXPECT_EQ(outcomes[1].seq, 0u);
  ASSERT_OK_AND_ASSIGN(sync::RecordState ghost, applier_->Get("activity", "ghost"));
  EXPECT_TRUE(ghost.IsEmpty()) << "nothing of the rejected delta is stored";
  ASSERT_OK_AND_ASSIGN(sync::RecordState kept, applier_->Get("activity", "kept"));
  EXPECT_FALSE(kept.IsEmpty());

  // A push of nothing but rejected deltas writes nothing at all.
  const std::map<std::string, std::string> before = Stored();
  ASSERT_OK_AND_ASSIGN(
      outcomes, Apply({EditField(device_clock_, "activity", "ghost2", kDesa, "name",
                                 std::string("x"))}));
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].status.ok());
  EXPECT_EQ(Stored(), before);
}

TEST_F(PushApplierTest, AFailureDuringThePushStoresNothingOfIt) {
  const std::map<std::string, std::string> before = Stored();
  for (bool fail_finish : {false, true}) {
    SCOPED_TRACE(fail_finish ? "observer fails at Finish" : "observer fails at the 3rd change");
    FailingObserver observer(fail_finish ? 0 : 3, fail_finish);
    PushApplier applier(database_.get(), sequencer_.get(), &server_clock_,
                        &sync::Schema::Default());
    applier.AddObserver(&observer);
    auto outcomes = applier.Apply({NewActivity(device_clock_, "b1", kDesa),
                                   NewActivity(device_clock_, "b2", kDesa),
                                   NewActivity(device_clock_, "b3", kDesa)},
                                  sync::Writer::kDevice, kDevice);
    EXPECT_FALSE(outcomes.ok());
    EXPECT_EQ(Stored(), before) << "no record, index entry or observer write of the push";
  }
  // The sequences the failed pushes took were finished: a later push still
  // commits and becomes visible below the watermark.
  ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> later,
                       Apply({NewActivity(device_clock_, "b1", kDesa)}));
  ASSERT_OK(later[0].status);
  EXPECT_EQ(sequencer_->Watermark(), later[0].seq);
}

TEST_F(PushApplierTest, ReplayedPushChangesNothing) {
  // Two devices change the same field from the same base: one conflict.
  sync::Clock other_clock{kDevice + 1};
  ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> created,
                       Apply({NewActivity(device_clock_, "r1", kDesa)}));
  ASSERT_OK(created[0].status);
  ASSERT_OK_AND_ASSIGN(sync::RecordState stored, applier_->Get("activity", "r1"));
  const sync::Stamp base = stored.fields.at("status").stamp;
  // The other device saw the creation (its base), so its edit is stamped
  // after it even within the same millisecond.
  other_clock.Observe(base);
  const std::vector<sync::RecordDelta> mine = {
      EditField(device_clock_, "activity", "r1", kDesa, "status", std::string("done"), base)};
  const std::vector<sync::RecordDelta> theirs = {
      EditField(other_clock, "activity", "r1", kDesa, "status", std::string("stalled"), base)};
  ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> first_mine, Apply(mine));
  ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> first_theirs, Apply(theirs, kDevice + 1));
  ASSERT_OK(first_mine[0].status);
  ASSERT_OK(first_theirs[0].status);
  const std::map<std::string, std::string> after_first = Stored();
  int conflicts = 0;
  for (const auto& [key, value] : after_first) {
    conflicts += key.rfind(RecordKey(sync::kConflict, ""), 0) == 0;
  }
  EXPECT_EQ(conflicts, 1) << "concurrent edits of one field make one conflict record";
  const uint64_t watermark = sequencer_->Watermark();

  // The same pushes again (a device that never saw the acknowledgement).
  ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> again_mine, Apply(mine));
  ASSERT_OK_AND_ASSIGN(std::vector<DeltaOutcome> again_theirs, Apply(theirs, kDevice + 1));
  ASSERT_OK(again_mine[0].status);
  ASSERT_OK(again_theirs[0].status);
  EXPECT_EQ(Stored(), after_first) << "a replay writes nothing";
  ASSERT_OK_AND_ASSIGN(sync::RecordState now, applier_->Get("activity", "r1"));
  EXPECT_EQ(again_mine[0].seq, now.seq) << "the outcome names the stored version";
  EXPECT_EQ(again_theirs[0].seq, now.seq);
  EXPECT_GE(sequencer_->Watermark(), watermark);
}

// Text fields of an activity a write may change (all strings: any text is valid).
const std::vector<std::string> kTextFields = {"name", "notes", "output", "status", "unit"};

// A write of `fields` to activity `id`, all stamped `stamp` (one write),
// each based on `base`; its values name the writer so a test can tell them apart.
sync::RecordDelta TextWrite(const std::string& id, const std::vector<std::string>& fields,
                            sync::Stamp stamp, sync::Stamp base, const std::string& who) {
  sync::RecordDelta d{sync::kActivity, id, kDesa, {}};
  for (const std::string& f : fields) {
    // `status` is an enum: the writers pick different allowed values.
    sync::Value v = f == "status" ? std::string(who == "x" ? "done" : "stalled") : who + "-" + f;
    d.changes.push_back(sync::FieldChange{f, std::move(v), stamp, base});
  }
  return d;
}

// The record a create of every text field makes, all stamped `at`.
sync::RecordDelta CreateTexts(const std::string& id, sync::Stamp at) {
  sync::RecordDelta d = TextWrite(id, kTextFields, at, {}, "c");
  d.changes.push_back(sync::FieldChange{"year", int64_t{2026}, at, {}});
  d.changes.push_back(sync::FieldChange{"sector", int64_t{2}, at, {}});
  return d;
}

std::string IdOf(const std::string& record, sync::Stamp loser) {
  Conflict c;
  c.collection = sync::kActivity;
  c.id = record;
  c.loser = loser;
  return c.ConflictId();
}

TEST_F(PushApplierTest, TwoDevicesEditingFiveFieldsMakeOneConflictListingThem) {
  const sync::Stamp created = device_clock_.Now();
  ASSERT_OK(ApplyOk({CreateTexts("r5", created)}));
  const sync::Stamp x{created.wall_ms + 1, 0, 10};
  const sync::Stamp y{created.wall_ms + 2, 0, 11};
  ASSERT_OK(ApplyOk({TextWrite("r5", kTextFields, x, created, "x")}, 10));
  ASSERT_OK(ApplyOk({TextWrite("r5", kTextFields, y, created, "y")}, 11));

  int conflicts = 0;
  for (const auto& [key, value] : Stored()) {
    conflicts += key.rfind(RecordKey(sync::kConflict, ""), 0) == 0;
  }
  EXPECT_EQ(conflicts, 1) << "one record per losing write, not one per field";
  ASSERT_OK_AND_ASSIGN(sync::RecordState c, applier_->Get(sync::kConflict, IdOf("r5", x)));
  ASSERT_FALSE(c.IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::vector<sync::ConflictField> fields, sync::ConflictFieldsOf(c));
  ASSERT_EQ(fields.size(), 5u);
  for (size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(fields[i].name, kTextFields[i]);
    if (fields[i].name != "status") {
      EXPECT_EQ(fields[i].loser_json, sync::ValueToJson(std::string("x-" + kTextFields[i])));
      EXPECT_EQ(fields[i].winner_json, sync::ValueToJson(std::string("y-" + kTextFields[i])));
    }
  }
  EXPECT_EQ(c.GetString("loser_stamp"), sync::StampToString(x));
  EXPECT_EQ(c.GetString("winner_stamp"), sync::StampToString(y));
}

TEST_F(PushApplierTest, ALaterPushAddsAnotherFieldOfTheSameLosingWrite) {
  const sync::Stamp created = device_clock_.Now();
  ASSERT_OK(ApplyOk({CreateTexts("r6", created)}));
  // The losing write L changes name and unit; two later writes that never
  // saw it each overwrite one of them, in separate pushes.
  const sync::Stamp lost{created.wall_ms + 1, 0, 10};
  ASSERT_OK(ApplyOk({TextWrite("r6", {"name", "unit"}, lost, created, "x")}, 10));
  const sync::RecordDelta first =
      TextWrite("r6", {"name"}, {created.wall_ms + 2, 0, 11}, created, "y");
  ASSERT_OK(ApplyOk({first}, 11));
  const std::string id = IdOf("r6", lost);
  ASSERT_OK_AND_ASSIGN(sync::RecordState one, applier_->Get(sync::kConflict, id));
  EXPECT_EQ(one.GetString("field"), "name");
  EXPECT_EQ(one.GetString("loser_value"), "\"x-name\"") << "one field: the shape every app reads";

  const sync::RecordDelta second =
      TextWrite("r6", {"unit"}, {created.wall_ms + 3, 0, 11}, created, "y");
  ASSERT_OK(ApplyOk({second}, 11));
  ASSERT_OK_AND_ASSIGN(sync::RecordState two, applier_->Get(sync::kConflict, id));
  ASSERT_OK_AND_ASSIGN(std::vector<sync::ConflictField> fields, sync::ConflictFieldsOf(two));
  ASSERT_EQ(fields.size(), 2u) << "the record grows; the second loss is not dropped";
  EXPECT_EQ(fields[1], (sync::ConflictField{"unit", "\"y-unit\"", "\"x-unit\""}));
  EXPECT_GT(two.seq, one.seq) << "devices pull the grown record";
  EXPECT_EQ(two.GetInt("detected_at_ms"), one.GetInt("detected_at_ms"));
  EXPECT_TRUE(sync::ValidateMerged(sync::Schema::Default(), two).ok());

  // Replays of either push change nothing.
  const std::map<std::string, std::string> grown = Stored();
  ASSERT_OK(ApplyOk({first, second}, 11));
  EXPECT_EQ(Stored(), grown);
}

// Property: two concurrent writes of random field sets from one base make
// exactly one conflict record when they share a field (none otherwise),
// with the same id and fields in either arrival order, whatever is
// replayed and whether they come in one push or two.
TEST_F(PushApplierTest, ConcurrentWritesMakeOneConflictRecordInAnyOrder) {
  std::mt19937_64 rng(0x5eed);
  auto subset = [&] {
    std::vector<std::string> out;
    for (const std::string& f : kTextFields) {
      if (rng() % 2) out.push_back(f);
    }
    if (out.empty()) out.push_back(kTextFields[rng() % kTextFields.size()]);
    return out;
  };
  for (int c = 0; c < 150; ++c) {
    const sync::Stamp created = device_clock_.Now();
    const std::vector<std::string> fx = subset(), fy = subset();
    const sync::Stamp x{created.wall_ms + 1 + static_cast<int64_t>(rng() % 3), 0, 10};
    const sync::Stamp y{created.wall_ms + 1 + static_cast<int64_t>(rng() % 3), 0, 11};
    std::vector<std::string> shared;
    std::set_intersection(fx.begin(), fx.end(), fy.begin(), fy.end(), std::back_inserter(shared));
    const sync::Stamp loser = std::min(x, y);
    std::vector<std::vector<sync::ConflictField>> seen;
    for (int order = 0; order < 2; ++order) {
      const std::string id = absl::StrCat("p", c, "-", order);
      ASSERT_OK(ApplyOk({CreateTexts(id, created)}));
      sync::RecordDelta dx = TextWrite(id, fx, x, created, "x");
      sync::RecordDelta dy = TextWrite(id, fy, y, created, "y");
      if (order == 1) std::swap(dx, dy);
      const int how = static_cast<int>(rng() % 3);
      if (how == 0) {
        ASSERT_OK(ApplyOk({dx}));
        ASSERT_OK(ApplyOk({dy}));
      } else if (how == 1) {
        ASSERT_OK(ApplyOk({dx, dy}));
      } else {
        ASSERT_OK(ApplyOk({dx, dx}));
        ASSERT_OK(ApplyOk({dy, dx, dy}));
      }
      ASSERT_OK(ApplyOk({rng() % 2 ? dx : dy}));  // a late replay
      const sync::RecordState other_loser =
          *applier_->Get(sync::kConflict, IdOf(id, std::max(x, y)));
      EXPECT_TRUE(other_loser.IsEmpty()) << "case " << c << ": the winner lost nothing";
      ASSERT_OK_AND_ASSIGN(sync::RecordState record,
                           applier_->Get(sync::kConflict, IdOf(id, loser)));
      if (shared.empty()) {
        EXPECT_TRUE(record.IsEmpty()) << "case " << c << ": disjoint writes do not conflict";
        continue;
      }
      ASSERT_FALSE(record.IsEmpty()) << "case " << c << " order " << order;
      ASSERT_OK_AND_ASSIGN(std::vector<sync::ConflictField> fields, sync::ConflictFieldsOf(record));
      std::vector<std::string> names;
      for (const auto& f : fields) names.push_back(f.name);
      EXPECT_EQ(names, shared) << "case " << c << " order " << order;
      seen.push_back(fields);
    }
    if (seen.size() == 2) {
      EXPECT_EQ(seen[0], seen[1]) << "case " << c << ": the order changed the record";
    }
  }
}

}  // namespace
}  // namespace kawal::server
