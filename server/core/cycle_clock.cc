#include "server/core/cycle_clock.h"

#include <fstream>
#include <string>

namespace ember::server {

CycleClock::Calibration CycleClock::Calibrate() {
  Calibration result;
#if defined(__x86_64__)
  std::ifstream source("/sys/devices/system/clocksource/clocksource0/current_clocksource");
  std::string name;
  if (!(source >> name) || name != "tsc") return result;
  using std::chrono::steady_clock;
  const steady_clock::time_point wall_start = steady_clock::now();
  const uint64_t tsc_start = __rdtsc();
  steady_clock::time_point wall_end = wall_start;
  while (wall_end - wall_start < std::chrono::milliseconds(2)) wall_end = steady_clock::now();
  const uint64_t tsc_end = __rdtsc();
  const double micros = std::chrono::duration<double, std::micro>(wall_end - wall_start).count();
  if (tsc_end <= tsc_start) return result;
  result.use_tsc = true;
  result.micros_per_tick = micros / static_cast<double>(tsc_end - tsc_start);
#endif
  return result;
}

}  // namespace ember::server
