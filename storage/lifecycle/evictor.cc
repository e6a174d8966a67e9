#include "storage/lifecycle/evictor.h"

#include <algorithm>
#include <limits>

namespace ember::storage {
namespace {

// The most keys one database contributes to a round (maxmemory-samples may exceed it).
constexpr size_t kMaxSamples = 64;

uint64_t Score(EvictionPolicy policy, const Entry& entry, int64_t expire_at_ms,
               const AccessTracking& tracking, int64_t now_ms) {
  switch (policy) {
    case EvictionPolicy::kAllKeysLfu:
    case EvictionPolicy::kVolatileLfu:
      return kLfuCounterMax - LfuDecayedCounter(entry.access(), now_ms, tracking.lfu_decay_time);
    case EvictionPolicy::kVolatileTtl:
      // The nearer the expiry, the higher the score.
      return std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(expire_at_ms);
    default:
      return static_cast<uint64_t>(LruIdleMs(entry.access(), now_ms));
  }
}

}  // namespace

EvictionResult Evictor::Run(Keyspace& keyspace, const EvictionConfig& config, uint64_t maxmemory,
                            const MemoryGauge& gauge, int64_t now_ms) {
  last_evicted_ = 0;
  if (gauge.UsedBytes() <= maxmemory) return EvictionResult::kOk;
  if (config.policy == EvictionPolicy::kNoEviction) return EvictionResult::kFail;
  const bool volatile_only = IsVolatilePolicy(config.policy);
  const bool random = config.policy == EvictionPolicy::kAllKeysRandom ||
                      config.policy == EvictionPolicy::kVolatileRandom;

  while (last_evicted_ < kMaxEvictionsPerRun) {
    int db = 0;
    Entry* victim = nullptr;
    if (random) {
      victim = PickRandom(keyspace, volatile_only, &db);
    } else {
      // Stale candidates (deleted or persisted since they were pooled) are dropped by
      // TakeBest; resample until a live one turns up or the tables are empty.
      while (victim == nullptr) {
        if (PopulatePool(keyspace, config, now_ms) == 0) break;
        victim = TakeBest(keyspace, volatile_only, &db);
      }
    }
    if (victim == nullptr) return EvictionResult::kFail;
    keyspace.db(db).DeleteEvicted(victim);
    ++last_evicted_;
    if (gauge.UsedBytes() <= maxmemory) return EvictionResult::kOk;
  }
  return EvictionResult::kRunning;
}

size_t Evictor::PopulatePool(Keyspace& keyspace, const EvictionConfig& config, int64_t now_ms) {
  const bool volatile_only = IsVolatilePolicy(config.policy);
  const size_t count =
      std::clamp<size_t>(static_cast<size_t>(std::max(config.samples, 1)), 1, kMaxSamples);
  const AccessTracking& tracking = keyspace.access_tracking();
  size_t total = 0;
  for (int i = 0; i < keyspace.database_count(); ++i) {
    Database& db = keyspace.db(i);
    if (volatile_only) {
      if (db.expires_size() == 0) continue;
      total += db.expires_size();
      Entry* entries[kMaxSamples];
      const size_t n = db.SampleVolatile(entries, count);
      for (size_t j = 0; j < n; ++j) {
        Offer(Score(config.policy, *entries[j], entries[j]->expire_at(), tracking, now_ms), i,
              entries[j]->key());
      }
    } else {
      if (db.size() == 0) continue;
      total += db.size();
      Entry* entries[kMaxSamples];
      const size_t n = db.SampleKeys(entries, count);
      for (size_t j = 0; j < n; ++j) {
        Offer(Score(config.policy, *entries[j], -1, tracking, now_ms), i, entries[j]->key());
      }
    }
  }
  return total;
}

void Evictor::Offer(uint64_t score, int db, std::string_view key) {
  for (size_t i = 0; i < pool_size_; ++i) {
    if (pool_[i].db == db && pool_[i].key == key) return;  // sampled twice
  }
  const bool full = pool_size_ == kPoolSize;
  if (full && score <= pool_[0].score) return;
  // Recycle a slot (its string keeps its buffer): the worst candidate when full, else the
  // first free one; then rotate it into its sorted position.
  size_t slot = full ? 0 : pool_size_;
  pool_[slot].score = score;
  pool_[slot].db = db;
  pool_[slot].key.assign(key);
  if (!full) ++pool_size_;
  const auto begin = pool_.begin();
  const auto end = begin + static_cast<std::ptrdiff_t>(pool_size_);
  if (full) {
    // Move the recycled first slot right, past every candidate scoring lower.
    auto pos = std::upper_bound(begin + 1, end, score,
                                [](uint64_t s, const Candidate& c) { return s < c.score; });
    std::rotate(begin, begin + 1, pos);
  } else {
    auto pos = std::upper_bound(begin, end - 1, score,
                                [](uint64_t s, const Candidate& c) { return s < c.score; });
    std::rotate(pos, end - 1, end);
  }
}

Entry* Evictor::TakeBest(Keyspace& keyspace, bool volatile_only, int* db) {
  while (pool_size_ > 0) {
    Candidate& best = pool_[pool_size_ - 1];
    --pool_size_;  // the slot stays in the array, keeping its string's buffer
    if (best.db >= keyspace.database_count()) continue;
    Entry* entry = keyspace.db(best.db).FindStored(best.key);
    if (entry == nullptr || (volatile_only && !entry->has_expire())) continue;
    *db = best.db;
    return entry;
  }
  return nullptr;
}

Entry* Evictor::PickRandom(Keyspace& keyspace, bool volatile_only, int* db) {
  const int databases = keyspace.database_count();
  for (int i = 0; i < databases; ++i) {
    const int index = next_random_db_++ % databases;
    if (next_random_db_ >= databases) next_random_db_ = 0;
    Database& database = keyspace.db(index);
    Entry* entry = nullptr;
    if (volatile_only) {
      // The walk may pass a bounded stretch without a TTL key, but a full walk finds one.
      while (database.expires_size() > 0 && database.SampleVolatile(&entry, 1) == 0) {
      }
    } else {
      entry = database.RandomEntry();
    }
    if (entry != nullptr) {
      *db = index;
      return entry;
    }
  }
  return nullptr;
}

}  // namespace ember::storage
