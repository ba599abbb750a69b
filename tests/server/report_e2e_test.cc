// End-to-end tests of kawal-report against the real kawal-server: a
// facilitator pushes a known data set into Gunung Mas (62.10), then the
// real kawal-report binary is run as a district officer and its CSV, JSON,
// table and HTML output must carry the exact figures. Officers outside the
// region and facilitators are denied; usage errors exit 2.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
#include "kawal/v1/report.pb.h"
#include "server_process.h"
#include "test_client.h"
#include "token_file.h"

namespace kawal::testing {
namespace {

constexpr char kDesaA[] = "62.10.01.2002";  // Sepang Kota, kecamatan Sepang
constexpr char kDesaB[] = "62.10.01.2003";  // Tewai Baru, kecamatan Sepang
constexpr char kDesaC[] = "62.10.02.2003";  // Tanjung Riu, kecamatan Kurun
constexpr uint64_t kDevice = 0xA1;
constexpr uint64_t kOtherDevice = 0xB2;

std::string ReportBinary() { return KAWAL_REPORT_BINARY; }

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// CSV rows split on CRLF and commas (the test data needs no quoting).
std::vector<std::vector<std::string>> Csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  for (absl::string_view line : absl::StrSplit(text, "\r\n", absl::SkipEmpty())) {
    rows.push_back(absl::StrSplit(line, ','));
  }
  return rows;
}

// The field of `column` in the row whose first fields are `code` (and
// `key`, when given).
std::string Field(const std::vector<std::vector<std::string>>& csv, const std::string& code,
                  const std::string& column, const std::string& key = "") {
  if (csv.empty()) return "<empty csv>";
  const auto& header = csv[0];
  const auto col = std::find(header.begin(), header.end(), column);
  if (col == header.end()) return "<no column " + column + ">";
  for (size_t r = 1; r < csv.size(); ++r) {
    if (csv[r][0] != code || (!key.empty() && csv[r][2] != key)) continue;
    const size_t i = col - header.begin();
    return i < csv[r].size() ? csv[r][i] : "<short row>";
  }
  return "<no row " + code + " " + key + ">";
}

// The stamp the creating delta gave `field` (what the writer saw).
sync::Stamp StampOf(const sync::RecordDelta& created, const std::string& field) {
  for (const auto& c : created.changes) {
    if (c.name == field) return c.stamp;
  }
  return {};
}

class ReportE2eTest : public ::testing::Test {
 protected:
  // One server and one data set for the whole suite: the tests only read.
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new ServerProcess(dir_->path() + "/data", {"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    absl::StatusOr<std::string> admin_token = server_->AdminToken();
    ASSERT_TRUE(admin_token.ok());
    TestClient admin(server_->address(), *admin_token);
    std::string token;
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesaA, kDesaB, kDesaC}, &token).ok());
    WriteToken("ani", token);
    ani_ = new TestClient(server_->address(), token);
    ASSERT_TRUE(admin.AddUser("dina", v1::DISTRICT_OFFICER, {"62.10"}, &token).ok());
    WriteToken("dina", token);
    ASSERT_TRUE(admin.AddUser("pulang", v1::DISTRICT_OFFICER, {"62.11"}, &token).ok());
    WriteToken("pulang", token);
    PushDataSet();
  }

  static void TearDownTestSuite() {
    delete ani_;
    delete server_;
    delete dir_;
  }

  static void WriteToken(const std::string& user, const std::string& token) {
    kawal::testing::WriteTokenFile(TokenPath(user), token);
  }
  static std::string TokenPath(const std::string& user) {
    return dir_->path() + "/" + user + ".token";
  }

  // Sepang (62.10.01):
  //   a1 in Sepang Kota: budget DDS 150M + ADD 25M, in_progress at 40%,
  //      spent DDS 70M, food security and padat karya; one report with
  //      12 workers, 30.5 HOK, wages 3,050,000.
  //   a2 in Tewai Baru: revised budget DDS 160M + ADD 25M, done at 100%,
  //      spent DDS 150M + ADD 25M.
  // Kurun (62.10.02):
  //   a3 in Tanjung Riu: budget DDS 150M + ADD 25M, stalled at 10%.
  // All sector 2, SDGs Desa goals 9 and 1, year 2026.
  static void PushDataSet() {
    sync::Clock clock(kDevice);
    const auto a1 = NewActivity(clock, "a1", kDesaA, "Jalan usaha tani Sepang Kota");
    const auto a2 = NewActivity(clock, "a2", kDesaB, "Jembatan desa");
    const auto a3 = NewActivity(clock, "a3", kDesaC, "Sumur bor");
    v1::PushResponse pushed;
    ASSERT_TRUE(ani_->Push(MakePush(kDevice, {a1, a2, a3}), &pushed).ok());
    for (const auto& r : pushed.results()) ASSERT_TRUE(r.applied()) << r.message();

    using sync::AmountMap;
    using sync::ScalarList;
    // One delta per record (a push holds at most one per record).
    auto edit = [&](const sync::RecordDelta& created,
                    std::vector<std::pair<const char*, sync::Value>> fields) {
      sync::RecordDelta d;
      d.collection = created.collection;
      d.id = created.id;
      d.scope = created.scope;
      for (auto& [name, value] : fields) {
        d.changes.push_back(
            sync::FieldChange{name, std::move(value), clock.Now(), StampOf(created, name)});
      }
      return d;
    };
    std::vector<sync::RecordDelta> edits = {
        edit(a1, {{"status", std::string("in_progress")},
                  {"physical_progress_pct", 40.0},
                  {"spent", AmountMap{{"DDS", 70'000'000}}},
                  {"focus_tags",
                   ScalarList{std::string("food_security"), std::string("padat_karya")}}}),
        edit(a2, {{"status", std::string("done")},
                  {"physical_progress_pct", 100.0},
                  {"budget_revised", AmountMap{{"DDS", 160'000'000}, {"ADD", 25'000'000}}},
                  {"spent", AmountMap{{"DDS", 150'000'000}, {"ADD", 25'000'000}}}}),
        edit(a3, {{"status", std::string("stalled")}, {"physical_progress_pct", 10.0}}),
    };
    sync::RecordDelta report;
    report.collection = sync::kProgressReport;
    report.id = "r1";
    report.scope = kDesaA;
    auto add = [&](const char* field, sync::Value value) {
      report.changes.push_back(sync::FieldChange{field, std::move(value), clock.Now(), {}});
    };
    add("activity_id", std::string("a1"));
    add("physical_progress_pct", 40.0);
    add("person_days", 30.5);
    add("problems", std::string("Material semen terlambat\nJalan putus saat hujan, <truk> tertahan"));
    add("reporter", std::string("ani"));
    add("spent", AmountMap{{"DDS", 70'000'000}});
    add("visit_date", std::string("2026-03-10"));
    add("wages", int64_t{3'050'000});
    add("workers", int64_t{12});
    edits.push_back(report);
    const grpc::Status status = ani_->Push(MakePush(kDevice, edits), &pushed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& r : pushed.results()) ASSERT_TRUE(r.applied()) << r.message();

    // A second device that saw a3 created, not stalled, set it "done" with a
    // clock a moment behind: its write loses, and Kurun holds one open
    // conflict (counted under the year it was detected, this year).
    sync::Stamp behind = StampOf(a3, "status");
    behind.node = kOtherDevice;
    sync::RecordDelta late;
    late.collection = a3.collection;
    late.id = a3.id;
    late.scope = a3.scope;
    late.changes.push_back(
        sync::FieldChange{"status", std::string("done"), behind, StampOf(a3, "status")});
    ASSERT_TRUE(ani_->Push(MakePush(kOtherDevice, {late}), &pushed).ok());
    ASSERT_TRUE(pushed.results(0).applied()) << pushed.results(0).message();
  }

  // Runs kawal-report as `user` against the server; exit code and output.
  static std::pair<int, std::string> Report(const std::string& user,
                                            std::vector<std::string> args) {
    std::vector<std::string> all = {"--server=" + server_->address(),
                                    "--token_file=" + TokenPath(user)};
    all.insert(all.end(), args.begin(), args.end());
    auto result = ServerProcess::RunToExit(ReportBinary(), all);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : std::make_pair(-1, std::string());
  }

  // Runs a report to a file and returns the file's content ("" on failure).
  static std::string ReportFile(const std::string& user, std::vector<std::string> args,
                                const std::string& name) {
    const std::string path = dir_->path() + "/" + name;
    args.push_back("--out=" + path);
    auto [code, output] = Report(user, args);
    EXPECT_EQ(code, 0) << output;
    return code == 0 ? ReadAll(path) : "";
  }

  // Two devices each write their values of fields of a2 in one edit (one
  // stamp), neither seeing the other's: the first edit loses.
  static void PushConcurrentEditsOfA2(
      const std::vector<std::pair<std::string, std::string>>& first_edit,
      const std::vector<std::pair<std::string, std::string>>& second_edit) {
    sync::Clock first(kDevice), second(kOtherDevice);
    const sync::Stamp created = sync::Stamp{1, 0, kDevice};  // a2 was created before both
    auto edit = [&](sync::Clock& clock, const auto& values) {
      sync::RecordDelta d;
      d.collection = sync::kActivity;
      d.id = "a2";
      d.scope = kDesaB;
      const sync::Stamp stamp = clock.Now();
      for (const auto& [field, text] : values) {
        d.changes.push_back(sync::FieldChange{field, text, stamp, created});
      }
      return d;
    };
    v1::PushResponse pushed;
    ASSERT_TRUE(ani_->Push(MakePush(kDevice, {edit(first, first_edit)}), &pushed).ok());
    ASSERT_TRUE(pushed.results(0).applied()) << pushed.results(0).message();
    second.Observe(first.Now());
    ASSERT_TRUE(ani_->Push(MakePush(kOtherDevice, {edit(second, second_edit)}), &pushed).ok());
    ASSERT_TRUE(pushed.results(0).applied()) << pushed.results(0).message();
  }

  // The open conflicts of Sepang as dina's kawal-report lists them in JSON.
  static v1::ListConflictsResponse ListedConflicts() {
    auto [code, listed] = Report("dina", {"--region=62.10.01", "--conflicts", "--format=json"});
    EXPECT_EQ(code, 0) << listed;
    v1::ListConflictsResponse conflicts;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(listed, &conflicts).ok()) << listed;
    return conflicts;
  }

  // a2 as a device of its desa pulls it (empty when it is not there).
  static sync::RecordState PulledA2() {
    std::vector<v1::Record> records;
    std::string cursor;
    EXPECT_TRUE(ani_->PullAll(0xC3, {kDesaB}, &records, &cursor).ok());
    for (const v1::Record& r : records) {
      if (r.id() != "a2") continue;
      absl::StatusOr<sync::RecordState> state = sync::FromProto(r);
      EXPECT_TRUE(state.ok()) << state.status();
      if (state.ok()) return *std::move(state);
    }
    return {};
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static TestClient* ani_;
};

TempDir* ReportE2eTest::dir_ = nullptr;
ServerProcess* ReportE2eTest::server_ = nullptr;
TestClient* ReportE2eTest::ani_ = nullptr;

TEST_F(ReportE2eTest, CsvHasExactFiguresPerKecamatan) {
  const auto csv =
      Csv(ReportFile("dina", {"--region=62.10", "--year=2026", "--format=csv"}, "kec.csv"));
  ASSERT_EQ(csv.size(), 13u) << "header and all 12 kecamatan of Gunung Mas";
  EXPECT_EQ(csv[0][0], "code");
  EXPECT_EQ(csv[0][1], "name");
  EXPECT_EQ(csv[1][0], "62.10.01");
  EXPECT_EQ(csv[1][1], "Sepang");
  const std::string k = "62.10.01";
  EXPECT_EQ(Field(csv, k, "activities"), "2");
  EXPECT_EQ(Field(csv, k, "planned"), "0");
  EXPECT_EQ(Field(csv, k, "in_progress"), "1");
  EXPECT_EQ(Field(csv, k, "done"), "1");
  EXPECT_EQ(Field(csv, k, "stalled"), "0");
  EXPECT_EQ(Field(csv, k, "budget"), "360000000");  // 175M + revised 185M
  EXPECT_EQ(Field(csv, k, "spent"), "245000000");
  EXPECT_EQ(Field(csv, k, "absorption_pct"), "68.06");  // 245 / 360
  EXPECT_EQ(Field(csv, k, "progress_rupiah"), "255000000");  // 175M × 40% + 185M
  EXPECT_EQ(Field(csv, k, "progress_pct"), "70.83");
  EXPECT_EQ(Field(csv, k, "budget_DDS"), "310000000");
  EXPECT_EQ(Field(csv, k, "budget_ADD"), "50000000");
  EXPECT_EQ(Field(csv, k, "budget_PAD"), "0");
  EXPECT_EQ(Field(csv, k, "spent_DDS"), "220000000");
  EXPECT_EQ(Field(csv, k, "spent_ADD"), "25000000");
  EXPECT_EQ(Field(csv, k, "reports"), "1");
  EXPECT_EQ(Field(csv, k, "workers"), "12");
  EXPECT_EQ(Field(csv, k, "person_days"), "30.5");
  EXPECT_EQ(Field(csv, k, "wages"), "3050000");
  EXPECT_EQ(Field(csv, k, "food_security_activities"), "1");
  EXPECT_EQ(Field(csv, k, "food_security_budget"), "175000000");
  EXPECT_EQ(Field(csv, k, "padat_karya_activities"), "1");
  EXPECT_EQ(Field(csv, k, "blt_activities"), "0");
  EXPECT_EQ(Field(csv, "62.10.02", "stalled"), "1");
  EXPECT_EQ(Field(csv, "62.10.02", "progress_rupiah"), "17500000");
  EXPECT_EQ(Field(csv, "62.10.12", "activities"), "0") << "areas without activities show";
}

TEST_F(ReportE2eTest, OpenConflictsPerArea) {
  const std::string year = absl::FormatTime("%Y", absl::Now(), absl::UTCTimeZone());
  const auto csv = Csv(
      ReportFile("dina", {"--region=62.10", "--year=" + year, "--format=csv"}, "conflicts.csv"));
  EXPECT_EQ(Field(csv, "62.10.02", "conflicts_open"), "1");
  EXPECT_EQ(Field(csv, "62.10.02", "conflicts_settled"), "0");
  EXPECT_EQ(Field(csv, "62.10.01", "conflicts_open"), "0");
  auto [code, table] = Report("dina", {"--region=62.10", "--year=" + year, "--lang=en"});
  EXPECT_EQ(code, 0) << table;
  EXPECT_TRUE(absl::StrContains(table, "Open conflicts")) << table;
}

TEST_F(ReportE2eTest, AnOfficerListsAndSettlesConflicts) {
  // Two devices write a2's notes without seeing each other: the later one
  // wins, the first is the lost value.
  PushConcurrentEditsOfA2({{"notes", "catatan pertama"}}, {{"notes", "catatan kedua"}});
  const v1::ListConflictsResponse conflicts = ListedConflicts();
  ASSERT_EQ(conflicts.conflicts_size(), 1) << "only Sepang's, not Kurun's";
  const v1::ConflictEntry& c = conflicts.conflicts(0);
  EXPECT_EQ(c.record_name(), "Jembatan desa");
  EXPECT_EQ(c.field(), "notes");
  EXPECT_EQ(c.loser_value(), "\"catatan pertama\"");

  auto [denied_code, denied] = Report("pulang", {"--region=62.10", "--conflicts"});
  EXPECT_EQ(denied_code, 1);
  EXPECT_TRUE(absl::StartsWith(denied, "kawal-report: PERMISSION_DENIED: ")) << denied;
  auto [other_code, other] = Report("pulang", {"--region=62.11", "--settle=" + c.id(),
                                               "--choice=winner"});
  EXPECT_EQ(other_code, 1);
  EXPECT_TRUE(absl::StartsWith(other, "kawal-report: NOT_FOUND: ")) << other;
  auto [usage_code, usage] =
      Report("dina", {"--region=62.10", "--settle=" + c.id(), "--choice=dismiss"});
  EXPECT_EQ(usage_code, 2) << usage;

  auto [settled_code, settled] = Report(
      "dina", {"--region=62.10", "--settle=" + c.id(), "--choice=loser", "--note=cek lapangan",
               "--lang=en"});
  ASSERT_EQ(settled_code, 0) << settled;
  EXPECT_TRUE(absl::StrContains(settled, "lost value restored (dina)")) << settled;
  auto [again_code, again] =
      Report("dina", {"--region=62.10", "--settle=" + c.id(), "--choice=winner"});
  EXPECT_EQ(again_code, 1);
  EXPECT_TRUE(absl::StartsWith(again, "kawal-report: FAILED_PRECONDITION: ")) << again;

  // The open list no longer has it; the restored value is what devices pull.
  auto [open_code, open] = Report("dina", {"--region=62.10.01", "--conflicts", "--format=json"});
  ASSERT_EQ(open_code, 0) << open;
  EXPECT_FALSE(absl::StrContains(open, c.id())) << open;
  const auto csv = Csv(ReportFile(
      "dina", {"--region=62.10.01", "--conflicts", "--all_conflicts", "--format=csv"},
      "settled.csv"));
  ASSERT_EQ(csv.size(), 2u);
  EXPECT_EQ(csv[1][0], c.id());
  EXPECT_EQ(csv[1][9], "restored_loser");
  EXPECT_EQ(csv[1][10], "dina");
  EXPECT_EQ(PulledA2().GetString("notes"), "catatan pertama");
}

TEST_F(ReportE2eTest, AnOfficerRestoresEveryFieldOfALostEdit) {
  // Two devices each write three fields of a2 in one edit, neither seeing
  // the other: one conflict lists the three, and restoring it brings back
  // all three in one write.
  const std::vector<std::string> fields = {"notes", "output", "unit"};
  std::vector<std::pair<std::string, std::string>> first_edit, second_edit;
  for (const std::string& f : fields) {
    first_edit.emplace_back(f, f + " pertama");
    second_edit.emplace_back(f, f + " kedua");
  }
  PushConcurrentEditsOfA2(first_edit, second_edit);
  const v1::ListConflictsResponse conflicts = ListedConflicts();
  ASSERT_EQ(conflicts.conflicts_size(), 1) << "one per lost edit, not per field";
  const v1::ConflictEntry& c = conflicts.conflicts(0);
  ASSERT_EQ(c.fields_size(), 3) << c.DebugString();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c.fields(i).field(), fields[i]);
    EXPECT_EQ(c.fields(i).loser_value(), "\"" + fields[i] + " pertama\"");
    EXPECT_EQ(c.fields(i).winner_value(), "\"" + fields[i] + " kedua\"");
  }
  EXPECT_EQ(c.field(), "notes") << "older readers see the first field";
  EXPECT_EQ(c.loser_value(), "\"notes pertama\"");
  auto [table_code, table] = Report("dina", {"--region=62.10.01", "--conflicts", "--lang=en"});
  ASSERT_EQ(table_code, 0) << table;
  for (const std::string& f : fields) {
    EXPECT_TRUE(absl::StrContains(table, f + " pertama")) << table;
  }

  auto [settled_code, settled] =
      Report("dina", {"--region=62.10", "--settle=" + c.id(), "--choice=loser", "--lang=en"});
  ASSERT_EQ(settled_code, 0) << settled;
  const auto csv = Csv(ReportFile(
      "dina", {"--region=62.10.01", "--conflicts", "--all_conflicts", "--format=csv"},
      "settled.csv"));
  ASSERT_EQ(csv.size(), 4u) << "a header and one row per lost field";
  for (size_t row = 1; row < 4; ++row) {
    EXPECT_EQ(csv[row][0], c.id());
    EXPECT_EQ(csv[row][5], fields[row - 1]);
    EXPECT_EQ(csv[row][9], "restored_loser");
  }
  const sync::RecordState a2 = PulledA2();
  for (const std::string& f : fields) EXPECT_EQ(a2.GetString(f), f + " pertama");
}

TEST_F(ReportE2eTest, ProblemsPerKecamatanAndDesaWithTheirActivity) {
  auto [code, table] = Report("dina", {"--region=62.10", "--problems"});
  ASSERT_EQ(code, 0) << table;
  EXPECT_TRUE(absl::StrContains(table, "Kendala di lapangan")) << table;
  EXPECT_TRUE(absl::StrContains(table, "Kecamatan Sepang (62.10.01)")) << table;
  EXPECT_TRUE(absl::StrContains(table, "Sepang Kota (62.10.01.2002)")) << table;
  EXPECT_TRUE(absl::StrContains(table, "2026-03-10  Jalan usaha tani Sepang Kota  (ani)")) << table;
  // Both lines of the text, in full.
  EXPECT_TRUE(absl::StrContains(table, "      Material semen terlambat\n")) << table;
  EXPECT_TRUE(absl::StrContains(table, "      Jalan putus saat hujan, <truk> tertahan\n")) << table;
  EXPECT_FALSE(absl::StrContains(table, "Kurun")) << "no problems were noted in Kurun";

  auto [json_code, json] = Report("dina", {"--region=62.10.01", "--problems", "--format=json"});
  ASSERT_EQ(json_code, 0) << json;
  v1::ListProblemsResponse problems;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &problems).ok()) << json;
  ASSERT_EQ(problems.problems_size(), 1) << json;
  const v1::ProblemEntry& p = problems.problems(0);
  EXPECT_EQ(p.report_id(), "r1");
  EXPECT_EQ(p.activity_id(), "a1");
  EXPECT_EQ(p.desa_name(), "Sepang Kota");
  EXPECT_EQ(p.kecamatan_name(), "Sepang");
  EXPECT_FALSE(problems.truncated());

  const std::string csv =
      ReportFile("dina", {"--region=62.10", "--problems", "--format=csv"}, "problems.csv");
  EXPECT_TRUE(absl::StartsWith(csv, "kecamatan,kecamatan_name,desa,desa_name,visit_date,"))
      << csv;
  // The text holds a comma and a line end: one quoted field.
  EXPECT_TRUE(absl::StrContains(
      csv, "r1,ani,\"Material semen terlambat\nJalan putus saat hujan, <truk> tertahan\"\r\n"))
      << csv;

  auto [kurun_code, kurun] = Report("dina", {"--region=62.10.02", "--problems", "--lang=en"});
  ASSERT_EQ(kurun_code, 0) << kurun;
  EXPECT_TRUE(absl::StrContains(kurun, "No problems noted.")) << kurun;
  auto [old_code, old] = Report("dina", {"--region=62.10", "--problems", "--year=2025"});
  ASSERT_EQ(old_code, 0) << old;
  EXPECT_TRUE(absl::StrContains(old, "Tidak ada kendala yang dicatat.")) << old;

  auto [denied_code, denied] = Report("pulang", {"--region=62.10", "--problems"});
  EXPECT_EQ(denied_code, 1);
  EXPECT_TRUE(absl::StartsWith(denied, "kawal-report: PERMISSION_DENIED: ")) << denied;
  auto [facilitator_code, facilitator] = Report("ani", {"--region=62.10.01", "--problems"});
  EXPECT_EQ(facilitator_code, 1) << facilitator;
  auto [usage_code, usage] = Report("dina", {"--region=62.10", "--problems", "--level=desa"});
  EXPECT_EQ(usage_code, 2) << usage;
}

TEST_F(ReportE2eTest, JsonTotalsAreExact) {
  const std::string json =
      ReportFile("dina", {"--region=62.10", "--year=2026", "--format=json"}, "kec.json");
  v1::ProgressResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &response).ok()) << json;
  EXPECT_EQ(response.region(), "62.10");
  EXPECT_EQ(response.level(), "kecamatan") << "default: one level below the region";
  EXPECT_EQ(response.rows_size(), 12);
  ASSERT_EQ(response.totals_size(), 1);
  const v1::AreaFigures& t = response.totals(0).figures();
  EXPECT_EQ(t.activities(), 3);
  EXPECT_EQ(t.budget(), 535'000'000);
  EXPECT_EQ(t.spent(), 245'000'000);
  EXPECT_EQ(t.progress_rupiah(), 272'500'000);
  EXPECT_EQ(t.budget_by_source().at("DDS"), 460'000'000);
  EXPECT_EQ(t.activities_by_status().at("stalled"), 1);
  EXPECT_EQ(t.person_days_x100(), 3050);
  EXPECT_NEAR(t.absorption_pct(), 100.0 * 245 / 535, 1e-9);
  EXPECT_TRUE(absl::StrContains(json, "\"region_name\"")) << "proto field names";
}

TEST_F(ReportE2eTest, TableUsesTheLanguagesSeparators) {
  auto [code, id] = Report("dina", {"--region=62.10", "--year=2026"});
  ASSERT_EQ(code, 0) << id;
  EXPECT_TRUE(absl::StrContains(id, "Rp 360.000.000")) << id;
  EXPECT_TRUE(absl::StrContains(id, "68,1%"));
  EXPECT_TRUE(absl::StrContains(id, "JUMLAH"));
  auto [code_en, en] = Report("dina", {"--region=62.10", "--year=2026", "--lang=en"});
  ASSERT_EQ(code_en, 0) << en;
  EXPECT_TRUE(absl::StrContains(en, "Rp 360,000,000")) << en;
  EXPECT_TRUE(absl::StrContains(en, "Rp 535,000,000")) << "the total row";
  EXPECT_TRUE(absl::StrContains(en, "68.1%"));
}

TEST_F(ReportE2eTest, BreakdownBySourcePerDesa) {
  const auto csv = Csv(ReportFile(
      "dina", {"--region=62.10.01", "--year=2026", "--by=source", "--format=csv"}, "src.csv"));
  ASSERT_GT(csv.size(), 1u);
  EXPECT_EQ(csv[0][2], "key");
  EXPECT_EQ(Field(csv, kDesaB, "budget", "DDS"), "160000000");
  EXPECT_EQ(Field(csv, kDesaB, "spent", "DDS"), "150000000");
  EXPECT_EQ(Field(csv, kDesaB, "budget", "ADD"), "25000000");
  EXPECT_EQ(Field(csv, kDesaA, "spent", "DDS"), "70000000");
}

TEST_F(ReportE2eTest, HtmlMakesBothCallsAndIsSelfContained) {
  const std::string html =
      ReportFile("dina", {"--region=62.10", "--year=2026", "--format=html"}, "r.html");
  size_t svgs = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    ++svgs;
  }
  EXPECT_GE(svgs, 3u);
  // Goal 9 has money only in the by=sdg answer: the second call was made.
  EXPECT_TRUE(absl::StrContains(html, "9. Infrastruktur dan Inovasi Desa sesuai Kebutuhan"));
  EXPECT_TRUE(absl::StrContains(html, "Sepang (62.10.01)"));
  for (const char* external : {"http://", "https://", "src=", "<link", "<script"}) {
    EXPECT_FALSE(absl::StrContains(html, external)) << external;
  }
}

TEST_F(ReportE2eTest, HtmlWithOverlappingBreakdownChartsAreasWithoutOvercounting) {
  // By SDG goal the Sepang rows hold 360M under goal 1 and again under goal
  // 9; the area chart must still show 360M (from a call without --by).
  const std::string html = ReportFile(
      "dina", {"--region=62.10", "--year=2026", "--by=sdg", "--format=html"}, "sdg.html");
  EXPECT_TRUE(absl::StrContains(html, ">Rp 360 jt</text>")) << html;
  EXPECT_FALSE(absl::StrContains(html, ">Rp 720 jt</text>"));
  EXPECT_TRUE(absl::StrContains(html, "Desa Tanpa Kemiskinan"));
}

TEST_F(ReportE2eTest, FreshnessListsSilentAndNeverSyncedVillages) {
  const auto silent = Csv(ReportFile(
      "dina", {"--region=62.10", "--silent_days=1", "--format=csv"}, "silent.csv"));
  ASSERT_EQ(silent.size(), 1u + 127 - 3) << "every village but the three ani synced today";
  EXPECT_EQ(Field(silent, "62.10.01.1001", "never_synced"), "1");
  EXPECT_EQ(Field(silent, kDesaA, "never_synced"), "<no row 62.10.01.2002 >");
  const auto all = Csv(ReportFile(
      "dina", {"--region=62.10.01", "--silent_days=0", "--format=csv"}, "all.csv"));
  EXPECT_EQ(Field(all, kDesaA, "last_user"), "ani");
  EXPECT_EQ(Field(all, kDesaA, "silent_days"), "0");
  EXPECT_EQ(Field(all, kDesaA, "never_synced"), "0");
  auto [code, table] = Report("dina", {"--region=62.10.01", "--silent_days=0"});
  ASSERT_EQ(code, 0) << table;
  EXPECT_TRUE(absl::StrContains(table, "belum pernah")) << table;
  EXPECT_TRUE(absl::StrContains(table, "ani"));
}

TEST_F(ReportE2eTest, OfficerOfAnotherKabupatenIsDenied) {
  auto [code, output] = Report("pulang", {"--region=62.10", "--year=2026", "--format=csv"});
  EXPECT_EQ(code, 1);
  EXPECT_TRUE(absl::StartsWith(output, "kawal-report: PERMISSION_DENIED: ")) << output;
  EXPECT_TRUE(absl::StrContains(output, "62.10")) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << "one line:\n" << output;
}

TEST_F(ReportE2eTest, FacilitatorIsDenied) {
  auto [code, output] = Report("ani", {"--region=62.10", "--year=2026"});
  EXPECT_EQ(code, 1);
  EXPECT_TRUE(absl::StartsWith(output, "kawal-report: PERMISSION_DENIED: ")) << output;
  auto [code_f, output_f] = Report("ani", {"--region=62.10.01.2002", "--silent_days=0"});
  EXPECT_EQ(code_f, 1);
  EXPECT_TRUE(absl::StartsWith(output_f, "kawal-report: PERMISSION_DENIED: ")) << output_f;
}

TEST_F(ReportE2eTest, BadTokenIsUnauthenticated) {
  kawal::testing::WriteTokenFile(dir_->path() + "/bad.token", "kd1_not_a_token");
  auto [code, output] = Report("bad", {"--region=62.10"});
  EXPECT_EQ(code, 1);
  EXPECT_TRUE(absl::StartsWith(output, "kawal-report: UNAUTHENTICATED: ")) << output;
}

TEST_F(ReportE2eTest, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {},                                              // no --region
           {"--region=62.10", "--level=provinsi"},          // above the region
           {"--region=62.10", "--format=pdf"},
           {"--region=62.10", "--by=village"},
           {"--region=62.10", "--lang=fr"},
           {"--region=6210"},
           {"--region=62.10", "--silent_days=-1"},
           {"--region=62.10", "--silent_days=7", "--by=sector"},
           {"--region=62.10", "--no_such_flag=1"},
           {"--region=62.10", "extra"},
       }) {
    auto [code, output] = Report("dina", args);
    EXPECT_EQ(code, 2) << absl::StrJoin(args, " ") << "\n" << output;
    EXPECT_TRUE(absl::StartsWith(output, "kawal-report: ")) << output;
  }
}

TEST_F(ReportE2eTest, UnreachableServerSaysWhatToCheck) {
  auto result = ServerProcess::RunToExit(
      ReportBinary(), {"--server=127.0.0.1:1", "--token_file=" + TokenPath("dina"),
                       "--region=62.10", "--timeout_s=5"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->first, 1);
  EXPECT_TRUE(absl::StartsWith(result->second, "kawal-report: UNAVAILABLE: ")) << result->second;
  EXPECT_TRUE(absl::StrContains(result->second, "127.0.0.1:1"));
}

}  // namespace
}  // namespace kawal::testing
