// Access clocks: what an entry's 24-bit access field (Entry::access) holds, as Redis's
// robj.lru does, so eviction can rank keys by recency or frequency without a per-key
// allocation.
//
// LRU: the field is a seconds clock (unix seconds mod 2^24, Redis's LRU_CLOCK with
// LRU_CLOCK_RESOLUTION 1000 ms); the idle time is now minus the stamp, modulo the wrap
// (once every ~194 days, as in Redis).
//
// LFU: the top 16 bits hold the minute (unix minutes mod 2^16) of the last decrement and the
// low 8 bits a logarithmic access counter. A new key starts at kLfuInitVal so it is not
// evicted before it had a chance to be used; each access increments the counter with
// probability 1 / ((counter - kLfuInitVal) * log_factor + 1), so it saturates at 255 only
// after about a million hits with the default factor; the counter drops by one per
// `decay_time` minutes without access (applied lazily, when the key is next looked at).
//
// Time is a parameter: every function takes `now_ms` (unix ms); randomness is passed in.
#pragma once

#include <cstdint>

namespace ember::storage {

enum class AccessMode { kLru, kLfu };

// What the keyspace does when a lookup touches a key (Keyspace::set_access_tracking).
struct AccessTracking {
  AccessMode mode = AccessMode::kLru;
  int lfu_log_factor = 10;  // lfu-log-factor
  int lfu_decay_time = 1;   // lfu-decay-time, minutes per decrement; 0 never decays
  // While a fork child (BGSAVE, BGREWRITEAOF) runs, lookups do not write access stamps, so
  // reading a key does not copy its page (Redis's hasActiveChildProcess check).
  bool suspended = false;
};

inline constexpr uint32_t kLruClockMax = (1u << 24) - 1;
inline constexpr int64_t kLruClockResolutionMs = 1000;
inline constexpr uint32_t kLfuInitVal = 5;
inline constexpr uint32_t kLfuCounterMax = 255;

// LRU stamp for `now_ms`.
uint32_t LruClock(int64_t now_ms);
// Milliseconds since an LRU stamp (resolution: one second), allowing for one wrap.
int64_t LruIdleMs(uint32_t lru, int64_t now_ms);

// Minutes clock of the LFU field (16 bits).
uint32_t LfuMinutes(int64_t now_ms);
// The LFU counter after decay at now_ms (Redis's LFUDecrAndReturn); the field is unchanged.
uint32_t LfuDecayedCounter(uint32_t access, int64_t now_ms, int decay_time);
// One probabilistic increment (Redis's LFULogIncr). `random01` is uniform in [0, 1).
uint32_t LfuLogIncr(uint32_t counter, int log_factor, double random01);
// Packs a counter with the current minute.
uint32_t LfuPack(uint32_t counter, int64_t now_ms);

// The field a new value starts with.
uint32_t InitialAccess(const AccessTracking& tracking, int64_t now_ms);
// The field after one access at now_ms (decay, then increment, for LFU). `random01` is
// only used under LFU.
uint32_t TouchedAccess(const AccessTracking& tracking, uint32_t access, int64_t now_ms,
                       double random01);

}  // namespace ember::storage
