// kawal-server with TLS: a client that trusts the certificate syncs; a
// plaintext client cannot talk to it.
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "required_tool.h"
#include "server_process.h"
#include "status_assert.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(TlsTest, TrustedClientConnectsPlaintextClientCannot) {
  // openssl makes the test certificate.
  KAWAL_REQUIRE_PROGRAM("/usr/bin/openssl", "openssl", "KAWAL_SKIP_OPENSSL_TESTS");
  TempDir dir;
  const std::string cert = dir.path() + "/cert.pem", key = dir.path() + "/key.pem";
  auto made = ServerProcess::RunToExit(
      "/usr/bin/openssl",
      {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
       "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"});
  ASSERT_TRUE(made.ok()) << made.status();
  ASSERT_EQ(made->first, 0) << made->second;
  ServerProcess server(dir.path() + "/data", {"--tls_cert=" + cert, "--tls_key=" + key});
  ASSERT_TRUE(server.Start().ok()) << server.Stderr();
  ASSERT_OK_AND_ASSIGN(const std::string admin_token, server.AdminToken());

  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Slurp(cert);
  auto channel = grpc::CreateChannel(server.address(), grpc::SslCredentials(ssl));
  auto stub = v1::SyncService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + admin_token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::HandshakeResponse hello;
  grpc::Status status = stub->Handshake(&context, v1::HandshakeRequest(), &hello);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(hello.role(), "admin");

  TestClient plaintext(server.address(), admin_token);
  grpc::Status refused = plaintext.Handshake(v1::HandshakeRequest(), &hello);
  EXPECT_FALSE(refused.ok());
}

}  // namespace
}  // namespace kawal::testing
