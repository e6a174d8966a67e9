#include "storage/lifecycle/eviction_policy.h"

namespace ember::storage {

std::optional<EvictionPolicy> ParseEvictionPolicy(std::string_view name) {
  struct Named {
    std::string_view name;
    EvictionPolicy policy;
  };
  static constexpr Named kPolicies[] = {
      {"noeviction", EvictionPolicy::kNoEviction},
      {"allkeys-lru", EvictionPolicy::kAllKeysLru},
      {"allkeys-lfu", EvictionPolicy::kAllKeysLfu},
      {"allkeys-random", EvictionPolicy::kAllKeysRandom},
      {"volatile-lru", EvictionPolicy::kVolatileLru},
      {"volatile-lfu", EvictionPolicy::kVolatileLfu},
      {"volatile-random", EvictionPolicy::kVolatileRandom},
      {"volatile-ttl", EvictionPolicy::kVolatileTtl},
  };
  for (const Named& named : kPolicies) {
    if (named.name == name) return named.policy;
  }
  return std::nullopt;
}

bool IsVolatilePolicy(EvictionPolicy policy) {
  return policy == EvictionPolicy::kVolatileLru || policy == EvictionPolicy::kVolatileLfu ||
         policy == EvictionPolicy::kVolatileRandom || policy == EvictionPolicy::kVolatileTtl;
}

bool IsLfuPolicy(EvictionPolicy policy) {
  return policy == EvictionPolicy::kAllKeysLfu || policy == EvictionPolicy::kVolatileLfu;
}

AccessMode AccessModeFor(EvictionPolicy policy) {
  return IsLfuPolicy(policy) ? AccessMode::kLfu : AccessMode::kLru;
}

}  // namespace ember::storage
