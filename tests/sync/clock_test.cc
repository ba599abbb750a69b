// Tests for sync/src/clock.cc and stamp.cc: the hybrid logical clock.
#include "kawal/sync/clock.h"

#include <gtest/gtest.h>

namespace kawal::sync {
namespace {

constexpr int64_t kServerNow = 1'764'000'000'000;  // Nov 2025, ms

TEST(StampTest, OrdersByWallThenCounterThenNode) {
  EXPECT_LT((Stamp{1, 5, 9}), (Stamp{2, 0, 0}));
  EXPECT_LT((Stamp{2, 0, 9}), (Stamp{2, 1, 0}));
  EXPECT_LT((Stamp{2, 1, 3}), (Stamp{2, 1, 4}));
  EXPECT_TRUE(Stamp{}.IsZero());
  EXPECT_LT(Stamp{}, (Stamp{0, 0, 1}));
  EXPECT_EQ(StampToString(Stamp{12, 3, 0xab}), "12.3.00000000000000ab");
}

TEST(ClockTest, StampsStrictlyIncreaseWhenTimeStandsStill) {
  int64_t now = kServerNow;
  Clock clock(7, [&] { return now; });
  Stamp a = clock.Now();
  Stamp b = clock.Now();
  EXPECT_LT(a, b);
  EXPECT_EQ(a.wall_ms, kServerNow);
  EXPECT_EQ(b.counter, a.counter + 1);
  EXPECT_EQ(b.node, 7u);
}

TEST(ClockTest, StampsIncreaseWhenPhysicalTimeGoesBackwards) {
  int64_t now = kServerNow;
  Clock clock(7, [&] { return now; });
  Stamp a = clock.Now();
  now -= 3'600'000;  // the user set the phone an hour back
  Stamp b = clock.Now();
  EXPECT_LT(a, b);
}

TEST(ClockTest, ObserveMovesPastRemoteStamps) {
  int64_t now = kServerNow;
  Clock clock(7, [&] { return now; });
  Stamp remote{kServerNow + 5000, 4, 99};
  clock.Observe(remote);
  Stamp next = clock.Now();
  EXPECT_GT(next, remote);
}

// A device whose clock is a year ahead stamps in the future until its
// handshake; then the offset and a rewind make it stamp with server time.
TEST(ClockTest, DeviceClockYearAheadIsCorrectedByOffsetAndRewind) {
  const int64_t kYear = 365LL * 24 * 3'600'000;
  int64_t device_now = kServerNow + kYear;
  Clock clock(7, [&] { return device_now; });
  EXPECT_EQ(clock.Now().wall_ms, kServerNow + kYear);
  clock.SetOffsetMs(kServerNow - device_now);  // learned at handshake
  EXPECT_EQ(clock.CorrectedTimeMs(), kServerNow);
  // Without a rewind the HLC keeps the future stamp it issued.
  EXPECT_GE(clock.Now().wall_ms, kServerNow + kYear);
  clock.Rewind(Stamp{});  // nothing had been sent yet
  device_now += 1000;
  EXPECT_EQ(clock.Now().wall_ms, kServerNow + 1000);
}

TEST(ClockTest, DeviceClockHoursBehindStampsServerTimeAfterOffset) {
  const int64_t kHour = 3'600'000;
  int64_t device_now = kServerNow - 5 * kHour;
  Clock clock(7, [&] { return device_now; });
  clock.SetOffsetMs(5 * kHour);
  EXPECT_EQ(clock.Now().wall_ms, kServerNow);
}

TEST(ClockTest, CounterOverflowBorrowsNextMillisecond) {
  int64_t now = kServerNow;
  Clock clock(7, [&] { return now; });
  clock.Observe(Stamp{kServerNow, UINT32_MAX, 1});
  Stamp s = clock.Now();
  EXPECT_EQ(s.wall_ms, kServerNow + 1);
  EXPECT_EQ(s.counter, 0u);
}

}  // namespace
}  // namespace kawal::sync
