// Two region shards behind Debian's nginx, all real processes on loopback:
// kawal-server for 62.10 (Gunung Mas) and for 62.11 (Pulang Pisau), each
// with --serve_regions, and nginx run from its own prefix with the shipped
// deploy/proxy/ config (ephemeral ports, the certificate paths pointed at the
// test's folder). TLS ends at nginx: the test makes a CA and the proxy's
// certificate (localhost, 127.0.0.1) with the openssl command; nginx speaks
// plaintext HTTP/2 to the shards on loopback. Facilitators of both districts
// sync through the one proxy name (localhost:PORT) with the mobile core,
// trusting that CA; each shard holds only its district's records; officers'
// reports work through the proxy; calls without or with an unknown region
// header get a clear gRPC error from nginx; kawal-report --shards sums the
// shards. The certificate is rotated on disk and nginx reloaded while the
// shards keep running; a device trusting another CA is refused and keeps
// its changes. kawal-web (for 62.10) sits behind the same nginx with the
// shipped deploy/proxy/kawal-web.conf: an officer logs in through it.
//
// Fails when nginx or openssl is not installed (Debian packages nginx,
// openssl; scripts/install-deps.sh --test installs them), unless
// KAWAL_SKIP_NGINX_TESTS=1 or KAWAL_SKIP_OPENSSL_TESTS=1 asks to skip it
// (docs/build.md).
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include <gmock/gmock.h>
#include <httplib.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/cord.h"
#include "device_fixture.h"
#include "kawal/common/transport.h"
#include "kawal/mobile/device.h"
#include "kawal/v1/sync.grpc.pb.h"
#include "listening_pid.h"
#include "nginx_process.h"
#include "required_tool.h"
#include "server_process.h"
#include "test_client.h"
#include "tls_peer.h"
#include "token_file.h"
#include "web_process.h"

namespace kawal::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kGunungMas[] = "62.10";
constexpr char kPulangPisau[] = "62.11";
constexpr char kDesaGm[] = "62.10.01.2001";
constexpr char kDesaPp[] = "62.11.01.2001";
// Where the shipped config reads the proxy's certificate and key.
constexpr char kShippedTlsDir[] = "/etc/kawal/tls/";
// Serial numbers of the proxy's first and rotated certificates (hex, as
// `openssl x509 -serial` prints them).
constexpr char kFirstSerial[] = "1001";
constexpr char kRotatedSerial[] = "2002";
// The dashboard's host name on the proxy (deploy/proxy/kawal-web.conf).
constexpr char kWebHost[] = "web.localhost";
constexpr char kOfficerPassword[] = "dpmd-gunung-mas-1";
// Attempts (20 ms apart) for a reloaded nginx to present the new certificate.
constexpr int kReloadAttempts = 500;

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

// Runs the openssl command; its output on failure. Keys are written to
// files by openssl itself and never pass through argv or logs.
absl::Status Openssl(const std::string& openssl, const std::vector<std::string>& args) {
  auto run = ServerProcess::RunToExit(openssl, args, 60);
  if (!run.ok()) return run.status();
  if (run->first != 0) {
    return absl::InternalError(absl::StrCat("openssl ", args[0], " failed: ", run->second));
  }
  return absl::OkStatus();
}

// A CA: `dir`/`name`.key and `dir`/`name`.crt (P-256, two days).
absl::Status MakeCa(const std::string& openssl, const std::string& dir, const std::string& name,
                    const std::string& common_name) {
  return Openssl(openssl, {"req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                           "/CN=" + common_name, "-addext", "basicConstraints=critical,CA:TRUE",
                           "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout",
                           dir + "/" + name + ".key", "-out", dir + "/" + name + ".crt"});
}

// A server certificate for localhost and 127.0.0.1 from the CA `ca` (in
// `dir`) with serial `serial_hex`: `key_path` and `cert_path`.
absl::Status MakeServerCert(const std::string& openssl, const std::string& dir,
                            const std::string& ca, const std::string& serial_hex,
                            const std::string& key_path, const std::string& cert_path) {
  const std::string csr = dir + "/server-" + serial_hex + ".csr";
  const std::string ext = dir + "/server.ext";
  std::ofstream(ext) << "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                        "basicConstraints=critical,CA:FALSE\n"
                        "keyUsage=critical,digitalSignature\n"
                        "extendedKeyUsage=serverAuth\n";
  absl::Status made = Openssl(openssl, {"req", "-new", "-newkey", "ec", "-pkeyopt",
                                        "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
                                        "/CN=localhost", "-keyout", key_path, "-out", csr});
  if (!made.ok()) return made;
  return Openssl(openssl, {"x509", "-req", "-in", csr, "-CA", dir + "/" + ca + ".crt", "-CAkey",
                           dir + "/" + ca + ".key", "-set_serial", "0x" + serial_hex, "-days", "2",
                           "-extfile", ext, "-out", cert_path});
}

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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
    openssl_binary_ = new std::string(FindProgram("openssl", "/usr/bin/openssl"));
    if (nginx_binary_->empty() || openssl_binary_->empty()) return;  // SetUp says so
    dir_ = new TempDir();
    // The proxy's CA and first certificate, where the config will read them.
    ::mkdir(TlsDir().c_str(), 0700);
    absl::Status made = MakeCa(*openssl_binary_, TlsDir(), "ca", "Kawal Test Provincial CA");
    ASSERT_TRUE(made.ok()) << made;
    made = MakeServerCert(*openssl_binary_, TlsDir(), "ca", kFirstSerial, TlsDir() + "/proxy.key",
                          TlsDir() + "/proxy.crt");
    ASSERT_TRUE(made.ok()) << made;
    ca_pem_ = new std::string(ReadFileText(TlsDir() + "/ca.crt"));
    gm_ = StartShard("gm", kGunungMas);
    pp_ = StartShard("pp", kPulangPisau);
    ASSERT_NE(gm_, nullptr);
    ASSERT_NE(pp_, nullptr);
    // kawal-web for the Gunung Mas shard, as deploy/systemd's
    // kawal-web.default runs it behind nginx.
    web_ = new WebProcess(KAWAL_WEB_BINARY, gm_->address(),
                          {"--region=" + std::string(kGunungMas), "--secure_cookies",
                           "--trust_proxy_headers"},
                          Path("kawal-web.stderr"));
    const absl::Status web_started = web_->Start();
    ASSERT_TRUE(web_started.ok()) << web_started;
    web_port_ = web_->port();
    ::mkdir((dir_->path() + "/nginx").c_str(), 0700);
    nginx_ = new NginxProcess(*nginx_binary_, dir_->path() + "/nginx");
    const std::string grpc_conf = ReadSource("deploy/proxy/kawal-grpc.conf");
    const std::string main_conf = ReadSource("deploy/proxy/nginx.conf");
    const std::string web_conf = ReadSource("deploy/proxy/kawal-web.conf");
    ASSERT_FALSE(grpc_conf.empty());
    ASSERT_FALSE(web_conf.empty());
    // The shipped config is what is tested: it must end TLS with the files
    // under /etc/kawal/tls/, which are pointed at the test's folder.
    ASSERT_THAT(grpc_conf, HasSubstr("listen ${KAWAL_PROXY_LISTEN} ssl http2;"));
    ASSERT_THAT(grpc_conf, HasSubstr(absl::StrCat("ssl_certificate     ", kShippedTlsDir,
                                                  "proxy.crt;")));
    ASSERT_THAT(grpc_conf, HasSubstr(absl::StrCat("ssl_certificate_key ", kShippedTlsDir,
                                                  "proxy.key;")));
    ASSERT_THAT(grpc_conf, HasSubstr("ssl_protocols       TLSv1.2 TLSv1.3;"));
    // One worker is plenty here and kinder to a shared CI machine.
    // kawal-web.conf is included after kawal-grpc.conf, as its header says.
    const std::string main_small =
        absl::StrReplaceAll(main_conf, {{"worker_processes auto;", "worker_processes 1;"},
                                        {"include kawal-grpc.conf;",
                                         "include kawal-grpc.conf;\n    include kawal-web.conf;"}});
    absl::Status started = nginx_->Start([&](int port) {
      return std::map<std::string, std::string>{
          {"nginx.conf", main_small},
          {"kawal-grpc.conf",
           absl::StrReplaceAll(grpc_conf, {{"${KAWAL_PROXY_LISTEN}", absl::StrCat("127.0.0.1:", port)},
                                           {"${KAWAL_SHARD_62_10}", gm_->address()},
                                           {"${KAWAL_SHARD_62_11}", pp_->address()},
                                           {kShippedTlsDir, TlsDir() + "/"}})},
          {"kawal-web.conf",
           absl::StrReplaceAll(web_conf, {{"${KAWAL_PROXY_LISTEN}", absl::StrCat("127.0.0.1:", port)},
                                          {"${KAWAL_WEB_HOST}", kWebHost},
                                          {"${KAWAL_WEB_UPSTREAM}", absl::StrCat("127.0.0.1:", web_port_)},
                                          {kShippedTlsDir, TlsDir() + "/"}})}};
    });
    ASSERT_TRUE(started.ok()) << started;

    // Users live on their district's shard (added directly, with the header).
    for (ServerProcess* shard : {gm_, pp_}) {
      const bool gm = shard == gm_;
      TestClient admin = AdminClient(*shard);
      admin.set_region(gm ? kGunungMas : kPulangPisau);
      std::string token;
      ASSERT_TRUE(admin.AddUser("fasilitator", v1::FACILITATOR, {gm ? kDesaGm : kDesaPp}, &token).ok());
      kawal::testing::WriteTokenFile(Path(gm ? "gm-facilitator.token" : "pp-facilitator.token"),
                                     token);
      ASSERT_TRUE(admin.AddUser("dpmd", v1::DISTRICT_OFFICER, {gm ? kGunungMas : kPulangPisau},
                                &token).ok());
      kawal::testing::WriteTokenFile(Path(gm ? "gm-officer.token" : "pp-officer.token"), token);
    }
    // The Gunung Mas officer's dashboard password (kawal-admin user passwd).
    {
      TestClient admin = AdminClient(*gm_);
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + AdminTokenOf(*gm_));
      context.AddMetadata("x-kawal-region", kGunungMas);
      v1::SetPasswordRequest request;
      request.set_name("dpmd");
      request.set_password(kOfficerPassword);
      v1::SetPasswordResponse response;
      grpc::Status set =
          v1::AdminService::NewStub(admin.channel())->SetPassword(&context, request, &response);
      ASSERT_TRUE(set.ok()) << set.error_message();
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
    delete web_;
    delete nginx_;
    delete gm_;
    delete pp_;
    delete dir_;
    delete nginx_binary_;
    delete openssl_binary_;
    delete ca_pem_;
    delete gm_id_;
    delete pp_id_;
    nginx_ = nullptr;
  }

  void SetUp() override {
    KAWAL_REQUIRE_PROGRAM(*nginx_binary_, "nginx", "KAWAL_SKIP_NGINX_TESTS");
    KAWAL_REQUIRE_PROGRAM(*openssl_binary_, "openssl", "KAWAL_SKIP_OPENSSL_TESTS");
    ASSERT_TRUE(gm_ != nullptr && pp_ != nullptr && nginx_ != nullptr && gm_id_ != nullptr &&
                pp_id_ != nullptr && ca_pem_ != nullptr)
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

  // An HTTPS client of the proxy for the dashboard's host name, trusting
  // the proxy's CA.
  static std::unique_ptr<httplib::SSLClient> WebClient() {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", nginx_->port());
    client->set_ca_cert_path((TlsDir() + "/ca.crt").c_str());
    client->enable_server_certificate_verification(true);
    client->set_default_headers({{"Host", kWebHost}});
    return client;
  }

  static std::string Path(const std::string& name) { return dir_->path() + "/" + name; }
  static std::string ReadToken(const std::string& name) {
    std::ifstream in(Path(name));
    std::string token;
    in >> token;
    return token;
  }

  static std::string TlsDir() { return dir_->path() + "/tls"; }
  // The proxy by the name its certificate carries.
  static std::string ProxyTarget() { return absl::StrCat("localhost:", nginx_->port()); }

  // A facilitator's device, set up for the proxy with its kabupaten, trusting
  // `ca_pem` (the proxy's CA unless told otherwise): TLS although the proxy
  // is on loopback, because a CA is given.
  static absl::StatusOr<std::unique_ptr<mobile::Device>> Device(const std::string& name,
                                                                const std::string& token,
                                                                const std::string& region,
                                                                const std::string* ca_pem = nullptr) {
    auto device = OpenTestDevice(TestDeviceOptions(Path(name), name));
    if (!device.ok()) return device.status();
    mobile::ServerConnection connection;
    connection.server = ProxyTarget();
    connection.token = token;
    connection.region = region;
    connection.tls_ca_pem = ca_pem != nullptr ? *ca_pem : *ca_pem_;
    absl::Status configured = (*device)->Configure(connection);
    if (!configured.ok()) return configured;
    return device;
  }

  // A gRPC SyncService stub to the proxy over TLS, planned as every client
  // plans it (kawal/common/transport.h).
  static std::unique_ptr<v1::SyncService::Stub> ProxyStub() {
    common::TransportOptions transport;
    transport.tls_ca_pem = *ca_pem_;
    auto plan = common::PlanTransport(ProxyTarget(), transport);
    EXPECT_TRUE(plan.ok()) << plan.status();
    EXPECT_TRUE(plan.ok() && plan->use_tls) << "a CA was given: TLS even on loopback";
    if (!plan.ok()) return nullptr;
    return v1::SyncService::NewStub(
        grpc::CreateChannel(ProxyTarget(), common::CredentialsFor(*plan)));
  }

  static grpc::Status HandshakeThroughProxy(v1::SyncService::Stub& stub, const std::string& token,
                                            const std::string& region,
                                            v1::HandshakeResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    context.AddMetadata("authorization", "Bearer " + token);
    if (!region.empty()) context.AddMetadata("x-kawal-region", region);
    return stub.Handshake(&context, v1::HandshakeRequest(), response);
  }

  // A new device of the district's facilitator records an activity and
  // pushes it through the proxy over TLS (failures are test failures).
  static void SyncANewActivity(const std::string& device_name, bool gm) {
    ASSERT_OK_AND_ASSIGN(auto device,
                         Device(device_name, ReadToken(gm ? "gm-facilitator.token"
                                                          : "pp-facilitator.token"),
                                gm ? kGunungMas : kPulangPisau));
    auto status = device->Status();
    ASSERT_TRUE(status.ok()) << status.status();
    EXPECT_EQ(status->transport, "tls");
    auto id = device->Create("activity", gm ? kDesaGm : kDesaPp,
                             Activity("Drainase " + device_name, 50000000, 10));
    ASSERT_TRUE(id.ok()) << id.status();
    auto report = device->Sync(mobile::SyncOptions(), nullptr);
    ASSERT_TRUE(report.ok()) << report.status() << "\nnginx: " << nginx_->ErrorLog();
    EXPECT_EQ(report->pushed, 1u);
    EXPECT_EQ(report->rejected, 0u);
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
  static std::string* openssl_binary_;
  static std::string* ca_pem_;  // the proxy's CA
  static TempDir* dir_;
  static ServerProcess* gm_;
  static ServerProcess* pp_;
  static NginxProcess* nginx_;
  static WebProcess* web_;
  static int web_port_;
  static std::string* gm_id_;  // the activities synced at set-up
  static std::string* pp_id_;
};

std::string* TwoShardTest::nginx_binary_ = nullptr;
std::string* TwoShardTest::openssl_binary_ = nullptr;
std::string* TwoShardTest::ca_pem_ = nullptr;
TempDir* TwoShardTest::dir_ = nullptr;
ServerProcess* TwoShardTest::gm_ = nullptr;
ServerProcess* TwoShardTest::pp_ = nullptr;
NginxProcess* TwoShardTest::nginx_ = nullptr;
WebProcess* TwoShardTest::web_ = nullptr;
int TwoShardTest::web_port_ = 0;
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
    auto [code, out] = Report({"--server=" + ProxyTarget(), "--tls_ca=" + TlsDir() + "/ca.crt",
                               "--token_file=" + Path(token),
                               std::string("--region=") + region, "--year=2026", "--format=csv",
                               "--timeout_s=20"});
    ASSERT_EQ(code, 0) << out;
    auto rows = ParseCsv(out);
    ASSERT_TRUE(rows.count(desa_name_part)) << out;
    EXPECT_EQ(rows[desa_name_part]["activities"], "1") << out;
  }
}

TEST_F(TwoShardTest, MissingOrUnknownRegionHeaderGetsAClearError) {
  std::unique_ptr<v1::SyncService::Stub> stub = ProxyStub();
  ASSERT_NE(stub, nullptr);
  const std::string token = ReadToken("gm-facilitator.token");
  v1::HandshakeResponse hello;
  grpc::Status status = HandshakeThroughProxy(*stub, token, "", &hello);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("no x-kawal-region header"));

  status = HandshakeThroughProxy(*stub, token, "62.12", &hello);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("no shard serves region 62.12"));

  // The routed call works with the same token.
  status = HandshakeThroughProxy(*stub, token, kGunungMas, &hello);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // kawal-admin through the proxy without --region.
  auto run = ServerProcess::RunToExit(
      AdminBinary(), {"--server=" + ProxyTarget(), "--tls_ca=" + TlsDir() + "/ca.crt",
                      "--token_file=" + gm_->data_dir() + "/admin.token", "--timeout_s=20",
                      "stats"});
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
  const std::string proxy = ProxyTarget();
  const std::string proxy_ca = "--tls_ca=" + TlsDir() + "/ca.crt";
  // Through the proxy over TLS (`more` holds --tls_ca), or to a shard
  // directly (plaintext on loopback).
  auto report = [&](const std::string& shards, std::vector<std::string> more) {
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
    std::vector<std::string> through_proxy = question;
    through_proxy.push_back(proxy_ca);
    auto sum = report(both, through_proxy);
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
  std::tie(code, out) = Report({"--shards=62.10=" + ProxyTarget(), "--silent_days=3"});
  EXPECT_EQ(code, 2) << out;
  EXPECT_THAT(out, HasSubstr("--silent_days is per district"));
  std::tie(code, out) = Report({"--shards=62.10=" + ProxyTarget(), "--server=" + ProxyTarget(),
                                "--year=2026"});
  EXPECT_EQ(code, 2) << out;
  EXPECT_THAT(out, HasSubstr("--server and --shards exclude each other"));
}

// The proxy's certificate is replaced on disk (a new key, the same CA, a new
// serial) and nginx reloaded: new connections get the new certificate,
// devices of both districts sync over it, and neither shard restarts.
TEST_F(TwoShardTest, CertificateRotationAtTheProxyKeepsTheShardsRunning) {
  ASSERT_OK_AND_ASSIGN(const pid_t gm_pid, PidListeningOn(gm_->port()));
  ASSERT_OK_AND_ASSIGN(const pid_t pp_pid, PidListeningOn(pp_->port()));
  const pid_t nginx_master = nginx_->pid();
  ASSERT_OK_AND_ASSIGN(std::string served, PresentedCertificateSerial(nginx_->port(), "localhost"));
  ASSERT_EQ(served, kFirstSerial);

  // Written next to the live files, then renamed over them: nginx never
  // reads a half-written certificate.
  absl::Status made = MakeServerCert(*openssl_binary_, TlsDir(), "ca", kRotatedSerial,
                                     TlsDir() + "/next.key", TlsDir() + "/next.crt");
  ASSERT_TRUE(made.ok()) << made;
  ASSERT_EQ(::rename((TlsDir() + "/next.key").c_str(), (TlsDir() + "/proxy.key").c_str()), 0);
  ASSERT_EQ(::rename((TlsDir() + "/next.crt").c_str(), (TlsDir() + "/proxy.crt").c_str()), 0);
  absl::Status reloaded = nginx_->Reload();
  ASSERT_TRUE(reloaded.ok()) << reloaded;

  // The master starts new workers with the new certificate; wait (bounded)
  // until a new connection is served by one of them.
  for (int attempt = 0; attempt < kReloadAttempts && served != kRotatedSerial; ++attempt) {
    ::poll(nullptr, 0, 20);
    absl::StatusOr<std::string> now = PresentedCertificateSerial(nginx_->port(), "localhost");
    if (now.ok()) served = *now;
  }
  ASSERT_EQ(served, kRotatedSerial) << "nginx did not present the rotated certificate after "
                                    << kReloadAttempts << " attempts: " << nginx_->ErrorLog();

  SyncANewActivity("gm-device-rotated", /*gm=*/true);
  SyncANewActivity("pp-device-rotated", /*gm=*/false);

  EXPECT_EQ(nginx_->pid(), nginx_master) << "a reload, not a restart";
  EXPECT_EQ(PidListeningOn(gm_->port()).value_or(-1), gm_pid) << "the 62.10 shard restarted";
  EXPECT_EQ(PidListeningOn(pp_->port()).value_or(-1), pp_pid) << "the 62.11 shard restarted";
  EXPECT_TRUE(gm_->running());
  EXPECT_TRUE(pp_->running());
}

// A device told to trust another CA (a rogue hotspot's, a stale
// provisioning) is refused before anything is sent, says why, and keeps its
// changes for a later sync.
TEST_F(TwoShardTest, DeviceTrustingAnotherCaIsRefusedAndKeepsItsChanges) {
  absl::Status made = MakeCa(*openssl_binary_, TlsDir(), "other-ca", "Another Kawal CA");
  ASSERT_TRUE(made.ok()) << made;
  const std::string other_ca = ReadFileText(TlsDir() + "/other-ca.crt");
  ASSERT_OK_AND_ASSIGN(auto device, Device("gm-device-other-ca", ReadToken("gm-facilitator.token"),
                                           kGunungMas, &other_ca));
  auto id = device->Create("activity", kDesaGm, Activity("Posyandu", 30000000, 0));
  ASSERT_TRUE(id.ok()) << id.status();

  absl::StatusOr<mobile::SyncReport> report = device->Sync(mobile::SyncOptions(), nullptr);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition) << report.status();
  absl::optional<absl::Cord> problem = report.status().GetPayload(mobile::kConnectionProblemPayload);
  ASSERT_TRUE(problem.has_value()) << report.status();
  EXPECT_EQ(std::string(*problem), "untrusted") << report.status();
  EXPECT_THAT(std::string(report.status().message()), HasSubstr("Kawal Test Provincial CA"))
      << "the message names the issuer the device does not trust";

  absl::StatusOr<uint64_t> pending = device->PendingCount();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_EQ(*pending, 1u);
  absl::StatusOr<bool> is_pending = device->IsPending("activity", *id);
  ASSERT_TRUE(is_pending.ok()) << is_pending.status();
  EXPECT_TRUE(*is_pending);
}

// deploy/proxy/kawal-web.conf as shipped: the dashboard's host name on the
// proxy's port reaches kawal-web (gRPC callers keep reaching the shards, the
// cases above), an officer logs in over TLS and sees the district, and a
// body larger than a form is refused by nginx.
TEST_F(TwoShardTest, OfficerLogsInToTheDashboardThroughTheProxy) {
  std::unique_ptr<httplib::SSLClient> web = WebClient();
  httplib::Result form = web->Get("/login");
  ASSERT_TRUE(form) << httplib::to_string(form.error()) << "\nnginx: " << nginx_->ErrorLog();
  ASSERT_EQ(form->status, 200) << form->body;
  EXPECT_THAT(form->body, HasSubstr("name=\"password\""));
  // kawal-web's own headers come through nginx.
  EXPECT_THAT(form->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'none'"));
  const std::string set_cookie = form->get_header_value("Set-Cookie");
  const size_t at = set_cookie.find("kawal_csrf=");
  ASSERT_NE(at, std::string::npos) << set_cookie;
  EXPECT_THAT(set_cookie, HasSubstr("Secure"));
  const std::string csrf = set_cookie.substr(at + 11, 64);

  httplib::Result login = web->Post(
      "/login", {{"Cookie", "kawal_csrf=" + csrf}},
      absl::StrCat("csrf=", csrf, "&name=dpmd&password=", kOfficerPassword, "&next=%2Fregion%2F62.10"),
      "application/x-www-form-urlencoded");
  ASSERT_TRUE(login) << httplib::to_string(login.error());
  ASSERT_EQ(login->status, 303) << login->body;
  std::string session;
  for (const auto& [name, value] : login->headers) {
    if (name == "Set-Cookie" && absl::StartsWith(value, "kawal_session=")) {
      session = value.substr(0, value.find(';'));
    }
  }
  ASSERT_FALSE(session.empty());

  httplib::Result overview = web->Get("/region/62.10?year=2026", {{"Cookie", session}});
  ASSERT_TRUE(overview) << httplib::to_string(overview.error());
  EXPECT_EQ(overview->status, 200) << overview->body;
  EXPECT_THAT(overview->body, HasSubstr("62.10.01"));  // the district's kecamatan rows

  httplib::Result too_big = web->Post("/login", {{"Cookie", "kawal_csrf=" + csrf}},
                                      std::string(100 * 1024, 'x'),
                                      "application/x-www-form-urlencoded");
  ASSERT_TRUE(too_big) << httplib::to_string(too_big.error());
  EXPECT_EQ(too_big->status, 413);
  EXPECT_THAT(too_big->body, HasSubstr("nginx"));  // refused at the proxy, not by kawal-web
}

}  // namespace
}  // namespace kawal::testing
