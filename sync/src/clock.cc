#include "kawal/sync/clock.h"

#include <chrono>

namespace kawal::sync {

int64_t SystemTimeMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Clock::Clock(uint64_t node, TimeSource time_source)
    : node_(node), time_source_(time_source ? std::move(time_source) : TimeSource(SystemTimeMs)) {}

Stamp Clock::Now() {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t physical = time_source_() + offset_ms_;
  if (physical > last_wall_ms_) {
    last_wall_ms_ = physical;
    last_counter_ = 0;
  } else if (last_counter_ == UINT32_MAX) {
    // Counter exhausted within one millisecond: borrow the next one.
    ++last_wall_ms_;
    last_counter_ = 0;
  } else {
    ++last_counter_;
  }
  return Stamp{last_wall_ms_, last_counter_, node_};
}

void Clock::Observe(const Stamp& seen) {
  std::lock_guard<std::mutex> lock(mu_);
  if (seen.wall_ms > last_wall_ms_ ||
      (seen.wall_ms == last_wall_ms_ && seen.counter > last_counter_)) {
    last_wall_ms_ = seen.wall_ms;
    last_counter_ = seen.counter;
  }
}

void Clock::Rewind(const Stamp& floor) {
  std::lock_guard<std::mutex> lock(mu_);
  if (last_wall_ms_ > floor.wall_ms ||
      (last_wall_ms_ == floor.wall_ms && last_counter_ > floor.counter)) {
    last_wall_ms_ = floor.wall_ms;
    last_counter_ = floor.counter;
  }
}

Stamp Clock::Last() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Stamp{last_wall_ms_, last_counter_, node_};
}

void Clock::SetOffsetMs(int64_t offset_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  offset_ms_ = offset_ms;
}

int64_t Clock::OffsetMs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return offset_ms_;
}

int64_t Clock::CorrectedTimeMs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return time_source_() + offset_ms_;
}

}  // namespace kawal::sync
