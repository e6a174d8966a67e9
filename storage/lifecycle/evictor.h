// Evictor: frees memory when the server is over maxmemory by deleting keys the policy
// chooses, with Redis's approximated algorithm (evict.c).
//
// Why approximated: ranking every key by idle time or frequency would need a list or heap
// threaded through the keyspace (16+ bytes per key). Instead each round samples
// `samples` keys per database — any key for allkeys-*, keys carrying a TTL for volatile-*
// (Database::SampleVolatile walks the key table for them: a TTL lives in its entry, there
// is no TTL table) — scores them (idle time for LRU, 255 minus the decayed counter for LFU,
// nearness of the expiry for volatile-ttl) and merges them into a pool of the best
// kPoolSize candidates that persists across calls, so good candidates found earlier are
// not forgotten. The best pooled candidate that still exists (and, for volatile policies,
// still has a TTL) is evicted; repeat until used memory is at or below the limit. The
// random policies evict a random key, visiting the databases round-robin.
//
// Bounded work (Redis's maxmemory-eviction-tenacity idea, as a simple cap): one Run evicts
// at most kMaxEvictionsPerRun keys. When that is not enough it reports kRunning: the caller
// lets the command through, as Redis does with EVICT_RUNNING, and the next Run (the next
// command) continues.
//
// Evicted keys go through Database::DeleteEvicted, i.e. Keyspace::NotifyRemoved with
// RemovalCause::kEvicted: counted in evicted_keys and reported to the observer (which
// propagates them as DEL). Storage does not measure memory: the caller passes a gauge.
//
// Threading: engine thread only. Time is a parameter (`now_ms`).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "storage/keyspace/keyspace.h"
#include "storage/lifecycle/eviction_policy.h"

namespace ember::storage {

// The used-memory figure eviction compares with the limit. Read after every eviction, so
// it must be cheap.
class MemoryGauge {
 public:
  virtual ~MemoryGauge() = default;
  virtual uint64_t UsedBytes() const = 0;
};

struct EvictionConfig {
  EvictionPolicy policy = EvictionPolicy::kNoEviction;
  int samples = 5;  // maxmemory-samples, per database per round
};

enum class EvictionResult {
  kOk,       // used memory is at or below the limit (possibly after evicting)
  kRunning,  // still over, but this call's bound was reached; more can be evicted
  kFail,     // still over and nothing (more) can be evicted: noeviction, or no candidates
};

class Evictor {
 public:
  static constexpr size_t kPoolSize = 16;  // Redis's EVPOOL_SIZE
  static constexpr int kMaxEvictionsPerRun = 1000;

  // Evicts until gauge.UsedBytes() <= maxmemory. Requires: maxmemory > 0.
  EvictionResult Run(Keyspace& keyspace, const EvictionConfig& config, uint64_t maxmemory,
                     const MemoryGauge& gauge, int64_t now_ms);

  // Keys evicted by the latest Run.
  int last_evicted() const { return last_evicted_; }
  // Drops the pooled candidates (for tests and after the policy changes).
  void ClearPool() { pool_size_ = 0; }

 private:
  struct Candidate {
    uint64_t score = 0;  // higher is evicted first
    int db = 0;
    std::string key;
  };

  // Samples every database into the pool; returns the number of keys the sampled tables
  // hold (0: nothing to evict).
  size_t PopulatePool(Keyspace& keyspace, const EvictionConfig& config, int64_t now_ms);
  void Offer(uint64_t score, int db, std::string_view key);
  // The best pooled candidate still evictable, removed from the pool; nullptr if none.
  Entry* TakeBest(Keyspace& keyspace, bool volatile_only, int* db);
  Entry* PickRandom(Keyspace& keyspace, bool volatile_only, int* db);

  std::array<Candidate, kPoolSize> pool_;  // [0, pool_size_) sorted by ascending score
  size_t pool_size_ = 0;
  int next_random_db_ = 0;
  int last_evicted_ = 0;
};

}  // namespace ember::storage
