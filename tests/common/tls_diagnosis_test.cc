// Tests for common/src/tls_diagnosis.cc against real gRPC servers on
// 127.0.0.1 with certificates made by OpenSSL in the test: each certificate
// problem is named, and so is a TLS/plaintext mismatch either way.
#include "kawal/common/tls_diagnosis.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "kawal/v1/sync.grpc.pb.h"
#include "test_certs.h"

namespace kawal::common {
namespace {

using kawal::testing::MakeTestCa;
using kawal::testing::MakeTestLeaf;
using kawal::testing::TestCert;

constexpr absl::Duration kTimeout = absl::Seconds(10);

// A gRPC server on 127.0.0.1 (a SyncService whose methods are all
// unimplemented: only the connection matters), TLS with `leaf` or plaintext
// when `leaf` is null.
class TestServer {
 public:
  explicit TestServer(const TestCert* leaf) {
    std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
    if (leaf != nullptr) {
      grpc::SslServerCredentialsOptions ssl;
      ssl.pem_key_cert_pairs.push_back({leaf->key_pem, leaf->cert_pem});
      credentials = grpc::SslServerCredentials(ssl);
    }
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", credentials, &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~TestServer() { server_->Shutdown(); }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  bool ok() const { return server_ != nullptr && port_ > 0; }

 private:
  int port_ = 0;
  v1::SyncService::Service service_;
  std::unique_ptr<grpc::Server> server_;
};

class TlsDiagnosisTest : public ::testing::Test {
 protected:
  TestCert ca_ = MakeTestCa("Kawal Test CA");
};

TEST_F(TlsDiagnosisTest, RightCaAndNameIsNoProblem) {
  TestCert leaf = MakeTestLeaf(ca_, {"localhost", "127.0.0.1"});
  TestServer server(&leaf);
  ASSERT_TRUE(server.ok());
  ConnectionDiagnosis d = DiagnoseConnection(server.address(), true, ca_.cert_pem, kTimeout);
  EXPECT_EQ(d.problem, ConnectionProblem::kNone) << d.detail;
  EXPECT_EQ(DescribeConnectionProblem(d), "");
}

TEST_F(TlsDiagnosisTest, UntrustedIssuerIsNamed) {
  TestCert other = MakeTestCa("Some Other CA");
  TestCert leaf = MakeTestLeaf(other, {"127.0.0.1"});
  TestServer server(&leaf);
  ASSERT_TRUE(server.ok());
  ConnectionDiagnosis d = DiagnoseConnection(server.address(), true, ca_.cert_pem, kTimeout);
  EXPECT_EQ(d.problem, ConnectionProblem::kUntrusted) << d.detail;
  EXPECT_NE(DescribeConnectionProblem(d).find("Some Other CA"), std::string::npos)
      << DescribeConnectionProblem(d);
}

TEST_F(TlsDiagnosisTest, ExpiredCertificateSaysWhen) {
  TestCert leaf = MakeTestLeaf(ca_, {"127.0.0.1"}, -30, -2);
  TestServer server(&leaf);
  ASSERT_TRUE(server.ok());
  ConnectionDiagnosis d = DiagnoseConnection(server.address(), true, ca_.cert_pem, kTimeout);
  EXPECT_EQ(d.problem, ConnectionProblem::kExpired) << d.detail;
  EXPECT_NE(DescribeConnectionProblem(d).find("expired on " + d.not_after), std::string::npos);
}

TEST_F(TlsDiagnosisTest, NameMismatchNamesBothSides) {
  TestCert leaf = MakeTestLeaf(ca_, {"kawal.gunungmas.example", "kawal2.example"});
  TestServer server(&leaf);
  ASSERT_TRUE(server.ok());
  ConnectionDiagnosis d = DiagnoseConnection(server.address(), true, ca_.cert_pem, kTimeout);
  EXPECT_EQ(d.problem, ConnectionProblem::kNameMismatch) << d.detail;
  const std::string text = DescribeConnectionProblem(d);
  EXPECT_NE(text.find("does not name 127.0.0.1"), std::string::npos) << text;
  EXPECT_NE(text.find("kawal.gunungmas.example, kawal2.example"), std::string::npos) << text;
}

TEST_F(TlsDiagnosisTest, TlsClientAgainstPlaintextServer) {
  TestServer server(nullptr);
  ASSERT_TRUE(server.ok());
  ConnectionDiagnosis d = DiagnoseConnection(server.address(), true, ca_.cert_pem, kTimeout);
  EXPECT_EQ(d.problem, ConnectionProblem::kServerIsPlaintext) << d.detail;
}

TEST_F(TlsDiagnosisTest, PlaintextClientAgainstTlsServer) {
  TestCert leaf = MakeTestLeaf(ca_, {"127.0.0.1"});
  TestServer server(&leaf);
  ASSERT_TRUE(server.ok());
  ConnectionDiagnosis d = DiagnoseConnection(server.address(), false, "", kTimeout);
  EXPECT_EQ(d.problem, ConnectionProblem::kServerIsTls) << d.detail;
  EXPECT_NE(DescribeConnectionProblem(d).find("speaks TLS"), std::string::npos);
}

TEST_F(TlsDiagnosisTest, PlaintextBothSidesIsNoProblem) {
  TestServer server(nullptr);
  ASSERT_TRUE(server.ok());
  ConnectionDiagnosis d = DiagnoseConnection(server.address(), false, "", kTimeout);
  EXPECT_EQ(d.problem, ConnectionProblem::kNone) << d.detail;
}

TEST_F(TlsDiagnosisTest, NobodyListeningIsUnreachable) {
  // A port that was just free: bind, read it, close.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  ConnectionDiagnosis d = DiagnoseConnection(absl::StrCat("127.0.0.1:", ntohs(addr.sin_port)),
                                             true, ca_.cert_pem, kTimeout);
  EXPECT_EQ(d.problem, ConnectionProblem::kUnreachable);
  EXPECT_NE(DescribeConnectionProblem(d).find("cannot connect"), std::string::npos);
}

}  // namespace
}  // namespace kawal::common
