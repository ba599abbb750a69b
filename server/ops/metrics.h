// What kawal-server counts for its operator, rendered in the Prometheus text
// exposition format (version 0.0.4) that every scraper reads.
//
// Counters and histograms are created once (GetCounter/GetHistogram return
// pointers that live as long as the registry) and then updated lock-free on
// the hot path; gauges are read by callbacks when a scrape renders them
// (RocksDB figures, backup age), so nothing polls in between.
//
// Thread-safety: every method is safe to call from any thread.
#ifndef KAWAL_SERVER_OPS_METRICS_H_
#define KAWAL_SERVER_OPS_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace kawal::server::ops {

// Label name -> value, ordered so that a series has one spelling.
using MetricLabels = std::map<std::string, std::string>;

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  // `bounds`: upper bounds of the buckets, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative count of observations <= bounds()[i]; i == bounds().size()
  // is the +Inf bucket (all observations).
  uint64_t CumulativeCount(size_t i) const;
  double sum() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, not cumulative
  std::atomic<uint64_t> sum_micros_{0};  // sum in millionths, for an atomic add
};

// Seconds, from 1 ms to 60 s: RPC latencies over links from loopback to satellite.
std::vector<double> LatencyBucketsSeconds();

class MetricsRegistry {
 public:
  using GaugeSample = std::pair<MetricLabels, double>;
  using GaugeReader = std::function<std::vector<GaugeSample>()>;

  // The counter `name{labels}`, created on first use. `help` is kept from
  // the first call for `name`.
  Counter* GetCounter(const std::string& name, const std::string& help,
                      const MetricLabels& labels = {}) ABSL_LOCKS_EXCLUDED(mu_);
  Histogram* GetHistogram(const std::string& name, const std::string& help,
                          const MetricLabels& labels, const std::vector<double>& bounds)
      ABSL_LOCKS_EXCLUDED(mu_);
  // A gauge family read at every scrape. `read` must be quick and must not
  // call back into the registry.
  void AddGauge(const std::string& name, const std::string& help, GaugeReader read)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Every family in the text exposition format, families sorted by name.
  std::string Render() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Family {
    std::string help;
    std::string type;  // "counter", "histogram", "gauge"
    std::map<MetricLabels, std::unique_ptr<Counter>> counters;
    std::map<MetricLabels, std::unique_ptr<Histogram>> histograms;
    GaugeReader gauge;
  };
  Family* FamilyFor(const std::string& name, const std::string& help, const char* type)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Family> families_ ABSL_GUARDED_BY(mu_);
};

// `value` escaped for a label value: backslash, double quote and newline.
std::string EscapeLabelValue(const std::string& value);

}  // namespace kawal::server::ops

#endif  // KAWAL_SERVER_OPS_METRICS_H_
