// Latency samples and their percentiles (nearest rank), in milliseconds.
//
// Thread-safety: none; give each thread its own and Merge() at the end.
#ifndef KAWAL_BENCH_SUPPORT_LATENCY_H_
#define KAWAL_BENCH_SUPPORT_LATENCY_H_

#include <chrono>
#include <vector>

namespace kawal::bench {

using SteadyClock = std::chrono::steady_clock;

// Seconds elapsed since `since`.
double SecondsSince(SteadyClock::time_point since);

class Latencies {
 public:
  void Add(double ms) { samples_.push_back(ms); }
  void Merge(const Latencies& other);
  size_t count() const { return samples_.size(); }
  // p in [0, 100]; 0 when empty.
  double Percentile(double p) const;

 private:
  std::vector<double> samples_;
};

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_LATENCY_H_
