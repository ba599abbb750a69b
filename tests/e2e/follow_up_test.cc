// Follow-up actions (tindak lanjut) end to end: a district officer creates
// them with the real kawal-report against the real kawal-server; a
// Pendamping Desa with a kecamatan scope receives them at the next sync,
// marks one done offline with a photo while the officer moves its due date,
// and after both sync each side holds both changes. The report counts open,
// overdue and done follow-ups; a facilitator can neither create one nor
// change what the district decided. The field app's `followup` commands do
// the same through the real kawal-field binary.
#include <google/protobuf/util/json_util.h>

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/schema.h"
#include "kawal/v1/report.pb.h"
#include "server_process.h"
#include "test_client.h"
#include "token_file.h"

namespace kawal::testing {
namespace {

using mobile::Device;
using mobile::FieldValues;
using ::testing::HasSubstr;

constexpr char kKecamatan[] = "62.10.01";
constexpr char kDesa[] = "62.10.01.2002";

// Due dates a year before and after today, so "overdue" and "not yet due"
// hold whatever day the test runs.
int ThisYear() { return absl::ToCivilYear(absl::Now(), absl::LocalTimeZone()).year(); }
std::string LastYear(const char* month_day) { return absl::StrCat(ThisYear() - 1, "-", month_day); }
std::string NextYear(const char* month_day) { return absl::StrCat(ThisYear() + 1, "-", month_day); }

class FollowUpTest : public DeviceFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server",
                                              std::vector<std::string>{"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    ASSERT_OK_AND_ASSIGN(std::string admin_token, server_->AdminToken());
    TestClient admin(server_->address(), admin_token);
    ASSERT_TRUE(admin.AddUser("pd", v1::FACILITATOR, {kKecamatan}, &pd_token_).ok());
    WriteTokenFile(TokenPath("pd"), pd_token_);
    std::string token;
    ASSERT_TRUE(admin.AddUser("dina", v1::DISTRICT_OFFICER, {"62.10"}, &token).ok());
    WriteTokenFile(TokenPath("dina"), token);
  }

  std::string TokenPath(const std::string& user) const {
    return dir_.path() + "/" + user + ".token";
  }

  // Runs kawal-report as `user`; exit code and output.
  std::pair<int, std::string> Report(const std::string& user, std::vector<std::string> args) {
    args.push_back("--server=" + server_->address());
    args.push_back("--token_file=" + TokenPath(user));
    absl::StatusOr<std::pair<int, std::string>> run =
        ServerProcess::RunToExit(KAWAL_REPORT_BINARY, args);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : std::make_pair(-1, std::string());
  }

  // A follow-up call of the officer whose JSON answer is parsed.
  v1::ListFollowUpsResponse FollowUps(std::vector<std::string> args) {
    args.insert(args.begin(), "followup");
    args.push_back("--format=json");
    auto [code, output] = Report("dina", args);
    EXPECT_EQ(code, 0) << output;
    v1::ListFollowUpsResponse parsed;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(output, &parsed).ok()) << output;
    return parsed;
  }

  std::string AddFollowUp(const std::string& activity, const std::string& action,
                          const std::string& due) {
    v1::ListFollowUpsResponse added =
        FollowUps({"add", std::string("--desa=") + kDesa, "--activity=" + activity,
                   "--problem=Material terlambat", "--action=" + action, "--responsible=pd",
                   "--due=" + due});
    EXPECT_EQ(added.follow_ups_size(), 1);
    return added.follow_ups_size() == 1 ? added.follow_ups(0).id() : "";
  }

  v1::AreaFigures Totals(int year) {
    auto [code, output] = Report("dina", {"--region=62.10", absl::StrCat("--year=", year),
                                          "--format=json"});
    EXPECT_EQ(code, 0) << output;
    v1::ProgressResponse parsed;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(output, &parsed).ok()) << output;
    return parsed.totals_size() > 0 ? parsed.totals(0).figures() : v1::AreaFigures();
  }

  // Runs kawal-field with its home in the test folder, in English.
  std::pair<int, std::string> Field(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home=" + dir_.path() + "/field", "--lang=en"});
    absl::StatusOr<std::pair<int, std::string>> run =
        ServerProcess::RunToExit(KAWAL_FIELD_BINARY, args);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : std::make_pair(-1, std::string());
  }

  std::string WritePicture(const std::string& name) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << std::string("\xFF\xD8\xFF\xE0", 4)
                                          << std::string(3000, 'p');
    return path;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string pd_token_;
};

TEST_F(FollowUpTest, DoneOfflineWithAPhotoWhileTheOfficerMovesTheDueDateKeepsBoth) {
  ASSERT_OK_AND_ASSIGN(auto phone, OpenDevice("phone", server_->address(), pd_token_));
  ASSERT_OK_AND_ASSIGN(std::string activity,
                       phone->Create(sync::kActivity, kDesa,
                                     {{"name", std::string("Drainase jalan desa")},
                                      {"year", int64_t{ThisYear()}},
                                      {"sector", int64_t{2}},
                                      {"status", std::string("in_progress")},
                                      {"budget", sync::AmountMap{{"DDS", 80000000}}}}));
  SyncOk(*phone);

  // At the rakor the district agrees three actions: one overdue since last
  // year, two due next year.
  const std::string late = AddFollowUp(activity, "Tagih penyedia material", LastYear("06-01"));
  const std::string drain = AddFollowUp(activity, "Perbaiki saluran", NextYear("03-01"));
  const std::string fence = AddFollowUp(activity, "Pasang pagar", NextYear("05-01"));
  ASSERT_FALSE(late.empty() || drain.empty() || fence.empty());

  // The Pendamping Desa receives them, then works offline.
  SyncOk(*phone);
  ASSERT_OK_AND_ASSIGN(auto received, phone->Get(sync::kFollowUp, drain));
  EXPECT_EQ(received.scope, kDesa);
  EXPECT_EQ(received.GetString("status"), "open");
  EXPECT_EQ(received.GetString("action"), "Perbaiki saluran");
  EXPECT_EQ(received.GetString("created_by"), "dina");

  ASSERT_TRUE(phone->UpdateFollowUp(drain,
                                    {{"status", std::string("done")},
                                     {"closing_note", std::string("Saluran sudah dibersihkan")}},
                                    {{.file = WritePicture("saluran.jpg"), .stage = "other",
                                      .caption = "Setelah perbaikan"}})
                  .ok());
  // Meanwhile the officer moves its due date, and cancels another.
  v1::ListFollowUpsResponse moved = FollowUps({"edit", drain, "--due=" + NextYear("04-15")});
  ASSERT_EQ(moved.follow_ups_size(), 1);
  EXPECT_EQ(moved.follow_ups(0).status(), "open");
  FollowUps({"edit", fence, "--status=cancelled"});

  // Both sides sync; each holds both changes.
  EXPECT_EQ(SyncOk(*phone).rejected, 0u);
  ASSERT_OK_AND_ASSIGN(auto merged, phone->Get(sync::kFollowUp, drain));
  EXPECT_EQ(merged.GetString("status"), "done");
  EXPECT_EQ(merged.GetString("due_date"), NextYear("04-15"));
  EXPECT_EQ(merged.GetString("closing_note"), "Saluran sudah dibersihkan");
  ASSERT_OK_AND_ASSIGN(auto cancelled, phone->Get(sync::kFollowUp, fence));
  EXPECT_EQ(cancelled.GetString("status"), "cancelled");

  v1::ListFollowUpsResponse listed = FollowUps({"list", "--region=62.10"});
  ASSERT_EQ(listed.follow_ups_size(), 3);
  const v1::FollowUpEntry* done = nullptr;
  for (const v1::FollowUpEntry& f : listed.follow_ups()) {
    if (f.id() == drain) done = &f;
    if (f.id() == late) EXPECT_TRUE(f.overdue());
  }
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->status(), "done");
  EXPECT_EQ(done->due_date(), NextYear("04-15"));
  EXPECT_EQ(done->closing_note(), "Saluran sudah dibersihkan");
  EXPECT_EQ(done->activity_name(), "Drainase jalan desa");
  ASSERT_EQ(done->photo_ids_size(), 1);
  EXPECT_FALSE(done->overdue());

  // The photo is evidence of the follow-up, and its bytes reached the server.
  ASSERT_OK_AND_ASSIGN(auto photo, phone->Get(sync::kPhoto, done->photo_ids(0)));
  EXPECT_EQ(photo.GetString("follow_up_id"), drain);
  EXPECT_EQ(photo.GetString("activity_id"), activity);
  ASSERT_OK_AND_ASSIGN(auto photos, phone->Photos(activity));
  ASSERT_EQ(photos.size(), 1u);

  // A second phone of the kecamatan sees the same merged follow-up.
  ASSERT_OK_AND_ASSIGN(auto tablet, OpenDevice("tablet", server_->address(), pd_token_));
  SyncOk(*tablet);
  ASSERT_OK_AND_ASSIGN(auto on_tablet, tablet->Get(sync::kFollowUp, drain));
  EXPECT_EQ(on_tablet.GetString("status"), "done");
  EXPECT_EQ(on_tablet.GetString("due_date"), NextYear("04-15"));

  // Follow-ups count under their due date's year.
  v1::AreaFigures last_year = Totals(ThisYear() - 1);
  EXPECT_EQ(last_year.followups_open(), 1);
  EXPECT_EQ(last_year.followups_overdue(), 1);
  EXPECT_EQ(last_year.followups_done(), 0);
  v1::AreaFigures next_year = Totals(ThisYear() + 1);
  EXPECT_EQ(next_year.followups_open(), 0);
  EXPECT_EQ(next_year.followups_overdue(), 0);
  EXPECT_EQ(next_year.followups_done(), 1);
  EXPECT_EQ(next_year.followups_cancelled(), 1);

  // The CSV carries the same counts per kecamatan.
  auto [code, csv] = Report("dina", {"--region=62.10", absl::StrCat("--year=", ThisYear() - 1),
                                     "--format=csv"});
  EXPECT_EQ(code, 0) << csv;
  EXPECT_THAT(csv, HasSubstr("followups_open,followups_overdue,followups_done"));
}

TEST_F(FollowUpTest, AFacilitatorCanNeitherCreateNorRewriteWhatTheDistrictDecided) {
  ASSERT_OK_AND_ASSIGN(auto phone, OpenDevice("phone", server_->address(), pd_token_));
  SyncOk(*phone);
  const std::string id = AddFollowUp("", "Rapat ulang dengan TPK", NextYear("01-31"));
  ASSERT_FALSE(id.empty());
  SyncOk(*phone);

  // Not through kawal-report: the facilitator's role has no report access.
  auto [code, output] = Report("pd", {"followup", "add", std::string("--desa=") + kDesa,
                                      "--action=Sendiri", "--due=" + NextYear("02-01")});
  EXPECT_EQ(code, 1);
  EXPECT_THAT(output, HasSubstr("PERMISSION_DENIED"));

  // Not on the device: follow-ups are not created there, and the action and
  // due date are the district's.
  absl::StatusOr<std::string> created =
      phone->Create(sync::kFollowUp, kDesa,
                    {{"action", std::string("x")}, {"due_date", NextYear("01-01")},
                     {"status", std::string("open")}});
  EXPECT_FALSE(created.ok());
  absl::Status rewritten = phone->Update(sync::kFollowUp, id, {{"action", std::string("Lain")}});
  EXPECT_FALSE(rewritten.ok());
  EXPECT_THAT(std::string(rewritten.message()), HasSubstr("action"));
  absl::Status moved = phone->UpdateFollowUp(id, {{"due_date", NextYear("12-01")}}, {});
  EXPECT_FALSE(moved.ok());

  // A status outside the list is refused naming it; nothing changed.
  absl::Status bad = phone->UpdateFollowUp(id, {{"status", std::string("selesai")}}, {});
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()), HasSubstr("selesai"));
  ASSERT_OK_AND_ASSIGN(auto kept, phone->Get(sync::kFollowUp, id));
  EXPECT_EQ(kept.GetString("status"), "open");
  EXPECT_EQ(kept.GetString("action"), "Rapat ulang dengan TPK");
  ASSERT_OK_AND_ASSIGN(uint64_t pending, phone->PendingCount());
  EXPECT_EQ(pending, 0u);

  // An officer's bad input is named: a responsible who is no user, a date
  // that is no date, a desa outside the district.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"followup", "add", std::string("--desa=") + kDesa, "--action=a", "--due=2027-13-01"},
           {"followup", "add", std::string("--desa=") + kDesa, "--action=a",
            "--due=" + NextYear("01-01"), "--responsible=nobody"},
           {"followup", "add", "--desa=62.11.01.2001", "--action=a", "--due=" + NextYear("01-01")},
       }) {
    auto [bad_code, bad_output] = Report("dina", args);
    EXPECT_NE(bad_code, 0) << bad_output;
    EXPECT_THAT(bad_output, HasSubstr("kawal-report: ")) << bad_output;
  }
}

TEST_F(FollowUpTest, KawalFieldListsAndClosesAFollowUpOffline) {
  auto [init_code, init] = Field({"init", "--server=" + server_->address(),
                                  "--token_file=" + TokenPath("pd")});
  ASSERT_EQ(init_code, 0) << init;
  const std::string late = AddFollowUp("", "Tagih material", LastYear("06-01"));
  const std::string later = AddFollowUp("", "Rapat TPK", NextYear("02-01"));
  ASSERT_FALSE(late.empty() || later.empty());
  auto [sync_code, synced] = Field({"sync"});
  ASSERT_EQ(sync_code, 0) << synced;

  // Both are listed soonest first, the late one marked overdue.
  auto [list_code, listed] = Field({"followup", "list"});
  EXPECT_EQ(list_code, 0) << listed;
  EXPECT_THAT(listed, HasSubstr(LastYear("06-01") + " (overdue)"));
  EXPECT_THAT(listed, HasSubstr("Rapat TPK"));
  EXPECT_LT(listed.find("Tagih material"), listed.find("Rapat TPK")) << listed;

  // A status outside the list is refused, naming it; then done with a photo.
  auto [bad_code, bad] = Field({"followup", "update", late, "--status=selesai"});
  EXPECT_NE(bad_code, 0);
  EXPECT_THAT(bad, HasSubstr("selesai"));
  auto [done_code, done] = Field({"followup", "update", late, "--status=done",
                                  "--note=Material sudah tiba",
                                  "--photo=" + WritePicture("nota.jpg"), "--caption=Nota"});
  ASSERT_EQ(done_code, 0) << done;
  EXPECT_THAT(done, HasSubstr("updated"));

  // Done leaves the default list, not --all.
  auto [open_code, still_open] = Field({"followup", "list"});
  EXPECT_EQ(open_code, 0);
  EXPECT_THAT(still_open, ::testing::Not(HasSubstr("Tagih material")));
  auto [all_code, all] = Field({"followup", "list", "--all"});
  EXPECT_EQ(all_code, 0);
  EXPECT_THAT(all, HasSubstr("Tagih material"));

  // After the sync the office sees it done, with its evidence.
  auto [again_code, again] = Field({"sync"});
  ASSERT_EQ(again_code, 0) << again;
  v1::ListFollowUpsResponse office = FollowUps({"list", "--region=62.10", "--status=done"});
  ASSERT_EQ(office.follow_ups_size(), 1);
  EXPECT_EQ(office.follow_ups(0).id(), late);
  EXPECT_EQ(office.follow_ups(0).closing_note(), "Material sudah tiba");
  EXPECT_EQ(office.follow_ups(0).photo_ids_size(), 1);
}

}  // namespace
}  // namespace kawal::testing
