#include "ops/metrics.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kawal::server::ops {
namespace {

std::string FormatValue(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return absl::StrFormat("%.9g", value);
}

std::string LabelText(const MetricLabels& labels, const std::string& extra_name = "",
                      const std::string& extra_value = "") {
  std::string out;
  for (const auto& [name, value] : labels) {
    absl::StrAppend(&out, out.empty() ? "" : ",", name, "=\"", EscapeLabelValue(value), "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : ",", extra_name, "=\"", extra_value, "\"");
  }
  return out.empty() ? "" : absl::StrCat("{", out, "}");
}

std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double value) {
  const size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(std::max(0.0, value) * 1e6),
                        std::memory_order_relaxed);
}

uint64_t Histogram::CumulativeCount(size_t i) const {
  uint64_t total = 0;
  for (size_t k = 0; k <= std::min(i, bounds_.size()); ++k) {
    total += counts_[k].load(std::memory_order_relaxed);
  }
  return total;
}

double Histogram::sum() const { return sum_micros_.load(std::memory_order_relaxed) / 1e6; }

std::vector<double> LatencyBucketsSeconds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

MetricsRegistry::Family* MetricsRegistry::FamilyFor(const std::string& name,
                                                    const std::string& help, const char* type) {
  Family& family = families_[name];
  if (family.type.empty()) {
    family.type = type;
    family.help = help;
  }
  return &family;
}

Counter* MetricsRegistry::GetCounter(const std::string& name, const std::string& help,
                                     const MetricLabels& labels) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Counter>& counter = FamilyFor(name, help, "counter")->counters[labels];
  if (!counter) counter = std::make_unique<Counter>();
  return counter.get();
}

Histogram* MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const MetricLabels& labels,
                                         const std::vector<double>& bounds) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Histogram>& histogram = FamilyFor(name, help, "histogram")->histograms[labels];
  if (!histogram) histogram = std::make_unique<Histogram>(bounds);
  return histogram.get();
}

void MetricsRegistry::AddGauge(const std::string& name, const std::string& help,
                               GaugeReader read) {
  absl::MutexLock lock(&mu_);
  FamilyFor(name, help, "gauge")->gauge = std::move(read);
}

std::string MetricsRegistry::Render() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    absl::StrAppend(&out, "# HELP ", name, " ", EscapeHelp(family.help), "\n# TYPE ", name, " ",
                    family.type, "\n");
    for (const auto& [labels, counter] : family.counters) {
      absl::StrAppend(&out, name, LabelText(labels), " ", counter->value(), "\n");
    }
    for (const auto& [labels, histogram] : family.histograms) {
      const std::vector<double>& bounds = histogram->bounds();
      for (size_t i = 0; i <= bounds.size(); ++i) {
        const std::string le = i < bounds.size() ? FormatValue(bounds[i]) : "+Inf";
        absl::StrAppend(&out, name, "_bucket", LabelText(labels, "le", le), " ",
                        histogram->CumulativeCount(i), "\n");
      }
      absl::StrAppend(&out, name, "_sum", LabelText(labels), " ", FormatValue(histogram->sum()),
                      "\n", name, "_count", LabelText(labels), " ",
                      histogram->CumulativeCount(bounds.size()), "\n");
    }
    if (family.gauge) {
      for (const auto& [labels, value] : family.gauge()) {
        absl::StrAppend(&out, name, LabelText(labels), " ", FormatValue(value), "\n");
      }
    }
  }
  return out;
}

}  // namespace kawal::server::ops
