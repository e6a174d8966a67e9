#include "storage/lifecycle/access_clock.h"

namespace ember::storage {
namespace {

constexpr uint32_t kLfuMinutesMax = 0xffff;
constexpr int64_t kMsPerMinute = 60 * 1000;

// Minutes since the last decrement, allowing for one wrap of the 16-bit clock.
uint32_t LfuElapsedMinutes(uint32_t last_minutes, int64_t now_ms) {
  const uint32_t now = LfuMinutes(now_ms);
  return now >= last_minutes ? now - last_minutes : kLfuMinutesMax - last_minutes + now;
}

}  // namespace

uint32_t LruClock(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / kLruClockResolutionMs) & kLruClockMax;
}

int64_t LruIdleMs(uint32_t lru, int64_t now_ms) {
  const uint32_t clock = LruClock(now_ms);
  const uint32_t ticks = clock >= lru ? clock - lru : clock + (kLruClockMax - lru);
  return static_cast<int64_t>(ticks) * kLruClockResolutionMs;
}

uint32_t LfuMinutes(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / kMsPerMinute) & kLfuMinutesMax;
}

uint32_t LfuDecayedCounter(uint32_t access, int64_t now_ms, int decay_time) {
  const uint32_t counter = access & kLfuCounterMax;
  if (decay_time <= 0) return counter;
  const uint32_t periods =
      LfuElapsedMinutes(access >> 8, now_ms) / static_cast<uint32_t>(decay_time);
  return periods >= counter ? 0 : counter - periods;
}

uint32_t LfuLogIncr(uint32_t counter, int log_factor, double random01) {
  if (counter >= kLfuCounterMax) return kLfuCounterMax;
  const double base = counter > kLfuInitVal ? static_cast<double>(counter - kLfuInitVal) : 0.0;
  const double p = 1.0 / (base * log_factor + 1.0);
  return random01 < p ? counter + 1 : counter;
}

uint32_t LfuPack(uint32_t counter, int64_t now_ms) {
  return (LfuMinutes(now_ms) << 8) | (counter & kLfuCounterMax);
}

uint32_t InitialAccess(const AccessTracking& tracking, int64_t now_ms) {
  return tracking.mode == AccessMode::kLfu ? LfuPack(kLfuInitVal, now_ms) : LruClock(now_ms);
}

uint32_t TouchedAccess(const AccessTracking& tracking, uint32_t access, int64_t now_ms,
                       double random01) {
  if (tracking.mode == AccessMode::kLru) return LruClock(now_ms);
  const uint32_t counter = LfuDecayedCounter(access, now_ms, tracking.lfu_decay_time);
  return LfuPack(LfuLogIncr(counter, tracking.lfu_log_factor, random01), now_ms);
}

}  // namespace ember::storage
