// Tests for server/ops/reloading_tls.cc: a certificate replaced on disk is
// served to new connections without a restart, and bad files are named at
// start. Certificates are made with OpenSSL in the test.
#include "ops/reloading_tls.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "kawal/common/tls_diagnosis.h"
#include "kawal/v1/sync.grpc.pb.h"
#include "test_certs.h"

namespace kawal::server::ops {
namespace {

using kawal::testing::MakeTestCa;
using kawal::testing::MakeTestLeaf;
using kawal::testing::TestCert;

class ReloadingTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("reloading_tls_", ::getpid(), "_", ::testing::UnitTest::GetInstance()
                                                              ->current_test_info()
                                                              ->name());
    std::filesystem::create_directories(dir_);
    cert_path_ = (dir_ / "server.crt").string();
    key_path_ = (dir_ / "server.key").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Replaces both files the way certbot does: write aside, then rename.
  void Install(const TestCert& leaf) {
    std::ofstream(cert_path_ + ".new") << leaf.cert_pem;
    std::ofstream(key_path_ + ".new") << leaf.key_pem;
    std::filesystem::rename(key_path_ + ".new", key_path_);
    std::filesystem::rename(cert_path_ + ".new", cert_path_);
  }

  std::filesystem::path dir_;
  std::string cert_path_, key_path_;
};

TEST_F(ReloadingTlsTest, ARotatedCertificateIsServedWithoutARestart) {
  TestCert old_ca = MakeTestCa("Old Provincial CA");
  TestCert new_ca = MakeTestCa("New Provincial CA");
  Install(MakeTestLeaf(old_ca, {"127.0.0.1"}));
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ReloadingTlsCredentials(cert_path_, key_path_, absl::Seconds(1));
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  v1::SyncService::Service service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", *credentials, &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  const std::string address = absl::StrCat("127.0.0.1:", port);

  common::ConnectionDiagnosis before =
      common::DiagnoseConnection(address, true, old_ca.cert_pem, absl::Seconds(10));
  EXPECT_EQ(before.problem, common::ConnectionProblem::kNone) << before.detail;
  EXPECT_NE(before.issuer.find("Old Provincial CA"), std::string::npos) << before.issuer;

  Install(MakeTestLeaf(new_ca, {"127.0.0.1"}));
  // The provider looks at the files once a second: poll new connections
  // until one carries the new certificate (bounded: 30 s).
  common::ConnectionDiagnosis after;
  for (int attempt = 0; attempt < 300; ++attempt) {
    after = common::DiagnoseConnection(address, true, new_ca.cert_pem, absl::Seconds(10));
    if (after.issuer.find("New Provincial CA") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(after.problem, common::ConnectionProblem::kNone) << after.detail;
  EXPECT_NE(after.issuer.find("New Provincial CA"), std::string::npos) << after.issuer;
  server->Shutdown();
}

TEST_F(ReloadingTlsTest, BadFilesAreNamedAtStart) {
  TestCert ca = MakeTestCa("Kawal Test CA");
  TestCert leaf = MakeTestLeaf(ca, {"127.0.0.1"});
  TestCert other = MakeTestLeaf(ca, {"127.0.0.1"});

  auto missing = ReloadingTlsCredentials(cert_path_, key_path_, absl::Seconds(1));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(cert_path_), absl::string_view::npos);

  std::ofstream(cert_path_) << leaf.cert_pem;
  std::ofstream(key_path_) << other.key_pem;
  auto mismatch = ReloadingTlsCredentials(cert_path_, key_path_, absl::Seconds(1));
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(mismatch.status().message().find("is not the private key"), absl::string_view::npos)
      << mismatch.status();

  std::ofstream(cert_path_) << "not a certificate";
  std::ofstream(key_path_) << leaf.key_pem;
  auto garbage = ReloadingTlsCredentials(cert_path_, key_path_, absl::Seconds(1));
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("holds no PEM certificate"), absl::string_view::npos);
}

}  // namespace
}  // namespace kawal::server::ops
