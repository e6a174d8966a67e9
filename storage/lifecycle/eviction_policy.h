// EvictionPolicy: Redis's maxmemory-policy values, parsed once from the configuration
// so the eviction loop and lookups branch on an enum, not on text.
#pragma once

#include <optional>
#include <string_view>

#include "storage/lifecycle/access_clock.h"

namespace ember::storage {

enum class EvictionPolicy {
  kNoEviction,
  kAllKeysLru,
  kAllKeysLfu,
  kAllKeysRandom,
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
};

// The policy named `name` (lower case, as CONFIG stores it), or nullopt.
std::optional<EvictionPolicy> ParseEvictionPolicy(std::string_view name);

// Whether the policy samples only keys with a TTL.
bool IsVolatilePolicy(EvictionPolicy policy);
bool IsLfuPolicy(EvictionPolicy policy);
// LFU policies keep counters in the access field; every other policy keeps the LRU clock
// (as in Redis, which tracks LRU even under noeviction so OBJECT IDLETIME works).
AccessMode AccessModeFor(EvictionPolicy policy);

}  // namespace ember::storage
