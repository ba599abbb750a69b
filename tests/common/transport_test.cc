// Tests for common/src/transport.cc: TLS by default, plaintext only to
// loopback or by an explicit --insecure, and clear errors for bad CA files.
#include "kawal/common/transport.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "gtest/gtest.h"

namespace kawal::common {
namespace {

TEST(IsLoopbackTargetTest, NamesThisMachineOnly) {
  for (const char* target :
       {"127.0.0.1:7443", "127.9.8.7:1", "localhost:7443", "LOCALHOST:1", "[::1]:7443",
        "dns:///localhost:7443", "ipv4:127.0.0.1:7443", "ipv6:[::1]:7443", "unix:/run/kawal.sock",
        "localhost", "::1"}) {
    EXPECT_TRUE(IsLoopbackTarget(target)) << target;
  }
  for (const char* target :
       {"10.0.0.1:7443", "kawal.gunungmas.go.id:443", "128.0.0.1:7443", "localhost.example:1",
        "127.0.0.1.example.org:443", "[2001:db8::1]:443", "dns:///kawal.example:443",
        "1270.0.0.1:1", "127.0.0:1"}) {
    EXPECT_FALSE(IsLoopbackTarget(target)) << target;
  }
}

class PlanTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("transport_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << content;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(PlanTransportTest, LoopbackIsPlaintextWithoutWarning) {
  absl::StatusOr<TransportPlan> plan = PlanTransport("127.0.0.1:7443", {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_FALSE(plan->use_tls);
  EXPECT_EQ(plan->warning, "");
}

TEST_F(PlanTransportTest, LoopbackIsTlsOneFlagAway) {
  TransportOptions options;
  options.tls_on_loopback = true;
  options.tls_ca_file = Write("ca.pem", "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
  absl::StatusOr<TransportPlan> plan = PlanTransport("localhost:7443", options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->use_tls);
  EXPECT_NE(plan->ca_pem.find("BEGIN CERTIFICATE"), std::string::npos);
}

// The rule the proxy test (tests/deploy/two_shard_test.cc) relies on: a CA
// given means TLS, loopback or not, so a device provisioned with its
// province's CA never falls back to plaintext to "localhost:PORT".
TEST_F(PlanTransportTest, ACaGivenMeansTlsEvenOnLoopback) {
  const std::string pem = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n";
  for (const char* target : {"localhost:7443", "127.0.0.1:7443", "[::1]:7443"}) {
    TransportOptions from_file;
    from_file.tls_ca_file = Write("ca.pem", pem);
    absl::StatusOr<TransportPlan> plan = PlanTransport(target, from_file);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_TRUE(plan->use_tls) << target;
    EXPECT_NE(plan->ca_pem.find("BEGIN CERTIFICATE"), std::string::npos) << target;

    TransportOptions stored;
    stored.tls_ca_pem = pem;
    plan = PlanTransport(target, stored);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_TRUE(plan->use_tls) << target;
    EXPECT_EQ(plan->warning, "") << target;
  }
}

TEST_F(PlanTransportTest, NetworkAddressIsTlsTrustingTheSystemStore) {
  ASSERT_TRUE(std::filesystem::exists(kSystemCaBundle))
      << kSystemCaBundle << " is missing: install ca-certificates (scripts/install-deps.sh)";
  absl::StatusOr<TransportPlan> plan = PlanTransport("kawal.gunungmas.go.id:443", {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->use_tls);
  EXPECT_EQ(plan->ca_name, kSystemCaBundle);
  EXPECT_NE(plan->ca_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_EQ(plan->warning, "");
}

TEST_F(PlanTransportTest, PlaintextToANetworkAddressOnlyWhenToldAndWithAWarning) {
  TransportOptions options;
  options.insecure = true;
  absl::StatusOr<TransportPlan> plan = PlanTransport("10.1.2.3:7443", options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_FALSE(plan->use_tls);
  EXPECT_NE(plan->warning.find("10.1.2.3:7443"), std::string::npos) << plan->warning;
  EXPECT_NE(plan->warning.find("--insecure"), std::string::npos) << plan->warning;
}

TEST_F(PlanTransportTest, InsecureAndACaContradict) {
  TransportOptions options;
  options.insecure = true;
  options.tls_ca_file = "ca.pem";
  absl::StatusOr<TransportPlan> plan = PlanTransport("10.1.2.3:7443", options);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PlanTransportTest, MissingOrEmptyOrNonPemCaFileIsNamed) {
  TransportOptions options;
  options.tls_ca_file = (dir_ / "absent.pem").string();
  absl::StatusOr<TransportPlan> plan = PlanTransport("10.1.2.3:7443", options);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(plan.status().message().find("absent.pem"), absl::string_view::npos);

  options.tls_ca_file = Write("empty.pem", "  \n");
  plan = PlanTransport("10.1.2.3:7443", options);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);

  options.tls_ca_file = Write("key.txt", "not a certificate");
  plan = PlanTransport("10.1.2.3:7443", options);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("key.txt"), absl::string_view::npos);
}

TEST_F(PlanTransportTest, StoredPemWinsOverTheSystemStore) {
  TransportOptions options;
  options.tls_ca_pem = "-----BEGIN CERTIFICATE-----\nstored\n-----END CERTIFICATE-----\n";
  absl::StatusOr<TransportPlan> plan = PlanTransport("kawal.example:443", options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->use_tls);
  EXPECT_EQ(plan->ca_pem, options.tls_ca_pem);
}

}  // namespace
}  // namespace kawal::common
