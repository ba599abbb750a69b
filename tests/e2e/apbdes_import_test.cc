// kawal-field import apbdes, the real binary against a real kawal-server
// (issue #16 item 6): the 60-row sample becomes 60 activities; importing it
// again (as CSV or as .xlsx) creates nothing; a file with 3 bad rows names
// those lines and stores nothing unless --skip-bad-rows, which stores 57;
// --dry-run stores nothing; a changed amount updates only that activity;
// and after sync the activities reach the server and another device.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "cli_process.h"
#include "json.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::JsonValue;

constexpr char kDesa[] = "62.10.01.2002";  // Sepang Kota, seeded from 62.10

std::string Data(const std::string& name) {
  return std::string(KAWAL_APBDES_DATA_DIR) + "/" + name;
}

JsonValue Json(const std::string& text) {
  auto parsed = mobile::ParseJson(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status() << " in: " << text;
  return parsed.ok() ? *parsed : JsonValue();
}

int64_t IntOf(const JsonValue& object, const char* key) {
  const JsonValue* v = object.Find(key);
  int64_t n = -1;
  if (v == nullptr || !absl::SimpleAtoi(v->text, &n)) ADD_FAILURE() << "no integer " << key;
  return n;
}

class ApbdesImportTest : public ::testing::Test {
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
  }

  CliResult Field(const std::string& home, std::vector<std::string> args,
                  const std::string& lang = "en") {
    args.insert(args.begin(), {"--home=" + home, "--lang=" + lang});
    return RunCli(KAWAL_FIELD_BINARY, args);
  }

  CliResult Import(const std::string& file, std::vector<std::string> extra = {},
                   const std::string& lang = "en") {
    std::vector<std::string> args = {"import", "apbdes", file, std::string("--village=") + kDesa,
                                     "--year=2026"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Field(ani_, args, lang);
  }

  // The visible activities of kDesa in 2026 on `home`.
  std::vector<JsonValue> Activities(const std::string& home) {
    CliResult r = Field(home, {"activity", "list", std::string("--village=") + kDesa,
                               "--year=2026", "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return Json(r.out).array;
  }

  int64_t Pending(const std::string& home) {
    CliResult r = Field(home, {"status", "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return IntOf(Json(r.out), "pending_records");
  }

  // The 60-row sample with `code`'s DDS amount and its total raised by
  // Rp 1.000.000, written to a new file; its path.
  std::string SampleWithDdsRaised(const std::string& code) {
    std::ifstream in(Data("apbdes-2026-sample.csv"), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string changed = text.str();
    const size_t at = changed.find(code + ";");
    EXPECT_NE(at, std::string::npos) << code;
    if (at == std::string::npos) return "";
    const size_t end = changed.find("\r\n", at);
    std::vector<std::string> cells = absl::StrSplit(changed.substr(at, end - at), ';');
    EXPECT_GE(cells.size(), 12u);
    if (cells.size() < 12) return "";
    auto bump = [](const std::string& cell) {
      std::string digits = absl::StrReplaceAll(cell, {{"Rp ", ""}, {".", ""}});
      int64_t n = 0;
      EXPECT_TRUE(absl::SimpleAtoi(digits, &n)) << cell;
      return std::to_string(n + 1000000);
    };
    cells[4] = bump(cells[4]);
    cells[11] = bump(cells[11]);
    changed.replace(at, end - at, absl::StrJoin(cells, ";"));
    const std::string file = dir_.path() + "/changed.csv";
    std::ofstream(file, std::ios::binary) << changed;
    return file;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_ani_, token_budi_, ani_, budi_;
};

TEST_F(ApbdesImportTest, SixtyRowsBecomeSixtyActivitiesAndReimportCreatesNone) {
  CliResult r = Import(Data("apbdes-2026-sample.csv"), {"--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  JsonValue summary = Json(r.out);
  EXPECT_EQ(IntOf(summary, "created"), 60);
  EXPECT_EQ(IntOf(summary, "unchanged"), 0);
  EXPECT_EQ(Activities(ani_).size(), 60u);
  EXPECT_EQ(Pending(ani_), 60);

  // The same file again, then the .xlsx of the same sheet: nothing new,
  // nothing changed (same ids, same content), nothing pending beyond the 60.
  for (const char* file : {"apbdes-2026-sample.csv", "apbdes-2026-sample.xlsx"}) {
    r = Import(Data(file), {"--json"});
    ASSERT_EQ(r.code, 0) << file << ": " << r.err;
    summary = Json(r.out);
    EXPECT_EQ(IntOf(summary, "created"), 0) << file;
    EXPECT_EQ(IntOf(summary, "updated"), 0) << file;
    EXPECT_EQ(IntOf(summary, "unchanged"), 60) << file;
  }
  EXPECT_EQ(Activities(ani_).size(), 60u);
  EXPECT_EQ(Pending(ani_), 60);

  // One activity as the sheet gave it: code, sector, budget, location.
  const std::vector<JsonValue> rows = Json(Import(Data("apbdes-2026-sample.csv"),
                                                  {"--json", "--dry-run"}).out)
                                          .Find("rows")->array;
  ASSERT_EQ(rows.size(), 60u);
  std::string id;
  for (const JsonValue& row : rows) {
    if (row.Find("code")->text == "02.03.03") id = row.Find("id")->text;
  }
  ASSERT_FALSE(id.empty());
  r = Field(ani_, {"activity", "show", id, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const JsonValue shown = Json(r.out);
  const JsonValue* fields = shown.Find("fields");
  ASSERT_NE(fields, nullptr) << r.out;
  EXPECT_EQ(fields->Find("activity_code")->text, "02.03.03");
  EXPECT_EQ(fields->Find("sector")->text, "2");
  EXPECT_EQ(fields->Find("status")->text, "planned");
  EXPECT_TRUE(absl::StartsWith(fields->Find("notes")->text, "Lokasi: ")) << r.out;
  EXPECT_NE(fields->Find("budget")->Find("DDS"), nullptr) << r.out;
}

TEST_F(ApbdesImportTest, XlsxImportsTheSameActivitiesAsCsv) {
  CliResult r = Import(Data("apbdes-2026-sample.xlsx"), {"--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(IntOf(Json(r.out), "created"), 60);
  r = Import(Data("apbdes-2026-sample.csv"), {"--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(IntOf(Json(r.out), "unchanged"), 60);
  EXPECT_EQ(Activities(ani_).size(), 60u);
}

TEST_F(ApbdesImportTest, ThreeBadRowsAreNamedAndNothingIsStoredUnlessSkipped) {
  const std::string file = Data("apbdes-2026-3-bad-rows.csv");
  CliResult r = Import(file);
  EXPECT_EQ(r.code, 1);
  for (const char* line : {"line 40: kode kegiatan '2.3.x2'", "line 64: column DDS: '12,5 juta'",
                           "line 80: kode kegiatan '7.1.01': there is no bidang 7"}) {
    EXPECT_NE(r.err.find(line), std::string::npos) << line << " in:\n" << r.err;
  }
  EXPECT_NE(r.err.find("3 bad rows; nothing from"), std::string::npos) << r.err;
  EXPECT_TRUE(Activities(ani_).empty());
  EXPECT_EQ(Pending(ani_), 0);

  r = Import(file, {}, "id");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("baris 40"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tidak ada yang disimpan"), std::string::npos) << r.err;

  r = Import(file, {"--skip-bad-rows", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(IntOf(Json(r.out), "created"), 57);
  EXPECT_EQ(Json(r.out).Find("skipped_rows")->array.size(), 3u);
  EXPECT_NE(r.err.find("line 80"), std::string::npos) << r.err;
  EXPECT_EQ(Activities(ani_).size(), 57u);
}

// Rows the sheet reader accepts but the core refuses (the rules of every
// write: a satuan over 32 bytes, text that is not UTF-8) are reported by
// line like the others; a bad file imported over a good import changes
// nothing that is stored.
TEST_F(ApbdesImportTest, RowsTheCoreRefusesAreNamedAndStoredDataIsKept) {
  ASSERT_EQ(Import(Data("apbdes-2026-sample.csv")).code, 0);
  const std::string file = dir_.path() + "/refused.csv";
  std::ofstream(file, std::ios::binary)
      << "Kode;Uraian;Satuan;DDS\n"
         "2.3.03;Pengerasan Jalan Desa;m;Rp 1.000.000\n"
         "2.3.09;Jalan baru;" << std::string(40, 'm') << ";Rp 2.000.000\n"
         "2.3.10;Caf\xE9 desa;unit;Rp 3.000.000\n"
         "2.3.11;Gorong-gorong;unit;Rp 4.000.000\n";
  CliResult r = Import(file);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("line 3: invalid data: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'unit'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(column Satuan)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 4: invalid data: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("UTF-8"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 2"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 bad rows; nothing from"), std::string::npos) << r.err;
  EXPECT_EQ(Activities(ani_).size(), 60u);
  EXPECT_EQ(Pending(ani_), 60);

  // --skip-bad-rows: line 2 updates 02.03.03's budget, line 5 is new.
  r = Import(file, {"--skip-bad-rows", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const JsonValue summary = Json(r.out);
  EXPECT_EQ(IntOf(summary, "created"), 1);
  EXPECT_EQ(IntOf(summary, "updated"), 1);
  EXPECT_EQ(Activities(ani_).size(), 61u);
}

TEST_F(ApbdesImportTest, DryRunShowsWhatWouldBeCreatedAndStoresNothing) {
  CliResult r = Import(Data("apbdes-2026-sample.csv"), {"--dry-run"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("02.03.03"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("60 activities would be created"), std::string::npos) << r.out;
  EXPECT_TRUE(Activities(ani_).empty());
  EXPECT_EQ(Pending(ani_), 0);
}

TEST_F(ApbdesImportTest, AChangedAmountUpdatesOnlyThatActivity) {
  ASSERT_EQ(Import(Data("apbdes-2026-sample.csv")).code, 0);
  CliResult r = Import(SampleWithDdsRaised("2.3.03"), {"--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const JsonValue summary = Json(r.out);
  EXPECT_EQ(IntOf(summary, "created"), 0);
  EXPECT_EQ(IntOf(summary, "updated"), 1);
  EXPECT_EQ(IntOf(summary, "unchanged"), 59);
}

// What a facilitator did after the import survives a re-import of a
// corrected sheet: progress, status and notes are not imported fields, and an
// activity deleted on this device stays deleted (docs/apbdes-import.md).
TEST_F(ApbdesImportTest, ReimportKeepsLocalWorkAndDeletions) {
  CliResult r = Import(Data("apbdes-2026-sample.csv"), {"--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const JsonValue imported = Json(r.out);
  std::map<std::string, std::string> id_of;
  for (const JsonValue& row : imported.Find("rows")->array) {
    id_of[row.Find("code")->text] = row.Find("id")->text;
  }
  ASSERT_EQ(id_of.size(), 60u);
  const std::string kept = id_of["02.03.03"], deleted = id_of["02.03.01"];
  ASSERT_FALSE(kept.empty());
  ASSERT_FALSE(deleted.empty());
  r = Field(ani_, {"activity", "edit", kept, "--progress=40", "--status=in_progress",
                   "--notes=Sudah dimulai"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  r = Field(ani_, {"activity", "delete", deleted});
  ASSERT_EQ(r.code, 0) << r.err;

  r = Import(SampleWithDdsRaised("2.3.03"), {"--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const JsonValue summary = Json(r.out);
  EXPECT_EQ(IntOf(summary, "created"), 0);
  EXPECT_EQ(IntOf(summary, "updated"), 1);
  EXPECT_EQ(IntOf(summary, "unchanged"), 58);
  EXPECT_EQ(IntOf(summary, "deleted_here"), 1);

  r = Field(ani_, {"activity", "show", kept, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const JsonValue shown = Json(r.out);
  const JsonValue* fields = shown.Find("fields");
  ASSERT_NE(fields, nullptr) << r.out;
  EXPECT_EQ(fields->Find("budget")->Find("DDS")->text, "91000000") << r.out;  // was 90.000.000
  EXPECT_EQ(fields->Find("physical_progress_pct")->text, "40.0") << r.out;
  EXPECT_EQ(fields->Find("status")->text, "in_progress") << r.out;
  EXPECT_EQ(fields->Find("notes")->text, "Sudah dimulai") << r.out;
  EXPECT_EQ(Activities(ani_).size(), 59u);
}

TEST_F(ApbdesImportTest, BadArgumentsAndFilesAreClearErrors) {
  CliResult r = Field(ani_, {"import", "apbdes", Data("apbdes-2026-sample.csv"),
                             std::string("--village=") + kDesa});
  EXPECT_EQ(r.code, 2) << r.err;  // --year is required
  r = Field(ani_, {"import", "apbdes", Data("apbdes-2026-sample.csv"),
                   std::string("--village=") + kDesa, "--year=20x6"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--year: '20x6'"), std::string::npos) << r.err;
  r = Field(ani_, {"import", "apbdes", Data("apbdes-2026-sample.csv"), "--village=62.10.01",
                   "--year=2026"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--village"), std::string::npos) << r.err;

  const std::string no_header = dir_.path() + "/no-header.csv";
  std::ofstream(no_header) << "a;b;c\n1;2;3\n";
  r = Import(no_header);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no header row"), std::string::npos) << r.err;
  r = Import(dir_.path() + "/missing.xlsx");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("Cannot read the file"), std::string::npos) << r.err;
  EXPECT_TRUE(Activities(ani_).empty());
}

TEST_F(ApbdesImportTest, ImportedActivitiesReachTheServerAndAnotherDevice) {
  ASSERT_EQ(Import(Data("apbdes-2026-sample.csv")).code, 0);
  CliResult r = Field(ani_, {"sync"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(Pending(ani_), 0);  // the server accepted all 60

  r = Field(budi_, {"init", "--server=" + server_->address(), "--token=" + token_budi_});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Field(budi_, {"sync"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(Activities(budi_).size(), 60u);

  // Now that the device knows its user's villages, another desa is refused
  // before the file is read.
  r = Field(ani_, {"import", "apbdes", Data("apbdes-2026-sample.csv"), "--village=62.10.01.2003",
                   "--year=2026"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not one of your villages"), std::string::npos) << r.err;

  // Budi imports the same sheet: his device already holds those records.
  r = Field(budi_, {"import", "apbdes", Data("apbdes-2026-sample.xlsx"),
                    std::string("--village=") + kDesa, "--year=2026", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(IntOf(Json(r.out), "created"), 0);
  EXPECT_EQ(IntOf(Json(r.out), "unchanged"), 60);
}

}  // namespace
}  // namespace kawal::testing
