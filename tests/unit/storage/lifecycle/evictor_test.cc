#include "storage/lifecycle/evictor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/keyspace/keyspace.h"

namespace ember::storage {
namespace {

constexpr int64_t kT0 = 1'700'000'040'000;

class RecordingObserver : public KeyspaceObserver {
 public:
  void OnKeyRemoved(int db, std::string_view key, RemovalCause cause) override {
    if (cause == RemovalCause::kEvicted)
      evicted.push_back(std::to_string(db) + ":" + std::string(key));
  }
  std::vector<std::string> evicted;
};

// Counts keys, so "used memory" is the number of keys across all databases.
class KeyCountGauge : public MemoryGauge {
 public:
  explicit KeyCountGauge(const Keyspace& keyspace) : keyspace_(keyspace) {}
  uint64_t UsedBytes() const override { return keyspace_.key_count(); }

 private:
  const Keyspace& keyspace_;
};

class EvictorTest : public ::testing::Test {
 protected:
  EvictorTest() { keyspace_.set_observer(&observer_); }

  Entry* Put(int db, const std::string& key, int64_t now_ms) {
    Database& database = keyspace_.db(db);
    database.Find(key, now_ms);
    return database.Add(key, Value::String("value"));
  }
  EvictionResult Evict(EvictionPolicy policy, uint64_t max_keys, int64_t now_ms, int samples = 5) {
    keyspace_.set_access_tracking({.mode = AccessModeFor(policy)});
    return evictor_.Run(keyspace_, {.policy = policy, .samples = samples}, max_keys, gauge_,
                        now_ms);
  }
  bool Has(int db, const std::string& key) { return keyspace_.db(db).FindStored(key) != nullptr; }

  Keyspace keyspace_{2};
  RecordingObserver observer_;
  KeyCountGauge gauge_{keyspace_};
  Evictor evictor_;
};

TEST_F(EvictorTest, UnderTheLimitEvictsNothing) {
  Put(0, "a", kT0);
  EXPECT_EQ(Evict(EvictionPolicy::kAllKeysLru, 1, kT0), EvictionResult::kOk);
  EXPECT_EQ(evictor_.last_evicted(), 0);
  EXPECT_TRUE(Has(0, "a"));
}

TEST_F(EvictorTest, NoEvictionFailsWithoutTouchingKeys) {
  Put(0, "a", kT0);
  Put(0, "b", kT0);
  EXPECT_EQ(Evict(EvictionPolicy::kNoEviction, 1, kT0), EvictionResult::kFail);
  EXPECT_EQ(keyspace_.key_count(), 2u);
}

TEST_F(EvictorTest, AllKeysLruEvictsTheIdlestSampledKey) {
  // Ten keys stamped one second apart; samples cover the whole small table, so the
  // approximation is exact: the oldest go first.
  for (int i = 0; i < 10; ++i) Put(0, "k" + std::to_string(i), kT0 + i * 1000);
  // Reading k0 and k1 later makes them the most recent.
  keyspace_.db(0).Find("k0", kT0 + 20'000);
  keyspace_.db(0).Find("k1", kT0 + 20'000);
  EXPECT_EQ(Evict(EvictionPolicy::kAllKeysLru, 7, kT0 + 30'000, 64), EvictionResult::kOk);
  EXPECT_EQ(observer_.evicted, (std::vector<std::string>{"0:k2", "0:k3", "0:k4"}));
  EXPECT_EQ(keyspace_.stats().evicted_keys, 3u);
  EXPECT_TRUE(Has(0, "k0"));
  EXPECT_TRUE(Has(0, "k1"));
}

TEST_F(EvictorTest, AllKeysLruSamplesEveryDatabase) {
  Put(0, "new", kT0 + 10'000);
  Put(1, "old", kT0);
  EXPECT_EQ(Evict(EvictionPolicy::kAllKeysLru, 1, kT0 + 20'000, 64), EvictionResult::kOk);
  EXPECT_EQ(observer_.evicted, (std::vector<std::string>{"1:old"}));
}

TEST_F(EvictorTest, AllKeysLfuEvictsTheLeastFrequent) {
  keyspace_.set_access_tracking({.mode = AccessMode::kLfu});
  for (int i = 0; i < 4; ++i) {
    Entry* entry = Put(0, "k" + std::to_string(i), kT0);
    entry->set_access(LfuPack(static_cast<uint32_t>(10 + i * 10), kT0));
  }
  EXPECT_EQ(Evict(EvictionPolicy::kAllKeysLfu, 2, kT0, 64), EvictionResult::kOk);
  EXPECT_EQ(observer_.evicted, (std::vector<std::string>{"0:k0", "0:k1"}));
}

TEST_F(EvictorTest, VolatilePoliciesNeverEvictKeysWithoutTtl) {
  for (EvictionPolicy policy : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileLfu,
                                EvictionPolicy::kVolatileRandom, EvictionPolicy::kVolatileTtl}) {
    keyspace_.Clear();
    observer_.evicted.clear();
    Put(0, "persistent1", kT0);
    Put(0, "persistent2", kT0);
    Entry* volatile_key = Put(0, "volatile", kT0 + 5000);
    volatile_key = keyspace_.db(0).SetExpire(volatile_key, kT0 + 1'000'000);
    EXPECT_EQ(Evict(policy, 1, kT0 + 10'000), EvictionResult::kFail);
    EXPECT_EQ(observer_.evicted, (std::vector<std::string>{"0:volatile"}));
    EXPECT_TRUE(Has(0, "persistent1"));
    EXPECT_TRUE(Has(0, "persistent2"));
    // Only keys without TTL remain: nothing evictable.
    EXPECT_EQ(Evict(policy, 1, kT0 + 10'000), EvictionResult::kFail);
    EXPECT_EQ(keyspace_.key_count(), 2u);
  }
}

// Keys with a TTL are found by walking the key table, so a few among thousands are still
// all found (and nothing else is taken) before a volatile policy gives up.
TEST_F(EvictorTest, VolatilePoliciesFindSparseTtlKeys) {
  for (EvictionPolicy policy : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileRandom,
                                EvictionPolicy::kVolatileTtl}) {
    keyspace_.Clear();
    observer_.evicted.clear();
    evictor_.ClearPool();
    for (int i = 0; i < 20'000; ++i) Put(0, "kept:" + std::to_string(i), kT0);
    for (int i = 0; i < 3; ++i) {
      Entry* entry = Put(0, "ttl:" + std::to_string(i), kT0);
      entry = keyspace_.db(0).SetExpire(entry, kT0 + 1'000'000);
    }
    EXPECT_EQ(Evict(policy, 19'999, kT0), EvictionResult::kFail);
    EXPECT_EQ(observer_.evicted.size(), 3u);
    EXPECT_EQ(keyspace_.db(0).expires_size(), 0u);
    EXPECT_EQ(keyspace_.key_count(), 20'000u);
  }
}

TEST_F(EvictorTest, PooledCandidateThatLostItsTtlIsSkipped) {
  Entry* a = Put(0, "a", kT0);
  Entry* b = Put(0, "b", kT0 + 1000);
  a = keyspace_.db(0).SetExpire(a, kT0 + 10'000);
  b = keyspace_.db(0).SetExpire(b, kT0 + 20'000);
  Put(0, "c", kT0);
  // Limit 2 with 3 keys: evicts one volatile key and leaves the other pooled.
  EXPECT_EQ(Evict(EvictionPolicy::kVolatileTtl, 2, kT0, 64), EvictionResult::kOk);
  EXPECT_EQ(observer_.evicted, (std::vector<std::string>{"0:a"}));
  keyspace_.db(0).RemoveExpire(b);
  Put(0, "d", kT0);
  EXPECT_EQ(Evict(EvictionPolicy::kVolatileTtl, 2, kT0, 64), EvictionResult::kFail);
  EXPECT_TRUE(Has(0, "b"));
}

TEST_F(EvictorTest, VolatileTtlPrefersTheNearestExpiry) {
  const int64_t ttls[] = {50'000, 10'000, 30'000, 20'000, 40'000};
  for (int i = 0; i < 5; ++i) {
    Entry* entry = Put(0, "k" + std::to_string(i), kT0);
    entry = keyspace_.db(0).SetExpire(entry, kT0 + ttls[i]);
  }
  Put(0, "persistent", kT0);
  EXPECT_EQ(Evict(EvictionPolicy::kVolatileTtl, 3, kT0, 64), EvictionResult::kOk);
  EXPECT_EQ(observer_.evicted, (std::vector<std::string>{"0:k1", "0:k3", "0:k2"}));
}

TEST_F(EvictorTest, AllKeysRandomEvictsUntilUnderTheLimit) {
  for (int i = 0; i < 100; ++i) Put(i % 2, "k" + std::to_string(i), kT0);
  EXPECT_EQ(Evict(EvictionPolicy::kAllKeysRandom, 40, kT0), EvictionResult::kOk);
  EXPECT_EQ(keyspace_.key_count(), 40u);
  EXPECT_EQ(observer_.evicted.size(), 60u);
  EXPECT_EQ(keyspace_.stats().evicted_keys, 60u);
}

TEST_F(EvictorTest, EmptyKeyspaceOverTheLimitFails) {
  // A gauge that never drops: nothing can be freed.
  class Stuck : public MemoryGauge {
    uint64_t UsedBytes() const override { return 100; }
  } stuck;
  Put(0, "a", kT0);
  EXPECT_EQ(evictor_.Run(keyspace_, {.policy = EvictionPolicy::kAllKeysLru}, 10, stuck, kT0),
            EvictionResult::kFail);
  EXPECT_EQ(keyspace_.key_count(), 0u);
}

TEST_F(EvictorTest, OneRunIsBounded) {
  for (int i = 0; i < Evictor::kMaxEvictionsPerRun + 100; ++i) Put(0, std::to_string(i), kT0);
  EXPECT_EQ(Evict(EvictionPolicy::kAllKeysRandom, 1, kT0), EvictionResult::kRunning);
  EXPECT_EQ(evictor_.last_evicted(), Evictor::kMaxEvictionsPerRun);
  EXPECT_EQ(Evict(EvictionPolicy::kAllKeysRandom, 1, kT0), EvictionResult::kOk);
  EXPECT_EQ(keyspace_.key_count(), 1u);
}

}  // namespace
}  // namespace ember::storage
