// Two devices and a real kawal-server, through the mobile core: offline
// edits on both converge; different fields of one activity both survive;
// the same field yields one winner everywhere and one conflict record on
// both devices, which either device can settle for both; five fields of
// one edit on both make one conflict record and restore together; reports never
// conflict; a device clock a year ahead still syncs; a rejected write stays
// on the device with its reason.
#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/conflict_record.h"
#include "kawal/sync/schema.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;
using mobile::DeviceOptions;
using mobile::FieldValues;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kDesa[] = "62.10.01.2001";

FieldValues Activity(const std::string& name) {
  return {{"name", name},
          {"year", int64_t{2026}},
          {"sector", int64_t{2}},
          {"status", std::string("planned")},
          {"budget", sync::AmountMap{{"DDS", 150000000}}},
          {"sdg_goals", sync::ScalarList{int64_t{9}}}};
}

class TwoDevicesTest : public DeviceFixture {
 protected:
  void SetUp() override {
    StartSeededServer();
    if (HasFatalFailure()) return;
    AddFacilitator("ani", {kDesa}, &token_a_);
    AddFacilitator("budi", {kDesa}, &token_b_);
    ASSERT_OK_AND_ASSIGN(a_, Open("a", token_a_));
    ASSERT_OK_AND_ASSIGN(b_, Open("b", token_b_));
  }

  absl::StatusOr<std::unique_ptr<Device>> Open(const std::string& name, const std::string& token,
                                               sync::TimeSource time = nullptr) {
    DeviceOptions options = DeviceOptionsFor(name);
    options.time_source = std::move(time);
    return OpenTestDevice(std::move(options), server_->address(), token);
  }

  mobile::SyncReport Sync(Device& device) { return SyncOk(device); }

  std::string token_a_, token_b_;
  std::unique_ptr<Device> a_, b_;
};

TEST_F(TwoDevicesTest, OfflineEditsOnBothConverge) {
  auto id_a = a_->Create("activity", kDesa, Activity("Jalan usaha tani"));
  auto id_b = b_->Create("activity", kDesa, Activity("Sumur bor"));
  ASSERT_TRUE(id_a.ok() && id_b.ok()) << id_a.status() << id_b.status();
  EXPECT_THAT(a_->PendingCount(), IsOkAndHolds(1u));
  Sync(*a_);
  Sync(*b_);
  Sync(*a_);
  EXPECT_THAT(a_->PendingCount(), IsOkAndHolds(0u));
  EXPECT_THAT(b_->PendingCount(), IsOkAndHolds(0u));
  auto snap_a = DeviceSnapshot(*a_);
  EXPECT_EQ(snap_a, DeviceSnapshot(*b_));
  EXPECT_EQ(snap_a.size(), 2u);
}

TEST_F(TwoDevicesTest, DifferentFieldsOfOneActivityBothSurvive) {
  auto id = a_->Create("activity", kDesa, Activity("Jalan"));
  ASSERT_TRUE(id.ok());
  Sync(*a_);
  Sync(*b_);
  ASSERT_TRUE(a_->Update("activity", *id, {{"physical_progress_pct", 40.0}}).ok());
  ASSERT_TRUE(b_->Update("activity", *id, {{"status", std::string("in_progress")}}).ok());
  Sync(*a_);
  Sync(*b_);
  Sync(*a_);
  for (Device* d : {a_.get(), b_.get()}) {
    ASSERT_OK_AND_ASSIGN(sync::RecordState r, d->Get("activity", *id));
    ASSERT_NE(r.Get("physical_progress_pct"), nullptr);
    ASSERT_NE(r.Get("status"), nullptr);
    EXPECT_DOUBLE_EQ(std::get<double>(*r.Get("physical_progress_pct")), 40.0);
    EXPECT_EQ(std::get<std::string>(*r.Get("status")), "in_progress");
    EXPECT_THAT(d->Conflicts(), IsOkAndHolds(IsEmpty()));
  }
  EXPECT_EQ(DeviceSnapshot(*a_), DeviceSnapshot(*b_));
}

TEST_F(TwoDevicesTest, SameFieldHasOneWinnerAndOneConflictOnBoth) {
  auto id = a_->Create("activity", kDesa, Activity("Jalan"));
  ASSERT_TRUE(id.ok());
  Sync(*a_);
  Sync(*b_);
  ASSERT_TRUE(a_->Update("activity", *id, {{"status", std::string("in_progress")}}).ok());
  ASSERT_TRUE(b_->Update("activity", *id, {{"status", std::string("stalled")}}).ok());
  Sync(*a_);
  Sync(*b_);
  Sync(*a_);
  ASSERT_OK_AND_ASSIGN(sync::RecordState ra, a_->Get("activity", *id));
  ASSERT_OK_AND_ASSIGN(sync::RecordState rb, b_->Get("activity", *id));
  ASSERT_NE(ra.Get("status"), nullptr);
  ASSERT_NE(rb.Get("status"), nullptr);
  EXPECT_EQ(sync::ValueToJson(*ra.Get("status")), sync::ValueToJson(*rb.Get("status")));
  ASSERT_OK_AND_ASSIGN(auto ca, a_->Conflicts());
  ASSERT_OK_AND_ASSIGN(auto cb, b_->Conflicts());
  ASSERT_EQ(ca.size(), 1u);
  ASSERT_EQ(cb.size(), 1u);
  EXPECT_EQ(ca[0].id, cb[0].id);
  ASSERT_NE(ca[0].Get("field"), nullptr);
  EXPECT_EQ(std::get<std::string>(*ca[0].Get("field")), "status");
  EXPECT_EQ(DeviceSnapshot(*a_), DeviceSnapshot(*b_));
}

// Both devices change the status of one activity offline; returns the
// activity's id once both hold the one conflict.
std::string MakeStatusConflict(Device& a, Device& b,
                               const std::function<void(Device&)>& sync) {
  auto id = a.Create("activity", kDesa, Activity("Jalan"));
  EXPECT_TRUE(id.ok()) << id.status();
  if (!id.ok()) return "";
  sync(a);
  sync(b);
  EXPECT_TRUE(a.Update("activity", *id, {{"status", std::string("in_progress")}}).ok());
  EXPECT_TRUE(b.Update("activity", *id, {{"status", std::string("stalled")}}).ok());
  sync(a);
  sync(b);
  sync(a);
  return *id;
}

std::string Text(const sync::RecordState& r, const char* field) {
  const sync::Value* v = r.Get(field);
  return v != nullptr && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "";
}

TEST_F(TwoDevicesTest, RestoringTheLostValueSettlesTheConflictOnBoth) {
  const std::string id = MakeStatusConflict(*a_, *b_, [this](Device& d) { Sync(d); });
  ASSERT_OK_AND_ASSIGN(auto open, a_->Conflicts());
  ASSERT_EQ(open.size(), 1u);
  std::string loser;  // the status whose JSON the conflict holds as the lost value
  for (const char* status : {"in_progress", "stalled"}) {
    if (sync::ValueToJson(std::string(status)) == Text(open[0], "loser_value")) loser = status;
  }
  ASSERT_FALSE(loser.empty()) << Text(open[0], "loser_value");
  ASSERT_OK_AND_ASSIGN(sync::RecordState before, a_->Get("activity", id));
  ASSERT_NE(Text(before, "status"), loser);

  ASSERT_TRUE(a_->ResolveConflict(open[0].id, mobile::ConflictChoice::kRestoreLoser,
                                  "dicek di lapangan")
                  .ok());
  Sync(*a_);
  Sync(*b_);
  Sync(*a_);
  for (Device* d : {a_.get(), b_.get()}) {
    ASSERT_OK_AND_ASSIGN(sync::RecordState r, d->Get("activity", id));
    EXPECT_EQ(Text(r, "status"), loser) << "the restored value wins everywhere";
    EXPECT_THAT(d->Conflicts(), IsOkAndHolds(IsEmpty())) << "settled leaves the open list";
    ASSERT_OK_AND_ASSIGN(auto all, d->Conflicts(/*include_settled=*/true));
    ASSERT_EQ(all.size(), 1u) << "restoring a value seen by its writer is no new conflict";
    EXPECT_EQ(Text(all[0], "resolution"), sync::kRestoredLoser);
    EXPECT_EQ(Text(all[0], "resolved_by"), "ani");
    EXPECT_EQ(Text(all[0], "resolution_note"), "dicek di lapangan");
  }
  // Replays change nothing: another round of syncs leaves both as they are.
  const auto settled = DeviceSnapshot(*a_);
  EXPECT_EQ(settled, DeviceSnapshot(*b_));
  Sync(*b_);
  Sync(*a_);
  EXPECT_EQ(DeviceSnapshot(*a_), settled);
  EXPECT_EQ(DeviceSnapshot(*b_), settled);
}

// One device's edit of five fields: what both devices write to them.
FieldValues FiveFields(const std::string& who, const std::string& status) {
  return {{"name", "Jalan " + who},
          {"notes", "catatan " + who},
          {"output", "hasil " + who},
          {"status", status},
          {"unit", "m-" + who}};
}

TEST_F(TwoDevicesTest, FiveFieldsEditedOnBothMakeOneConflictAndRestoreTogether) {
  auto id = a_->Create("activity", kDesa, Activity("Jalan"));
  ASSERT_TRUE(id.ok()) << id.status();
  Sync(*a_);
  Sync(*b_);
  const FieldValues mine = FiveFields("a", "in_progress");
  const FieldValues theirs = FiveFields("b", "stalled");
  ASSERT_TRUE(a_->Update("activity", *id, mine).ok());
  ASSERT_TRUE(b_->Update("activity", *id, theirs).ok());
  Sync(*a_);
  Sync(*b_);
  Sync(*a_);
  ASSERT_OK_AND_ASSIGN(auto open, a_->Conflicts());
  ASSERT_EQ(open.size(), 1u) << "one conflict record for the losing write, not one per field";
  ASSERT_OK_AND_ASSIGN(auto on_b, b_->Conflicts());
  ASSERT_EQ(on_b.size(), 1u);
  EXPECT_EQ(on_b[0].id, open[0].id);
  ASSERT_OK_AND_ASSIGN(std::vector<sync::ConflictField> fields, sync::ConflictFieldsOf(open[0]));
  ASSERT_EQ(fields.size(), 5u);
  // The losing write is one device's whole edit.
  const FieldValues& lost =
      fields[0].loser_json == sync::ValueToJson(mine[0].second) ? mine : theirs;
  for (size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(fields[i].name, lost[i].first);
    EXPECT_EQ(fields[i].loser_json, sync::ValueToJson(lost[i].second)) << fields[i].name;
  }

  ASSERT_TRUE(b_->ResolveConflict(open[0].id, mobile::ConflictChoice::kRestoreLoser,
                                  "dua-duanya dicek")
                  .ok());
  Sync(*b_);
  Sync(*a_);
  Sync(*b_);
  for (Device* d : {a_.get(), b_.get()}) {
    ASSERT_OK_AND_ASSIGN(sync::RecordState r, d->Get("activity", *id));
    for (const auto& [name, value] : lost) {
      ASSERT_NE(r.Get(name), nullptr) << name;
      EXPECT_EQ(sync::ValueToJson(*r.Get(name)), sync::ValueToJson(value))
          << name << ": every field of the lost write comes back";
    }
    ASSERT_OK_AND_ASSIGN(auto all, d->Conflicts(/*include_settled=*/true));
    ASSERT_EQ(all.size(), 1u) << "restoring raises no new conflict";
    EXPECT_EQ(Text(all[0], "resolution"), sync::kRestoredLoser);
  }
  EXPECT_EQ(DeviceSnapshot(*a_), DeviceSnapshot(*b_));
}

TEST_F(TwoDevicesTest, KeepingOrDismissingIsOnceAndNeedsItsNote) {
  const std::string id = MakeStatusConflict(*a_, *b_, [this](Device& d) { Sync(d); });
  ASSERT_OK_AND_ASSIGN(auto open, b_->Conflicts());
  ASSERT_EQ(open.size(), 1u);
  ASSERT_OK_AND_ASSIGN(sync::RecordState before, b_->Get("activity", id));
  EXPECT_TRUE(absl::IsInvalidArgument(
      b_->ResolveConflict(open[0].id, mobile::ConflictChoice::kDismiss, "")));
  EXPECT_TRUE(absl::IsNotFound(
      b_->ResolveConflict("c-0123456789abcdef0123456789abcdef", mobile::ConflictChoice::kKeepWinner)));
  ASSERT_TRUE(b_->ResolveConflict(open[0].id, mobile::ConflictChoice::kKeepWinner).ok());
  absl::Status again = b_->ResolveConflict(open[0].id, mobile::ConflictChoice::kDismiss, "x");
  EXPECT_TRUE(absl::IsFailedPrecondition(again)) << again;
  EXPECT_THAT(std::string(again.message()), ::testing::HasSubstr("budi"));
  Sync(*b_);
  Sync(*a_);
  ASSERT_OK_AND_ASSIGN(sync::RecordState after, a_->Get("activity", id));
  EXPECT_EQ(Text(after, "status"), Text(before, "status")) << "keeping the winner changes nothing";
  EXPECT_THAT(a_->Conflicts(), IsOkAndHolds(IsEmpty()));
  EXPECT_EQ(DeviceSnapshot(*a_), DeviceSnapshot(*b_));
}

TEST_F(TwoDevicesTest, ServerRefusesASettlementInAnotherUsersName) {
  MakeStatusConflict(*a_, *b_, [this](Device& d) { Sync(d); });
  ASSERT_OK_AND_ASSIGN(auto open, a_->Conflicts());
  ASSERT_EQ(open.size(), 1u);
  sync::Clock clock(0x77);
  sync::RecordDelta forged;
  forged.collection = sync::kConflict;
  forged.id = open[0].id;
  forged.scope = kDesa;
  forged.changes = {{"resolution", std::string(sync::kDismissed), clock.Now(), {}},
                    {"resolved_by", std::string("budi"), clock.Now(), {}}};
  TestClient ani(server_->address(), token_a_);
  v1::PushResponse response;
  ASSERT_TRUE(ani.Push(MakePush(0x77, {forged}), &response).ok());
  ASSERT_EQ(response.results_size(), 1);
  EXPECT_EQ(response.results(0).reason(), v1::SCOPE_DENIED);
  EXPECT_THAT(response.results(0).message(), ::testing::HasSubstr("own user"));
  Sync(*b_);
  EXPECT_THAT(b_->Conflicts(), IsOkAndHolds(SizeIs(1))) << "nothing of it was stored";
}

TEST_F(TwoDevicesTest, ProgressReportsFromBothNeverConflict) {
  auto id = a_->Create("activity", kDesa, Activity("Jalan"));
  ASSERT_TRUE(id.ok());
  Sync(*a_);
  Sync(*b_);
  for (Device* d : {a_.get(), b_.get()}) {
    for (int i = 0; i < 3; ++i) {
      auto report = d->Create("progress_report", kDesa,
                              {{"activity_id", *id},
                               {"visit_date", std::string("2026-05-0") + std::to_string(i + 1)},
                               {"physical_progress_pct", 10.0 * (i + 1)}});
      ASSERT_TRUE(report.ok()) << report.status();
    }
  }
  Sync(*a_);
  Sync(*b_);
  Sync(*a_);
  mobile::ListQuery reports;
  reports.collection = "progress_report";
  reports.activity_id = *id;
  EXPECT_THAT(a_->List(reports), IsOkAndHolds(SizeIs(6)));
  EXPECT_THAT(b_->List(reports), IsOkAndHolds(SizeIs(6)));
  EXPECT_THAT(a_->Conflicts(), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(b_->Conflicts(), IsOkAndHolds(IsEmpty()));
}

TEST_F(TwoDevicesTest, DeviceClockAYearAheadSyncsAfterItsHandshake) {
  const int64_t kYear = 365LL * 24 * 3600 * 1000;
  ASSERT_OK_AND_ASSIGN(auto skewed,
                       Open("skewed", token_a_, [kYear] { return sync::SystemTimeMs() + kYear; }));
  auto id = skewed->Create("activity", kDesa, Activity("Dibuat dengan jam salah"));
  ASSERT_TRUE(id.ok());
  auto report = Sync(*skewed);
  EXPECT_EQ(report.rejected, 0u);
  EXPECT_THAT(skewed->PendingCount(), IsOkAndHolds(0u));
  EXPECT_THAT(skewed->Rejections(), IsOkAndHolds(IsEmpty()));
  Sync(*b_);
  auto seen = b_->Get("activity", *id);
  ASSERT_TRUE(seen.ok()) << seen.status();
  // Stamps are near server time, not a year ahead.
  EXPECT_LT(seen->MaxStamp().wall_ms, sync::SystemTimeMs() + 3600 * 1000);
  // Later edits from the skewed device still win over its earlier ones.
  ASSERT_TRUE(skewed->Update("activity", *id, {{"status", std::string("done")}}).ok());
  Sync(*skewed);
  Sync(*b_);
  ASSERT_OK_AND_ASSIGN(sync::RecordState edited, b_->Get("activity", *id));
  ASSERT_NE(edited.Get("status"), nullptr);
  EXPECT_EQ(std::get<std::string>(*edited.Get("status")), "done");
}

TEST_F(TwoDevicesTest, RejectedWriteStaysOnTheDeviceWithItsReason) {
  // Allowed locally (a well-formed desa), refused by the server (not ani's).
  auto id = a_->Create("activity", "62.10.02.2001", Activity("Di desa lain"));
  ASSERT_TRUE(id.ok());
  auto report = Sync(*a_);
  EXPECT_EQ(report.rejected, 1u);
  ASSERT_OK_AND_ASSIGN(auto rejections, a_->Rejections());
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].reason, "SCOPE_DENIED");
  EXPECT_NE(rejections[0].message.find("62.10.02.2001"), std::string::npos);
  EXPECT_TRUE(a_->Get("activity", *id).ok()) << "the data stays";
  Sync(*a_);  // not re-sent, still kept
  EXPECT_THAT(a_->Rejections(), IsOkAndHolds(SizeIs(1)));
  ASSERT_TRUE(a_->DiscardRejected("activity", *id).ok());
  EXPECT_THAT(a_->Rejections(), IsOkAndHolds(IsEmpty()));
  EXPECT_FALSE(a_->Get("activity", *id).ok());
}

TEST_F(TwoDevicesTest, InvalidLocalWriteIsRefusedBeforeStoring) {
  auto bad = a_->Create("activity", kDesa,
                        {{"name", std::string("x")}, {"year", int64_t{2026}},
                         {"sector", int64_t{9}}, {"status", std::string("planned")}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sector"), absl::string_view::npos);
  EXPECT_THAT(a_->PendingCount(), IsOkAndHolds(0u));
}

TEST_F(TwoDevicesTest, DeleteReachesTheOtherDevice) {
  auto id = a_->Create("activity", kDesa, Activity("Jalan"));
  ASSERT_TRUE(id.ok());
  Sync(*a_);
  Sync(*b_);
  ASSERT_TRUE(b_->Get("activity", *id).ok());
  ASSERT_TRUE(a_->Delete("activity", *id).ok());
  Sync(*a_);
  Sync(*b_);
  ASSERT_OK_AND_ASSIGN(sync::RecordState deleted, b_->Get("activity", *id));
  EXPECT_FALSE(deleted.Visible());
  EXPECT_THAT(b_->Conflicts(), IsOkAndHolds(IsEmpty()));
}

}  // namespace
}  // namespace kawal::testing
