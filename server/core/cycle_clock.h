// CycleClock: cheap durations for the per-command timing of INFO commandstats, the slow
// log and the latency monitor. Two clock reads per command were 5-7% of a pipelined GET's
// CPU with steady_clock (clock_gettime through the vDSO); the CPU's time-stamp counter
// read directly costs a fraction of that.
//
// The counter is used only when the kernel itself keeps time with it (the current
// clocksource is "tsc": invariant and synchronised across CPUs, so a thread that moves
// between them still measures forward); anywhere else, and off x86, ticks are steady_clock
// nanoseconds. Ticks per microsecond are measured once, against steady_clock, at the first
// use (about 2 ms).
//
// Threading: any thread; the calibration is a function-local static.
#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace ember::server {

class CycleClock {
 public:
  using Ticks = uint64_t;

  static Ticks Now() {
#if defined(__x86_64__)
    if (calibration().use_tsc) return __rdtsc();
#endif
    return static_cast<Ticks>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  // Whole microseconds from `start` to `end` (0 if `end` is earlier).
  static int64_t MicrosBetween(Ticks start, Ticks end) {
    if (end <= start) return 0;
    return static_cast<int64_t>(static_cast<double>(end - start) * calibration().micros_per_tick);
  }

 private:
  struct Calibration {
    bool use_tsc = false;
    double micros_per_tick = 1e-3;  // steady_clock nanoseconds
  };
  static const Calibration& calibration() {
    static const Calibration value = Calibrate();
    return value;
  }
  static Calibration Calibrate();
};

}  // namespace ember::server
