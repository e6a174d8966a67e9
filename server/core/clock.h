// Wall and monotonic clock reads for the server layer. Commands never call these: the
// session reads UnixMillis() once per batch and hands it down as `now_ms` (design: one
// clock per event); cron, saves and startup read them at their own boundaries.
#pragma once

#include <chrono>
#include <cstdint>

namespace ember::server {

inline int64_t UnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline int64_t MonotonicMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace ember::server
