// Two region shards behind Debian's nginx, all real processes on loopback:
// kawal-server for 62.10 (Gunung Mas) and for 62.11 (Pulang Pisau), each
// with --serve_regions, and nginx run from its own prefix with the config
// generated from deploy/proxy/ (ephemeral ports). Facilitators of both
// districts sync through the one proxy address with the mobile core; each
// shard holds only its district's records; officers' reports work through
// the proxy; calls without or with an unknown region header get a clear
// gRPC error from nginx; kawal-report --shards sums the shards.
//
// Fails when nginx is not installed (Debian package nginx;
// scripts/install-deps.sh --test installs it), unless KAWAL_SKIP_NGINX_TESTS=1
// asks to skip it (docs/build.md).
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "nginx_process.h"
#include "required_tool.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kGunungMas[] = "62.10";
constexpr char kPulangPisau[] = "62.11";
constexpr char kDesaGm[] = "62.10.01.2001";
constexpr char kDesaPp[] = "62.11.01.2001";

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(KAWAL_SOURCE_DIR) + "/" + relative);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A CSV report: code -> column -> value (names hold no commas here).
std::map<std::string, std::map<std::string, std::string>> ParseCsv(const std::string& csv) {
  std::map<std::string, std::map<std::string, std::string>> rows;
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  if (lines.empty()) return rows;
  std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells = absl::StrSplit(lines[i], ',');
    for (size_t c = 0; c < cells.size() && c < header.size(); ++c) {
      rows[cells[0]][header[c]] = cells[c];
    }
  }
  return rows;
}

double Number(const std::string& text) {
  double value = 0;
  EXPECT_TRUE(absl::SimpleAtod(text, &value)) << "'" << text << "'";
  return value;
}

class TwoShardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    nginx_binary_ = new std::string(FindNginx());
    if (nginx_binary_->empty()) return;
    dir_ = new TempDir();
    gm_ = StartShard("gm", kGunungMas);
    pp_ = StartShard("pp", kPulangPisau);
    ASSERT_NE(gm_, nullptr);
    ASSERT_NE(pp_, nullptr);
    ::mkdir((dir_->path() + "/nginx").c_str(), 0700);
    nginx_ = new NginxProcess(*nginx_binary_, dir_->path() + "/nginx");
    const std::string grpc_conf = ReadSource("deploy/proxy/kawal-grpc.conf");
    const std::string main_conf = ReadSource("deploy/proxy/nginx.conf");
    ASSERT_FALSE(grpc_conf.empty());
    // One worker is plenty here and kinder to a shared CI machine.
    const std::string main_small =
        absl::StrReplaceAll(main_conf, {{"worker_processes auto;", "worker_processes 1;"}});
    absl::Status started = nginx_->Start([&](int port) {
      return std::map<std::string, std::string>{
          {"nginx.conf", main_small},
          {"kawal-grpc.conf",
           absl::StrReplaceAll(grpc_conf, {{"${KAWAL_PROXY_LISTEN}", absl::StrCat("127.0.0.1:", port)},
                                           {"${KAWAL_SHARD_62_10}", gm_->address()},
                                           {"${KAWAL_SHARD_62_11}", pp_->address()}})}};
    });
    ASSERT_TRUE(started.ok()) << started;

    // Users live on their district's shard (added directly, with the header).
    for (ServerProcess* shard : {gm_, pp_}) {
      const bool gm = shard == gm_;
      TestClient admin = AdminClient(*shard);
      admin.set_region(gm ? kGunungMas : kPulangPisau);
      std::string token;
      ASSERT_TRUE(admin.AddUser("fasilitator", v1::FACILITATOR, {gm ? kDesaGm : kDesaPp}, &token).ok());
      WriteFile(gm ? "gm-facilitator.token" : "pp-facilitator.token", token);
      ASSERT_TRUE(admin.AddUser("dpmd", v1::DISTRICT_OFFICER, {gm ? kGunungMas : kPulangPisau},
                                &token).ok());
      WriteFile(gm ? "gm-officer.token" : "pp-officer.token", token);
    }

    // One facilitator per district records an activity and syncs it
    // through the proxy (ctest runs every case in its own process, so each
    // starts from this).
    ASSERT_OK_AND_ASSIGN(auto gm,
                         Device("gm-device", ReadToken("gm-facilitator.token"), kGunungMas));
    ASSERT_OK_AND_ASSIGN(auto pp,
                         Device("pp-device", ReadToken("pp-facilitator.token"), kPulangPisau));
    auto gm_id = gm->Create("activity", kDesaGm, Activity("Jalan usaha tani", 200000000, 50));
    auto pp_id = pp->Create("activity", kDesaPp, Activity("Sumur bor", 100000000, 20));
    ASSERT_TRUE(gm_id.ok()) << gm_id.status();
    ASSERT_TRUE(pp_id.ok()) << pp_id.status();
    gm_id_ = new std::string(*gm_id);
    pp_id_ = new std::string(*pp_id);
    for (mobile::Device* device : {gm.get(), pp.get()}) {
      auto report = device->Sync(mobile::SyncOptions(), nullptr);
      ASSERT_TRUE(report.ok()) << report.status() << "\nnginx: " << nginx_->ErrorLog();
      EXPECT_EQ(report->pushed, 1u);
      EXPECT_EQ(report->rejected, 0u);
    }
  }

  static mobile::FieldValues Activity(const std::string& name, int64_t budget, double progress) {
    return {{"name", name},
            {"year", int64_t{2026}},
            {"sector", int64_t{2}},
            {"status", std::string("in_progress")},
            {"budget", sync::AmountMap{{"DDS", budget}}},
            {"physical_progress_pct", progress},
            {"sdg_goals", sync::ScalarList{int64_t{9}}}};
  }

  static void TearDownTestSuite() {
    if (nginx_ != nullptr) {
      absl::Status stopped = nginx_->Stop();
      EXPECT_TRUE(stopped.ok()) << stopped;
    }
    delete nginx_;
    delete gm_;
    delete pp_;
    delete dir_;
    delete nginx_binary_;
    delete gm_id_;
    delete pp_id_;
    nginx_ = nullptr;
  }

  void SetUp() override {
    KAWAL_REQUIRE_PROGRAM(*nginx_binary_, "nginx", "KAWAL_SKIP_NGINX_TESTS");
    ASSERT_TRUE(gm_ != nullptr && pp_ != nullptr && nginx_ != nullptr && gm_id_ != nullptr &&
                pp_id_ != nullptr)
        << "the suite's set-up failed (see its messages above)";
  }

  static ServerProcess* StartShard(const std::string& name, const std::string& region) {
    auto* shard = new ServerProcess(dir_->path() + "/" + name,
                                    {"--seed_region=" + region, "--serve_regions=" + region});
    absl::Status started = shard->Start();
    EXPECT_TRUE(started.ok()) << started << shard->Stderr();
    if (!started.ok()) {
      delete shard;
      return nullptr;
    }
    return shard;
  }

  static void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_->path() + "/" + name) << text << "\n";
  }
  static std::string Path(const std::string& name) { return dir_->path() + "/" + name; }
  static std::string ReadToken(const std::string& name) {
    std::ifstream in(Path(name));
    std::string token;
    in >> token;
    return token;
  }

  // A facilitator's device, set up for the proxy with its kabupaten.
  static absl::StatusOr<std::unique_ptr<mobile::Device>> Device(const std::string& name,
                                                                const std::string& token,
                                                                const std::string& region) {
    return OpenTestDevice(TestDeviceOptions(Path(name), name), nginx_->address(), token, region);
  }

  // Every record a shard holds (read directly from the shard).
  static std::vector<v1::Record> Holdings(ServerProcess* shard, const std::string& region) {
    TestClient admin = AdminClient(*shard);
    admin.set_region(region);
    admin.set_whole_records(true);
    std::vector<v1::Record> records;
    std::string cursor;
    EXPECT_TRUE(admin.PullAll(0xAD, {}, &records, &cursor).ok());
    return records;
  }

  static std::pair<int, std::string> Report(std::vector<std::string> args) {
    auto result = ServerProcess::RunToExit(KAWAL_REPORT_BINARY, args);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : std::make_pair(-1, result.status().ToString());
  }

  static std::string* nginx_binary_;
  static TempDir* dir_;
  static ServerProcess* gm_;
  static ServerProcess* pp_;
  static NginxProcess* nginx_;
  static std::string* gm_id_;  // the activities synced at set-up
  static std::string* pp_id_;
};

std::string* TwoShardTest::nginx_binary_ = nullptr;
TempDir* TwoShardTest::dir_ = nullptr;
ServerProcess* TwoShardTest::gm_ = nullptr;
ServerProcess* TwoShardTest::pp_ = nullptr;
NginxProcess* TwoShardTest::nginx_ = nullptr;
std::string* TwoShardTest::gm_id_ = nullptr;
std::string* TwoShardTest::pp_id_ = nullptr;

// The set-up synced one activity per district through the proxy.
TEST_F(TwoShardTest, FacilitatorsOfBothDistrictsSyncThroughOneProxy) {
  // Each shard holds only its district: its seeded villages and its
  // facilitator's activity, nothing of the other.
  for (auto [shard, region, mine, theirs] :
       {std::tuple{gm_, kGunungMas, *gm_id_, *pp_id_}, std::tuple{pp_, kPulangPisau, *pp_id_, *gm_id_}}) {
    std::vector<v1::Record> records = Holdings(shard, region);
    ASSERT_GT(records.size(), 10u) << region;  // the seeded villages and more
    bool has_mine = false;
    for (const v1::Record& r : records) {
      EXPECT_TRUE(r.scope().rfind(std::string(region) + ".", 0) == 0)
          << "shard " << region << " holds " << r.collection() << " " << r.id() << " of "
          << r.scope();
      EXPECT_NE(r.id(), theirs) << "shard " << region << " holds the other district's activity";
      has_mine = has_mine || r.id() == mine;
    }
    EXPECT_TRUE(has_mine) << region;
  }

  // A second device of the Gunung Mas facilitator receives the activity
  // through the proxy.
  ASSERT_OK_AND_ASSIGN(auto again,
                       Device("gm-device-2", ReadToken("gm-facilitator.token"), kGunungMas));
  ASSERT_TRUE(again->Sync(mobile::SyncOptions(), nullptr).ok());
  auto received = again->Get("activity", *gm_id_);
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_FALSE(received->IsEmpty());
}

TEST_F(TwoShardTest, OfficersReportsWorkThroughTheProxy) {
  for (auto [region, token, desa_name_part] :
       {std::tuple{kGunungMas, "gm-officer.token", "62.10.01"},
        std::tuple{kPulangPisau, "pp-officer.token", "62.11.01"}}) {
    auto [code, out] = Report({"--server=" + nginx_->address(), "--token_file=" + Path(token),
                               std::string("--region=") + region, "--year=2026", "--format=csv",
                               "--timeout_s=20"});
    ASSERT_EQ(code, 0) << out;
    auto rows = ParseCsv(out);
    ASSERT_TRUE(rows.count(desa_name_part)) << out;
    EXPECT_EQ(rows[desa_name_part]["activities"], "1") << out;
  }
}

TEST_F(TwoShardTest, MissingOrUnknownRegionHeaderGetsAClearError) {
  TestClient client(nginx_->address(), ReadToken("gm-facilitator.token"));
  v1::HandshakeResponse hello;
  grpc::Status status = client.Handshake(v1::HandshakeRequest(), &hello);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("no x-kawal-region header"));

  client.set_region("62.12");
  status = client.Handshake(v1::HandshakeRequest(), &hello);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("no shard serves region 62.12"));

  // The routed call works with the same token.
  client.set_region(kGunungMas);
  EXPECT_TRUE(client.Handshake(v1::HandshakeRequest(), &hello).ok());

  // kawal-admin through the proxy without --region.
  auto run = ServerProcess::RunToExit(
      AdminBinary(), {"--server=" + nginx_->address(), "--token_file=" + gm_->data_dir() +
                      "/admin.token", "--timeout_s=20", "stats"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->first, 1) << run->second;
  EXPECT_THAT(run->second, HasSubstr("FAILED_PRECONDITION: no x-kawal-region header"));
}

// kawal-report --shards: the province's kabupaten rows and the national
// province rows equal the shards' own figures added; the percentages are
// recomputed from the summed counters, not added.
TEST_F(TwoShardTest, ReportOverShardsSumsTheirFigures) {
  const std::string gm_token = "62.10=" + gm_->data_dir() + "/admin.token";
  const std::string pp_token = "62.11=" + pp_->data_dir() + "/admin.token";
  const std::string proxy = nginx_->address();
  auto report = [&](const std::string& shards, const std::vector<std::string>& more) {
    std::string tokens = "--shard_token_files=";
    if (absl::StrContains(shards, "62.10=")) absl::StrAppend(&tokens, gm_token, ",");
    if (absl::StrContains(shards, "62.11=")) absl::StrAppend(&tokens, pp_token);
    std::vector<std::string> args = {"--shards=" + shards, tokens, "--year=2026", "--format=csv",
                                     "--timeout_s=20"};
    args.insert(args.end(), more.begin(), more.end());
    auto [code, out] = Report(args);
    EXPECT_EQ(code, 0) << out;
    return ParseCsv(out);
  };
  const std::string both = absl::StrCat("62.10=", proxy, ",62.11=", proxy);
  for (const std::vector<std::string>& question :
       {std::vector<std::string>{"--region=62", "--level=kabupaten"},
        std::vector<std::string>{"--level=provinsi"}}) {
    auto sum = report(both, question);
    auto gm = report(absl::StrCat("62.10=", gm_->address()), question);
    auto pp = report(absl::StrCat("62.11=", pp_->address()), question);
    ASSERT_FALSE(sum.empty());
    ASSERT_EQ(sum.size(), gm.size());
    ASSERT_EQ(sum.size(), pp.size());
    for (auto& [code, columns] : sum) {
      for (const char* column : {"activities", "in_progress", "budget", "spent", "progress_rupiah",
                                 "budget_DDS", "reports"}) {
        EXPECT_EQ(Number(columns[column]), Number(gm[code][column]) + Number(pp[code][column]))
            << code << " " << column;
      }
      const double budget = Number(columns["budget"]);
      if (budget > 0) {
        EXPECT_NEAR(Number(columns["progress_pct"]),
                    100.0 * Number(columns["progress_rupiah"]) / budget, 0.01)
            << code;
      }
    }
    if (question.size() == 2) {  // the province's kabupaten
      EXPECT_EQ(sum["62.10"]["activities"], "1");
      EXPECT_EQ(sum["62.11"]["activities"], "1");
    } else {                     // the nation, by province
      EXPECT_EQ(sum["62"]["activities"], "2");
      EXPECT_EQ(sum["62"]["budget"], "300000000");
      // (200M × 50% + 100M × 20%) / 300M = 40%, not 50 + 20.
      EXPECT_NEAR(Number(sum["62"]["progress_pct"]), 40.0, 0.01);
    }
  }
}

TEST_F(TwoShardTest, ReportOverShardsRefusesBadFlags) {
  auto [code, out] = Report({"--shards=62.10", "--year=2026"});
  EXPECT_EQ(code, 2) << out;
  EXPECT_THAT(out, HasSubstr("--shards entry '62.10' must be REGION=VALUE"));
  std::tie(code, out) = Report({"--shards=62.10=" + nginx_->address(), "--silent_days=3"});
  EXPECT_EQ(code, 2) << out;
  EXPECT_THAT(out, HasSubstr("--silent_days is per district"));
  std::tie(code, out) = Report({"--shards=62.10=" + nginx_->address(),
                                "--server=" + nginx_->address(), "--year=2026"});
  EXPECT_EQ(code, 2) << out;
  EXPECT_THAT(out, HasSubstr("--server and --shards exclude each other"));
}

}  // namespace
}  // namespace kawal::testing
