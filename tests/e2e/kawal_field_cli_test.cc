// kawal-field, the real binary, against a real kawal-server: two
// facilitators (two data folders) record offline, sync, see each other's
// work and the same conflict; usage errors exit 2; a refused value exits 1
// and changes nothing; messages follow --lang and LANG; init twice keeps the
// data; a report with photos uploads them and another device fetches them
// by a hash prefix; and a sync killed with SIGKILL mid-push resumes without
// loss or duplicates.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli_process.h"
#include "fault_proxy.h"
#include "json.h"
#include "server_process.h"
#include "test_client.h"
#include "token_file.h"

namespace kawal::testing {
namespace {

using mobile::JsonValue;

constexpr char kDesa[] = "62.10.01.2002";  // Sepang Kota, seeded from 62.10

// kawal-field ARGS..., run to completion (cli_process.h).
CliResult RunField(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env = {}) {
  return RunCli(KAWAL_FIELD_BINARY, args, env);
}

JsonValue Json(const std::string& text) {
  auto parsed = mobile::ParseJson(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status() << " in: " << text;
  return parsed.ok() ? *parsed : JsonValue();
}

int64_t Int(const JsonValue* v) {
  int64_t n = -1;
  if (v == nullptr || !absl::SimpleAtoi(v->text, &n)) ADD_FAILURE() << "not an integer";
  return n;
}

std::string Str(const JsonValue* v) { return v != nullptr ? v->text : "<missing>"; }

const JsonValue* FieldOf(const JsonValue& record, const char* name) {
  const JsonValue* fields = record.Find("fields");
  return fields != nullptr ? fields->Find(name) : nullptr;
}

class KawalFieldCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server",
                                              std::vector<std::string>{"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    TestClient admin = AdminClient(*server_);
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token_ani_).ok());
    ASSERT_TRUE(admin.AddUser("budi", v1::FACILITATOR, {kDesa}, &token_budi_).ok());
    ani_ = dir_.path() + "/ani";
    budi_ = dir_.path() + "/budi";
    CliResult r = Field(ani_, {"init", "--server=" + server_->address(), "--token=" + token_ani_});
    ASSERT_EQ(r.code, 0) << r.err;
    // budi keeps the token in a file, as the help recommends.
    const std::string token_file = dir_.path() + "/budi.token";
    kawal::testing::WriteTokenFile(token_file, token_budi_);
    r = Field(budi_, {"init", "--server=" + server_->address(), "--token_file=" + token_file});
    ASSERT_EQ(r.code, 0) << r.err;
  }

  // kawal-field --home=HOME --lang=LANG ARGS...
  CliResult Field(const std::string& home, std::vector<std::string> args,
               const std::string& lang = "en") {
    args.insert(args.begin(), {"--home=" + home, "--lang=" + lang});
    return RunField(args);
  }

  std::string AddActivity(const std::string& home, const std::string& name) {
    CliResult r = Field(home, {"activity", "add", "--village=" + std::string(kDesa), "--year=2026",
                            "--name=" + name, "--sector=2", "--sdg=9,1",
                            "--budget=DDS:150.000.000,ADD:25000000", "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return Str(Json(r.out).Find("id"));
  }

  JsonValue StatusOf(const std::string& home) {
    CliResult r = Field(home, {"status", "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return Json(r.out);
  }

  void SyncOk(const std::string& home) {
    CliResult r = Field(home, {"sync"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_ani_, token_budi_;
  std::string ani_, budi_;
};

TEST_F(KawalFieldCliTest, OfflineWorkReachesTheOtherDeviceAndAConflictShowsOnBoth) {
  const std::string id = AddActivity(ani_, "Jalan usaha tani");
  ASSERT_EQ(id.size(), 32u);
  // The short id shown in lists is accepted.
  CliResult r = Field(ani_, {"report", "add", "--activity=" + id.substr(0, 8), "--progress=25",
                          "--spent=dds:10.000.000", "--workers=12", "--tranche=1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string report_id = Str(Json(r.out).Find("id"));
  EXPECT_EQ(Int(StatusOf(ani_).Find("pending_records")), 2);

  r = Field(ani_, {"sync"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("push 2/2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Sync done: 2 sent, 0 rejected"), std::string::npos) << r.out;
  JsonValue status = StatusOf(ani_);
  EXPECT_EQ(Int(status.Find("pending_records")), 0);
  EXPECT_GT(Int(status.Find("last_sync_ms")), 0);
  EXPECT_EQ(Str(status.Find("user")), "ani");

  SyncOk(budi_);
  r = Field(budi_, {"activity", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  JsonValue list = Json(r.out);
  ASSERT_EQ(list.array.size(), 1u) << r.out;
  EXPECT_EQ(Str(list.array[0].Find("id")), id);
  EXPECT_EQ(Str(FieldOf(list.array[0], "name")), "Jalan usaha tani");
  EXPECT_EQ(Int(FieldOf(list.array[0], "budget")->Find("DDS")), 150000000);
  EXPECT_EQ(Str(FieldOf(list.array[0], "status")), "planned");
  r = Field(budi_, {"report", "list", "--activity=" + id, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  list = Json(r.out);
  ASSERT_EQ(list.array.size(), 1u) << r.out;
  EXPECT_EQ(Str(list.array[0].Find("id")), report_id);
  EXPECT_EQ(Int(FieldOf(list.array[0], "spent")->Find("DDS")), 10000000);

  // Both change the status and the unit offline, each in one edit.
  ASSERT_EQ(Field(ani_, {"activity", "edit", id, "--status=in_progress", "--unit=meter"}).code, 0);
  ASSERT_EQ(Field(budi_, {"activity", "edit", id, "--status=stalled", "--unit=kilometer"}).code, 0);
  SyncOk(ani_);
  SyncOk(budi_);
  SyncOk(ani_);
  std::string winner;
  for (const std::string& home : {ani_, budi_}) {
    r = Field(home, {"conflicts", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    JsonValue conflicts = Json(r.out);
    ASSERT_EQ(conflicts.array.size(), 1u) << home << ": one for the losing edit: " << r.out;
    EXPECT_EQ(Str(FieldOf(conflicts.array[0], "field")), "status");
    ASSERT_NE(FieldOf(conflicts.array[0], "fields"), nullptr) << r.out;
    EXPECT_EQ(FieldOf(conflicts.array[0], "fields")->array.size(), 2u) << r.out;
    EXPECT_EQ(Str(FieldOf(conflicts.array[0], "record_id")), id);
    r = Field(home, {"activity", "show", id, "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string status_value = Str(FieldOf(Json(r.out), "status"));
    if (winner.empty()) winner = status_value;
    EXPECT_EQ(status_value, winner) << "one winner everywhere";
    EXPECT_EQ(Int(StatusOf(home).Find("pending_records")), 0);
    // The table names each field and both values.
    r = Field(home, {"conflicts"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("in progress"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("stalled"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("kilometer"), std::string::npos) << r.out;
  }

  // Ani settles it by restoring the value that lost, by the short id of the list.
  r = Field(ani_, {"conflicts", "--json"});
  const std::string conflict = Str(Json(r.out).array[0].Find("id"));
  const std::string loser = winner == "in_progress" ? "stalled" : "in_progress";
  const std::string lost_unit = loser == "in_progress" ? "meter" : "kilometer";
  r = Field(ani_, {"conflicts", "dismiss", conflict.substr(0, 8)});
  EXPECT_EQ(r.code, 2) << "dismissing needs --note";
  r = Field(ani_, {"conflicts", "resolve", conflict.substr(0, 8), "--keep=nobody"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--keep"), std::string::npos) << r.err;
  r = Field(ani_, {"conflicts", "resolve", conflict.substr(0, 8), "--keep=loser",
                   "--note=checked on site"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("lost value restored"), std::string::npos) << r.out;
  SyncOk(ani_);
  SyncOk(budi_);
  for (const std::string& home : {ani_, budi_}) {
    r = Field(home, {"conflicts", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(Json(r.out).array.empty()) << home << ": " << r.out;
    r = Field(home, {"conflicts", "--all", "--json"});
    ASSERT_EQ(Json(r.out).array.size(), 1u) << r.out;
    EXPECT_EQ(Str(FieldOf(Json(r.out).array[0], "resolution")), "restored_loser");
    r = Field(home, {"activity", "show", id, "--json"});
    EXPECT_EQ(Str(FieldOf(Json(r.out), "status")), loser) << home;
    EXPECT_EQ(Str(FieldOf(Json(r.out), "unit")), lost_unit)
        << home << ": the whole edit comes back";
  }
  r = Field(budi_, {"conflicts"}, "id");
  EXPECT_NE(r.out.find("Tidak ada konflik"), std::string::npos) << r.out;
}

TEST_F(KawalFieldCliTest, UsageErrorsExit2AndNameWhatIsWrong) {
  CliResult r = Field(ani_, {"frobnicate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());

  r = Field(ani_, {"activity", "add", "--village=" + std::string(kDesa), "--year=2026",
                   "--sector=2"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--name"), std::string::npos) << r.err;

  r = Field(ani_, {"activity", "list", "--colour=red"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--colour"), std::string::npos) << r.err;

  r = Field(ani_, {"activity", "edit", "--progress=10"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("ID"), std::string::npos) << r.err;

  r = Field(ani_, {"sync", "--timeout_s"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--timeout_s"), std::string::npos) << r.err;

  EXPECT_EQ(Field(ani_, {"status", "extra"}).code, 2);
  EXPECT_EQ(Field(ani_, {"--help"}).code, 0);
  // Nothing was written by any of them.
  EXPECT_EQ(Int(StatusOf(ani_).Find("pending_records")), 0);
}

TEST_F(KawalFieldCliTest, FlagValuesMayFollowAsTheNextArgument) {
  // "--flag value" is the same as "--flag=value"; a value may start with
  // '-' (a latitude south of the equator), but not with "--".
  CliResult r = RunField({"--home", ani_, "--lang", "en", "activity", "add", "--village", kDesa,
                       "--year", "2026", "--name", "Embung desa", "--sector", "2", "--lat",
                       "-2.21", "--lon", "113.92", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string id = Str(Json(r.out).Find("id"));
  r = Field(ani_, {"activity", "show", id, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"name\":\"Embung desa\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-2.21"), std::string::npos) << r.out;

  r = Field(ani_, {"activity", "list", "--village", "--json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--village needs a value"), std::string::npos) << r.err;
  // A boolean flag does not swallow the word after it.
  r = Field(ani_, {"status", "--json", "extra"});
  EXPECT_EQ(r.code, 2) << r.out;
  // Refused values are printed back in the --flag=value form.
  r = Field(ani_, {"activity", "edit", id, "--progress", "150"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--progress=150"), std::string::npos) << r.err;
}

TEST_F(KawalFieldCliTest, HelpPerCommandInBothLanguagesAndVersion) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"help", "activity", "add"},
        std::vector<std::string>{"activity", "add", "--help"}}) {
    CliResult en = Field(ani_, args, "en");
    EXPECT_EQ(en.code, 0) << en.err;
    EXPECT_NE(en.out.find("Usage: kawal-field COMMAND"), std::string::npos) << en.out;
    EXPECT_NE(en.out.find("activity add --village=DESA_CODE"), std::string::npos) << en.out;
    EXPECT_NE(en.out.find("prints the new id"), std::string::npos) << en.out;
    EXPECT_EQ(en.out.find("village edit"), std::string::npos) << "one command only\n" << en.out;
    CliResult id = Field(ani_, args, "id");
    EXPECT_EQ(id.code, 0) << id.err;
    EXPECT_NE(id.out.find("Pemakaian: kawal-field PERINTAH"), std::string::npos) << id.out;
    EXPECT_NE(id.out.find("mencetak ID baru"), std::string::npos) << id.out;
  }
  CliResult r = Field(ani_, {"sync", "--help"}, "en");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("sync [--no_gzip]"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("activity add"), std::string::npos) << r.out;
  r = Field(ani_, {"help", "frob"}, "en");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("frob"), std::string::npos) << r.err;
  r = Field(ani_, {"help"}, "en");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("village edit"), std::string::npos) << "the whole help\n" << r.out;

  r = RunField({"--version"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("kawal-field ", 0), 0u) << r.out;
}

TEST_F(KawalFieldCliTest, RefusedValueExits1AndLeavesTheStoreUnchanged) {
  const std::string id = AddActivity(ani_, "Sumur bor");
  CliResult before = Field(ani_, {"activity", "show", id, "--json"});
  ASSERT_EQ(before.code, 0) << before.err;

  CliResult r = Field(ani_, {"activity", "edit", id, "--progress=150", "--notes=ditulis"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("Invalid data: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("physical_progress_pct"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--progress=150 --notes=ditulis"), std::string::npos)
      << "typed values are printed back: " << r.err;

  // Values that do not even parse, and a bad value on create.
  EXPECT_EQ(Field(ani_, {"activity", "edit", id, "--progress=abc"}).code, 1);
  EXPECT_EQ(Field(ani_, {"activity", "edit", id, "--budget=XYZ:5"}).code, 1);
  r = Field(ani_, {"activity", "add", "--village=" + std::string(kDesa), "--year=2026",
                   "--name=Bad", "--sector=9"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("sector"), std::string::npos) << r.err;

  CliResult after = Field(ani_, {"activity", "show", id, "--json"});
  EXPECT_EQ(after.out, before.out) << "the refused write stored nothing";
  r = Field(ani_, {"activity", "list", "--json"});
  EXPECT_EQ(Json(r.out).array.size(), 1u) << r.out;
  EXPECT_EQ(Int(StatusOf(ani_).Find("pending_records")), 1);
}

// import FILE.jsonl: every line checked first; a bad line is named by its
// number (in the chosen language) and nothing is stored; --dry-run stores
// nothing; a good file lands in one commit and syncs.
TEST_F(KawalFieldCliTest, ImportIsAllOrNothingAndNamesTheBadLine) {
  auto activity = [](int i, const std::string& extra = "") {
    return absl::StrCat(R"({"op":"create","collection":"activity","scope":")", kDesa,
                        R"(","id":"imp-)", i, R"(","fields":{"name":"Kegiatan )", i,
                        R"(","year":2026,"sector":2,"status":"planned")", extra, "}}\n");
  };
  const std::string bad_file = dir_.path() + "/bad.jsonl";
  {
    std::ofstream out(bad_file);
    out << activity(1) << "\n" << activity(2) << activity(3, R"(,"physical_progress_pct":150)");
  }
  CliResult r = Field(ani_, {"import", bad_file});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(bad_file + " line 4: Invalid data: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("physical_progress_pct"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Nothing from"), std::string::npos) << r.err;
  r = Field(ani_, {"import", bad_file}, "id");
  EXPECT_NE(r.err.find(bad_file + " baris 4: Data tidak valid: "), std::string::npos) << r.err;
  {
    std::ofstream out(bad_file);
    out << activity(1) << "{\"op\":\"create\",\n";
  }
  r = Field(ani_, {"import", bad_file});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(bad_file + " line 2: "), std::string::npos) << r.err;
  EXPECT_EQ(Int(StatusOf(ani_).Find("pending_records")), 0) << "nothing stored";

  const std::string good_file = dir_.path() + "/good.jsonl";
  {
    std::ofstream out(good_file);
    for (int i = 0; i < 50; ++i) out << activity(i);
    out << R"({"op":"update","collection":"activity","id":"imp-0",)"
        << R"("fields":{"status":"in_progress"}})" << "\n"
        << R"({"op":"delete","collection":"activity","id":"imp-1"})" << "\n";
  }
  r = Field(ani_, {"import", good_file, "--dry-run", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Int(Json(r.out).Find("valid")), 52) << r.out;
  EXPECT_EQ(Int(StatusOf(ani_).Find("pending_records")), 0) << "a dry run stores nothing";
  r = Field(ani_, {"import", good_file});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("52 changes from"), std::string::npos) << r.out;
  EXPECT_EQ(Int(StatusOf(ani_).Find("pending_records")), 50);
  SyncOk(ani_);
  SyncOk(budi_);
  r = Field(budi_, {"activity", "list", "--json"});
  EXPECT_EQ(Json(r.out).array.size(), 49u) << "50 created, one deleted";
  r = Field(budi_, {"activity", "show", "imp-0", "--json"});
  EXPECT_EQ(Str(FieldOf(Json(r.out), "status")), "in_progress") << r.out;
}

// An activity's current progress follows its latest report (docs/domain.md).
TEST_F(KawalFieldCliTest, ActivityProgressFollowsItsLatestReport) {
  const std::string id = AddActivity(ani_, "Jalan usaha tani");
  ASSERT_EQ(Field(ani_, {"report", "add", "--activity=" + id, "--progress=40",
                         "--date=2026-05-10"}).code, 0);
  ASSERT_EQ(Field(ani_, {"report", "add", "--activity=" + id, "--progress=20",
                         "--date=2026-05-01"}).code, 0);  // an older visit, entered late
  CliResult show = Field(ani_, {"activity", "show", id, "--json"});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("\"physical_progress_pct\":40"), std::string::npos) << show.out;
}

// A report's `spent` is the cumulative realisasi per source at its visit
// date (docs/reports.md "Spending"): the activity follows the newest report,
// a lower amount needs a note on the device, and kawal-report shows it in
// every format.
TEST_F(KawalFieldCliTest, ActivitySpendingFollowsItsReportsAndEveryReportFormatShowsIt) {
  const std::string id = AddActivity(ani_, "Jalan usaha tani");
  auto spent_of = [&](const std::string& source) {
    CliResult show = Field(ani_, {"activity", "show", id, "--json"});
    EXPECT_EQ(show.code, 0) << show.err;
    const JsonValue activity = Json(show.out);
    const JsonValue* spent = FieldOf(activity, "spent");
    const JsonValue* amount = spent != nullptr ? spent->Find(source) : nullptr;
    return amount != nullptr ? Int(amount) : int64_t{-1};
  };
  CliResult r = Field(ani_, {"report", "add", "--activity=" + id, "--progress=50",
                          "--spent=DDS:50000000", "--date=2026-05-10"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(spent_of("DDS"), 50000000);

  // Lower than the 10 May report without a note: refused, naming the amount.
  r = Field(ani_, {"report", "add", "--activity=" + id, "--progress=55",
                   "--spent=DDS:30000000", "--date=2026-05-20"});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.err.find("Rp 50.000.000"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2026-05-10"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--notes"), std::string::npos) << r.err;
  EXPECT_EQ(spent_of("DDS"), 50000000);
  // An older visit entered late does not move the activity.
  r = Field(ani_, {"report", "add", "--activity=" + id, "--progress=20",
                   "--spent=DDS:10000000", "--date=2026-05-01"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(spent_of("DDS"), 50000000);
  // With a note it is a correction: accepted, and the activity follows it.
  r = Field(ani_, {"report", "add", "--activity=" + id, "--progress=55",
                   "--spent=DDS:30000000,ADD:5000000", "--date=2026-05-20",
                   "--notes=Koreksi: kuitansi 20 jt tercatat dua kali"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(spent_of("DDS"), 30000000);
  EXPECT_EQ(spent_of("ADD"), 5000000);
  SyncOk(ani_);

  // kawal-report as the district officer shows the activity's realisasi.
  std::string officer_token;
  ASSERT_TRUE(
      AdminClient(*server_).AddUser("dpmd", v1::DISTRICT_OFFICER, {"62.10"}, &officer_token).ok());
  const std::string token_file = dir_.path() + "/dpmd.token";
  kawal::testing::WriteTokenFile(token_file, officer_token);
  auto report = [&](const std::string& format, const std::string& lang) {
    auto result = ServerProcess::RunToExit(
        KAWAL_REPORT_BINARY, {"--server=" + server_->address(), "--token_file=" + token_file,
                              "--region=62.10.01", "--level=desa", "--year=2026",
                              "--format=" + format, "--lang=" + lang});
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(result.ok() ? result->first : -1, 0) << (result.ok() ? result->second : "");
    return result.ok() ? result->second : std::string();
  };
  const std::string csv = report("csv", "en");
  const size_t row = csv.find(std::string(kDesa) + ",");
  ASSERT_NE(row, std::string::npos) << csv;
  const std::string line = csv.substr(row, csv.find("\r\n", row) - row);
  // spent 35 jt (DDS 30 jt + ADD 5 jt), spent_DDS 30 jt, spent_ADD 5 jt.
  EXPECT_NE(line.find(",35000000,"), std::string::npos) << line;
  EXPECT_NE(line.find(",30000000,5000000,"), std::string::npos) << line;
  EXPECT_NE(report("table", "id").find("Rp 35.000.000"), std::string::npos);
  EXPECT_NE(report("html", "id").find("35.000.000"), std::string::npos);

  // The server applies the same rule to a report whose device did not hold
  // the earlier one: budi files 40 jt for the 25th, not knowing ani's 45 jt
  // of the 24th; the server refuses it, naming ani's amount.
  SyncOk(budi_);
  r = Field(ani_, {"report", "add", "--activity=" + id, "--progress=70",
                   "--spent=DDS:45000000", "--date=2026-05-24"});
  ASSERT_EQ(r.code, 0) << r.err;
  SyncOk(ani_);
  r = Field(budi_, {"report", "add", "--activity=" + id, "--progress=60",
                    "--spent=DDS:40000000", "--date=2026-05-25"});
  ASSERT_EQ(r.code, 0) << r.err;  // above the 30 jt budi holds
  r = Field(budi_, {"sync"});
  r = Field(budi_, {"rejected", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("INVALID_FIELD"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Rp 45.000.000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-05-24"), std::string::npos) << r.out;
}

// A JPEG-looking file of `size` bytes (kawal-field sniffs the content).
std::string WritePicture(const std::string& path, size_t size, char fill) {
  std::string bytes = "\xFF\xD8\xFF\xE0";
  bytes.resize(size, fill);
  std::ofstream(path, std::ios::binary) << bytes;
  return bytes;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(KawalFieldCliTest, ReportWithPhotoUploadsAndAnotherDeviceFetchesItByPrefix) {
  const std::string id = AddActivity(ani_, "Talud");
  const std::string bytes = WritePicture(dir_.path() + "/talud.jpg", 40000, 'x');
  CliResult r = Field(ani_, {"report", "add", "--activity=" + id.substr(0, 8), "--progress=50",
                          "--photo=" + dir_.path() + "/talud.jpg", "--stage=50",
                          "--caption=Talud sisi barat", "--lat=-2.2", "--lon=113.9"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string report_id(absl::StripAsciiWhitespace(r.out));
  EXPECT_EQ(report_id.size(), 32u) << r.out;

  r = Field(ani_, {"photo", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  JsonValue photos = Json(r.out);
  ASSERT_EQ(photos.array.size(), 1u) << r.out;
  EXPECT_EQ(Str(photos.array[0].Find("report_id")), report_id);
  EXPECT_EQ(Str(photos.array[0].Find("stage")), "50");
  EXPECT_EQ(Str(photos.array[0].Find("content_type")), "image/jpeg");
  EXPECT_EQ(Int(photos.array[0].Find("size")), 40000);
  EXPECT_TRUE(photos.array[0].Find("local")->boolean);
  EXPECT_FALSE(photos.array[0].Find("uploaded")->boolean);
  const std::string sha = Str(photos.array[0].Find("sha256"));
  ASSERT_EQ(sha.size(), 64u);

  r = Field(ani_, {"sync"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Photos uploaded: 1"), std::string::npos) << r.out;
  r = Field(ani_, {"photo", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(sha.substr(0, 12)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("on device"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sent"), std::string::npos) << r.out;

  SyncOk(budi_);
  r = Field(budi_, {"photo", "list", "--activity=" + id, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  photos = Json(r.out);
  ASSERT_EQ(photos.array.size(), 1u) << r.out;
  EXPECT_FALSE(photos.array[0].Find("local")->boolean);
  r = Field(budi_, {"photo", "list"}, "id");
  EXPECT_NE(r.out.find("tidak di perangkat"), std::string::npos) << r.out;

  const std::string out = dir_.path() + "/fetched.jpg";
  r = Field(budi_, {"photo", "get", sha.substr(0, 10), "--out=" + out, "--timeout_s=30"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(out), std::string::npos) << r.out;
  EXPECT_EQ(ReadAll(out), bytes);

  // Too short a prefix, and a hash of no photo here.
  r = Field(budi_, {"photo", "get", sha.substr(0, 4), "--out=" + out});
  EXPECT_EQ(r.code, 2) << r.err;
  r = Field(budi_, {"photo", "get", std::string(64, sha[0] == '0' ? '1' : '0'),
                    "--out=" + out});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("no photo"), std::string::npos) << r.err;
}

TEST_F(KawalFieldCliTest, PhotoFlagsAreCheckedAndANonImageIsRefusedWithNothingSaved) {
  const std::string id = AddActivity(ani_, "Sumur");
  WritePicture(dir_.path() + "/a.jpg", 1000, 'a');
  const int64_t pending = Int(StatusOf(ani_).Find("pending_records"));

  CliResult r = Field(ani_, {"report", "add", "--activity=" + id, "--progress=50",
                          "--photo=" + dir_.path() + "/a.jpg"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--stage"), std::string::npos) << r.err;

  r = Field(ani_, {"report", "add", "--activity=" + id, "--progress=50",
                   "--photo=" + dir_.path() + "/a.jpg", "--stage=75"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("'75'"), std::string::npos) << r.err;

  const std::string text = dir_.path() + "/notes.txt";
  std::ofstream(text) << "not a picture\n";
  r = Field(ani_, {"report", "add", "--activity=" + id, "--progress=50",
                   "--photo=" + dir_.path() + "/a.jpg," + text, "--stage=0"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("notes.txt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Nothing was saved"), std::string::npos) << r.err;

  EXPECT_EQ(Int(StatusOf(ani_).Find("pending_records")), pending);
  r = Field(ani_, {"photo", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "[]\n");
  r = Field(ani_, {"report", "list", "--activity=" + id, "--json"});
  EXPECT_EQ(r.out, "[]\n");
}

TEST_F(KawalFieldCliTest, MessagesFollowTheChosenLanguage) {
  const std::string id = AddActivity(ani_, "Jalan");
  CliResult id_lang = Field(ani_, {"activity", "edit", id, "--progress=150"}, "id");
  CliResult en_lang = Field(ani_, {"activity", "edit", id, "--progress=150"}, "en");
  EXPECT_EQ(id_lang.code, 1);
  EXPECT_EQ(en_lang.code, 1);
  EXPECT_NE(id_lang.err, en_lang.err);
  EXPECT_NE(id_lang.err.find("Data tidak valid: "), std::string::npos) << id_lang.err;
  EXPECT_NE(id_lang.err.find("Nilai yang diketik: --progress=150"), std::string::npos);
  EXPECT_NE(en_lang.err.find("Invalid data: "), std::string::npos) << en_lang.err;

  // Without --lang, LANG decides.
  CliResult r = RunField({"--home=" + ani_, "status"}, {{"LANG", "id_ID.UTF-8"}});
  EXPECT_NE(r.out.find("belum pernah"), std::string::npos) << r.out;
  r = RunField({"--home=" + ani_, "status"}, {{"LANG", "en_US.UTF-8"}});
  EXPECT_NE(r.out.find("never"), std::string::npos) << r.out;

  // Rupiah with the language's thousands separator; '*' marks unsent work.
  r = Field(ani_, {"activity", "list"}, "id");
  EXPECT_NE(r.out.find("Rp 175.000.000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("*"), std::string::npos) << r.out;
  r = Field(ani_, {"activity", "list"}, "en");
  EXPECT_NE(r.out.find("Rp 175,000,000"), std::string::npos) << r.out;
  SyncOk(ani_);
  r = Field(ani_, {"activity", "list"}, "en");
  EXPECT_EQ(r.out.find("*"), std::string::npos) << "sent: no marker\n" << r.out;
  r = Field(ani_, {"sync"}, "id");
  EXPECT_NE(r.out.find("Sinkronisasi selesai: 0 dikirim, 0 ditolak"), std::string::npos) << r.out;
}

TEST_F(KawalFieldCliTest, InitAgainKeepsTheDataAndAFailedSyncSaysSo) {
  const std::string id = AddActivity(ani_, "Posyandu");
  // Point at a port where nothing listens: only the server changes.
  CliResult r = Field(ani_, {"init", "--server=127.0.0.1:1"});
  ASSERT_EQ(r.code, 0) << r.err;
  JsonValue status = StatusOf(ani_);
  EXPECT_EQ(Str(status.Find("server")), "127.0.0.1:1");
  EXPECT_EQ(Int(status.Find("pending_records")), 1);

  r = Field(ani_, {"sync", "--timeout_s=2", "--max_attempts=1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("your data is kept on this device"), std::string::npos) << r.err;
  r = Field(ani_, {"sync", "--timeout_s=2", "--max_attempts=1"}, "id");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("data Anda tetap tersimpan di perangkat ini"), std::string::npos) << r.err;
  EXPECT_FALSE(Str(StatusOf(ani_).Find("last_error")).empty());

  // Back to the real server, keeping the token given at the first init.
  r = Field(ani_, {"init", "--server=" + server_->address()});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Field(ani_, {"activity", "show", id, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Str(FieldOf(Json(r.out), "name")), "Posyandu");
  SyncOk(ani_);
  EXPECT_EQ(Int(StatusOf(ani_).Find("pending_records")), 0);

  // A first init without a token is a usage error and creates nothing.
  const std::string fresh = dir_.path() + "/fresh";
  r = Field(fresh, {"init", "--server=" + server_->address()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--token"), std::string::npos) << r.err;
  EXPECT_EQ(::access(fresh.c_str(), F_OK), -1);
  r = Field(fresh, {"status"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("init"), std::string::npos) << r.err;

  // A token file other users may read is refused, in both languages, with the fix.
  const std::string open_token = WriteTokenFile(dir_.path() + "/open.token", token_ani_);
  ASSERT_EQ(::chmod(open_token.c_str(), 0644), 0);
  r = Field(fresh, {"init", "--server=" + server_->address(), "--token_file=" + open_token});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("chmod 600 " + open_token), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(token_ani_), std::string::npos) << "the token never appears";
  r = Field(fresh, {"init", "--server=" + server_->address(), "--token_file=" + open_token}, "id");
  EXPECT_NE(r.err.find("dapat dibaca pengguna lain"), std::string::npos) << r.err;
  EXPECT_EQ(::access(fresh.c_str(), F_OK), -1);
}

// kill -9 of `kawal-field sync` while it pushes over a slow link: the store
// reopens, and the next sync delivers everything exactly once.
TEST(KawalFieldCrashTest, SyncKilledMidPushResumesWithoutLossOrDuplicates) {
  TempDir dir;
  ServerProcess server(dir.path() + "/server");
  ASSERT_TRUE(server.Start().ok()) << server.Stderr();
  TestClient admin = AdminClient(server);
  std::string token;
  ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token).ok());
  FaultProxy proxy(server.address());
  ASSERT_TRUE(proxy.Start().ok());
  proxy.SetBandwidth(20000);  // ~2 KB records: a batch of 10 takes about a second

  const std::string home = dir.path() + "/ani";
  auto field = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--home=" + home, "--lang=en"});
    return RunField(args);
  };
  CliResult r = field({"init", "--server=" + proxy.address(), "--token=" + token});
  ASSERT_EQ(r.code, 0) << r.err;
  constexpr int kActivities = 40;
  std::set<std::string> created;
  // Notes that gzip cannot shrink much, so the push really takes seconds
  // through the slow link (1,900 equal letters compressed to a few bytes).
  std::mt19937 rng(7);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int i = 0; i < kActivities; ++i) {
    std::string notes(1900, ' ');
    for (char& c : notes) c = alphabet[rng() % alphabet.size()];
    r = field({"activity", "add", "--village=" + std::string(kDesa), "--year=2026",
               absl::StrCat("--name=Kegiatan ", i), "--sector=2", "--notes=" + notes});
    ASSERT_EQ(r.code, 0) << r.err;
    created.insert(std::string(absl::StripAsciiWhitespace(r.out)));
  }
  ASSERT_EQ(created.size(), static_cast<size_t>(kActivities));

  const CliChild sync = StartCli(KAWAL_FIELD_BINARY, {"--home=" + home, "sync", "--batch=10"});
  ASSERT_GT(sync.pid, 0);
  const pid_t pid = sync.pid;
  const int out_fd = sync.out_fd, err_fd = sync.err_fd;
  // Read progress lines until one says a batch was acknowledged (bounded).
  std::string seen, line_hit;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (line_hit.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{out_fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char chunk[512];
    ssize_t n = ::read(out_fd, chunk, sizeof chunk);
    if (n <= 0) break;
    seen.append(chunk, static_cast<size_t>(n));
    for (absl::string_view line : absl::StrSplit(seen, '\n')) {
      int pushed = 0;
      if (absl::ConsumePrefix(&line, "push ") &&
          absl::SimpleAtoi(line.substr(0, line.find('/')), &pushed) && pushed > 0) {
        line_hit = std::string(line);
        break;
      }
    }
  }
  // While the sync runs it holds the store: another kawal-field says so.
  CliResult busy = field({"status"});
  EXPECT_EQ(busy.code, 1);
  EXPECT_NE(busy.err.find("in use by another kawal-field"), std::string::npos) << busy.err;
  ::kill(pid, SIGKILL);
  int wait_status = 0;
  ::waitpid(pid, &wait_status, 0);
  ::close(out_fd);
  ::close(err_fd);
  ASSERT_FALSE(line_hit.empty()) << "no push progress line; output so far:\n" << seen;
  ASSERT_TRUE(WIFSIGNALED(wait_status)) << "the sync ended before the kill:\n" << seen;
  EXPECT_NE(line_hit, absl::StrCat(kActivities, "/", kActivities)) << seen;

  // The store reopens after the crash and still holds the unsent work.
  r = field({"status", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const int64_t pending = Int(Json(r.out).Find("pending_records"));
  EXPECT_GT(pending, 0);
  EXPECT_LT(pending, kActivities) << "the acknowledged batch stays acknowledged";
  std::cout << "killed after \"push " << line_hit << "\"; pending after the crash: " << pending
            << "\n";

  proxy.SetBandwidth(0);
  r = field({"sync"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(Int(Json(field({"status", "--json"}).out).Find("pending_records")), 0);

  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(admin.PullAll(0, {kDesa}, &records, &cursor).ok());
  std::multiset<std::string> on_server;
  for (const auto& rec : records) {
    if (rec.collection() == "activity") on_server.insert(rec.id());
  }
  EXPECT_EQ(on_server.size(), static_cast<size_t>(kActivities)) << "no duplicates";
  EXPECT_EQ(std::set<std::string>(on_server.begin(), on_server.end()), created);
}

// init --region: the kabupaten a shard proxy routes the first sync by;
// a code that is no region is refused and named.
TEST_F(KawalFieldCliTest, InitTakesTheRegionAndRefusesABadOne) {
  CliResult r = Field(ani_, {"init", "--server=" + server_->address(), "--token=" + token_ani_,
                          "--region=6x.10"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("6x.10"), std::string::npos) << r.err;
  r = Field(ani_, {"init", "--server=" + server_->address(), "--token=" + token_ani_,
                   "--region=62.10"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Field(ani_, {"sync"}).code, 0);
}

}  // namespace
}  // namespace kawal::testing
