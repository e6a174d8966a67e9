#include "server/core/cycle_clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace ember::server {
namespace {

// The calibration maps ticks to microseconds: a measured sleep reads as at least its
// length and not wildly more (the bound only catches a wrong scale, not slowness).
TEST(CycleClockTest, MeasuresElapsedMicroseconds) {
  const CycleClock::Ticks start = CycleClock::Now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const int64_t micros = CycleClock::MicrosBetween(start, CycleClock::Now());
  EXPECT_GE(micros, 19'000);
  EXPECT_LT(micros, 2'000'000);
}

TEST(CycleClockTest, NeverGoesBackwards) {
  const CycleClock::Ticks later = CycleClock::Now() + 1'000'000;
  EXPECT_EQ(CycleClock::MicrosBetween(later, later - 1), 0);
  EXPECT_EQ(CycleClock::MicrosBetween(later, later), 0);
}

}  // namespace
}  // namespace ember::server
