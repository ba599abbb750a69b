// Tests for server/ops/metrics.cc and metrics_endpoint.cc: the text
// exposition format, and the endpoint serving it over real HTTP on 127.0.0.1.
#include "ops/metrics.h"

#include <httplib.h>

#include "gtest/gtest.h"
#include "ops/metrics_endpoint.h"

namespace kawal::server::ops {
namespace {

TEST(MetricsRegistryTest, CountersRenderWithHelpTypeAndSortedLabels) {
  MetricsRegistry registry;
  registry.GetCounter("kawal_rpc_total", "RPCs.", {{"method", "/a/B"}, {"code", "OK"}})->Add(2);
  registry.GetCounter("kawal_rpc_total", "ignored", {{"code", "OK"}, {"method", "/a/B"}})->Add();
  EXPECT_EQ(registry.Render(),
            "# HELP kawal_rpc_total RPCs.\n"
            "# TYPE kawal_rpc_total counter\n"
            "kawal_rpc_total{code=\"OK\",method=\"/a/B\"} 3\n");
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulativeWithSumAndCount) {
  MetricsRegistry registry;
  Histogram* h = registry.GetHistogram("lat_seconds", "Latency.", {}, {0.1, 1});
  h->Observe(0.05);
  h->Observe(0.5);
  h->Observe(0.5);
  h->Observe(7);
  EXPECT_EQ(registry.Render(),
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{le=\"0.1\"} 1\n"
            "lat_seconds_bucket{le=\"1\"} 3\n"
            "lat_seconds_bucket{le=\"+Inf\"} 4\n"
            "lat_seconds_sum 8.05\n"
            "lat_seconds_count 4\n");
}

TEST(MetricsRegistryTest, GaugesAreReadAtEachRender) {
  MetricsRegistry registry;
  double value = 1.5;
  registry.AddGauge("kawal_backup_age_seconds", "Age.", [&value] {
    return std::vector<MetricsRegistry::GaugeSample>{{{}, value}};
  });
  EXPECT_NE(registry.Render().find("kawal_backup_age_seconds 1.5\n"), std::string::npos);
  value = 42;
  EXPECT_NE(registry.Render().find("kawal_backup_age_seconds 42\n"), std::string::npos);
}

TEST(MetricsRegistryTest, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  MetricsRegistry registry;
  registry.GetCounter("c", "C.", {{"region", "6\"2"}})->Add();
  EXPECT_NE(registry.Render().find("c{region=\"6\\\"2\"} 1"), std::string::npos);
}

TEST(MetricsEndpointTest, ServesTheRegistryOverHttp) {
  MetricsRegistry registry;
  Counter* pushes = registry.GetCounter("kawal_test_total", "Test.");
  absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
      MetricsEndpoint::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  httplib::Client client("127.0.0.1", (*endpoint)->port());
  pushes->Add(5);
  httplib::Result res = client.Get("/metrics");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/plain; version=0.0.4"),
            std::string::npos);
  EXPECT_NE(res->body.find("kawal_test_total 5\n"), std::string::npos) << res->body;
  httplib::Result other = client.Get("/admin");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST(MetricsEndpointTest, BadOrBusyAddressesAreNamed) {
  MetricsRegistry registry;
  absl::StatusOr<std::unique_ptr<MetricsEndpoint>> bad =
      MetricsEndpoint::Start("9464", &registry);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--metrics_listen=9464"), absl::string_view::npos);

  absl::StatusOr<std::unique_ptr<MetricsEndpoint>> first =
      MetricsEndpoint::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  absl::StatusOr<std::unique_ptr<MetricsEndpoint>> second =
      MetricsEndpoint::Start(taken, &registry);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(taken), absl::string_view::npos);
}

}  // namespace
}  // namespace kawal::server::ops
