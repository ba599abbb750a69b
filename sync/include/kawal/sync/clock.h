// Hybrid logical clock (HLC) that stamps local writes.
//
// Every stamp it issues is greater than every stamp it issued or observed
// before, whatever the physical clock does. The physical time comes from an
// injectable source plus a per-device offset (the correction learned from the
// server at handshake), so a phone whose clock is a year off still stamps
// with roughly the server's time.
//
// Thread-safety: all methods are safe to call concurrently.
#ifndef KAWAL_SYNC_CLOCK_H_
#define KAWAL_SYNC_CLOCK_H_

#include <cstdint>
#include <functional>
#include <mutex>

#include "kawal/sync/stamp.h"

namespace kawal::sync {

// Returns milliseconds since the Unix epoch.
using TimeSource = std::function<int64_t()>;

// The system clock as a TimeSource.
int64_t SystemTimeMs();

class Clock {
 public:
  // `node` is this writer's id; `time_source` defaults to the system clock.
  explicit Clock(uint64_t node, TimeSource time_source = SystemTimeMs);

  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  // Returns a new stamp greater than any issued or observed so far.
  Stamp Now();

  // Advances the clock past `seen` (a stamp received from elsewhere).
  void Observe(const Stamp& seen);

  // Sets the correction added to the physical time, in milliseconds
  // (server time minus device time, learned at handshake).
  void SetOffsetMs(int64_t offset_ms);
  int64_t OffsetMs() const;

  // Forgets every stamp issued or observed above `floor`. Only safe when no
  // stamp above `floor` has left this device: a device whose clock was far
  // ahead before its first handshake re-stamps its unsent writes after
  // calling this, instead of stamping in the future forever.
  void Rewind(const Stamp& floor);

  // The highest stamp issued or observed (node of this clock).
  Stamp Last() const;

  // The corrected physical time, without advancing the clock.
  int64_t CorrectedTimeMs() const;

  uint64_t node() const { return node_; }

 private:
  const uint64_t node_;
  const TimeSource time_source_;
  mutable std::mutex mu_;
  int64_t offset_ms_ = 0;     // guarded by mu_
  int64_t last_wall_ms_ = 0;  // guarded by mu_
  uint32_t last_counter_ = 0; // guarded by mu_
};

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_CLOCK_H_
