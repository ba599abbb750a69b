// BenchServer::Connect opens its channels as the clients do
// (common::PlanTransport): TLS to a non-loopback server unless --insecure,
// plaintext on loopback, and the admin token file must be owner-only.
// Nothing is dialled: gRPC channels connect on their first call.
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "bench_server.h"
#include "gtest/gtest.h"
#include "server_process.h"
#include "token_file.h"

namespace kawal::bench {
namespace {

class BenchServerTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    token_file_ = testing::WriteTokenFile(dir_.path() + "/admin.token", "kd1_bench");
    ca_file_ = dir_.path() + "/ca.pem";
    std::ofstream(ca_file_) << "-----BEGIN CERTIFICATE-----\nnot checked here\n"
                               "-----END CERTIFICATE-----\n";
  }
  testing::TempDir dir_;
  std::string token_file_, ca_file_;
};

TEST_F(BenchServerTransportTest, ANonLoopbackServerGetsTlsByDefault) {
  auto server = BenchServer::Connect("10.20.30.40:7443", token_file_,
                                     common::TransportOptions{.tls_ca_file = ca_file_});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE((*server)->transport().use_tls);
  EXPECT_EQ((*server)->transport().ca_name, ca_file_);
}

TEST_F(BenchServerTransportTest, PlaintextToANetworkAddressOnlyWhenAsked) {
  auto server = BenchServer::Connect("10.20.30.40:7443", token_file_,
                                     common::TransportOptions{.insecure = true});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_FALSE((*server)->transport().use_tls);
  EXPECT_FALSE((*server)->transport().warning.empty());
}

TEST_F(BenchServerTransportTest, LoopbackIsPlaintext) {
  auto server = BenchServer::Connect("127.0.0.1:7443", token_file_);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_FALSE((*server)->transport().use_tls);
}

TEST_F(BenchServerTransportTest, AnOpenTokenFileIsRefused) {
  ASSERT_EQ(::chmod(token_file_.c_str(), 0644), 0);
  auto server = BenchServer::Connect("127.0.0.1:7443", token_file_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace kawal::bench
