#include "storage/lifecycle/active_expirer.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/keyspace/keyspace.h"

namespace ember::storage {
namespace {

class CountingObserver : public KeyspaceObserver {
 public:
  void OnKeyRemoved(int, std::string_view, RemovalCause cause) override {
    if (cause == RemovalCause::kExpired) ++expired;
  }
  size_t expired = 0;
};

// A monotonic clock that advances by a fixed step each time it is read.
class FakeClock {
 public:
  explicit FakeClock(int64_t step_us) : step_us_(step_us) {}
  int64_t Read() {
    ++reads_;
    now_us_ += step_us_;
    return now_us_;
  }
  int64_t now_us() const { return now_us_; }
  int reads() const { return reads_; }

 private:
  int64_t step_us_;
  int64_t now_us_ = 0;
  int reads_ = 0;
};

void AddWithTtl(Database& db, const std::string& key, int64_t expire_at_ms) {
  static_cast<void>(db.SetExpire(db.Add(key, Value::String("v")), expire_at_ms));
}

TEST(ActiveExpirerTest, BudgetIsAQuarterOfACronTick) {
  EXPECT_EQ(ActiveExpirer().budget_us(), 25'000);
  EXPECT_EQ(ActiveExpirer({.hz = 100}).budget_us(), 2'500);
}

TEST(ActiveExpirerTest, ReclaimsOneHundredThousandKeysWithinEachCyclesBudget) {
  Keyspace keyspace;
  CountingObserver observer;
  keyspace.set_observer(&observer);
  constexpr int kExpiring = 100'000;
  for (int i = 0; i < kExpiring; ++i) {
    AddWithTtl(keyspace.db(i % 3 == 0 ? 0 : 5), "tmp:" + std::to_string(i), 1'000 + i % 500);
  }
  for (int i = 0; i < 200; ++i) AddWithTtl(keyspace.db(5), "later:" + std::to_string(i), 90'000);
  for (int i = 0; i < 200; ++i) keyspace.db(0).Add("kept:" + std::to_string(i), Value::String("v"));

  ActiveExpirer expirer;
  const int64_t budget = expirer.budget_us();
  constexpr int64_t kStepUs = 100;
  const int64_t now_ms = 10'000;  // every tmp: key is due, no later: key is
  int cycles = 0;
  uint64_t total_expired = 0;
  while (keyspace.key_count() > 400 && cycles < 20'000) {
    FakeClock clock(kStepUs);
    ActiveExpireStats stats = expirer.RunCycle(keyspace, now_ms, [&clock] { return clock.Read(); });
    ++cycles;
    total_expired += stats.expired;
    // The clock is read after every sample, so a cycle overruns by at most one read.
    ASSERT_LE(clock.now_us() - kStepUs, budget + kStepUs) << "cycle " << cycles;
    ASSERT_LE(stats.sampled, static_cast<uint64_t>(clock.reads()) * 20) << "cycle " << cycles;
    keyspace.ShrinkIfSparse();
    keyspace.RehashSteps(100);
  }
  EXPECT_EQ(keyspace.key_count(), 400u);
  EXPECT_EQ(total_expired, static_cast<uint64_t>(kExpiring));
  EXPECT_EQ(observer.expired, static_cast<size_t>(kExpiring));
  EXPECT_EQ(keyspace.stats().expired_keys, static_cast<uint64_t>(kExpiring));
  EXPECT_GT(cycles, 10);  // the budget really split the work
  EXPECT_EQ(keyspace.db(5).expires_size(), 200u);
  EXPECT_NE(keyspace.db(0).Find("kept:7", now_ms), nullptr);
  EXPECT_NE(keyspace.db(5).Find("later:7", now_ms), nullptr);
}

TEST(ActiveExpirerTest, ExhaustedCycleResumesAtTheSameDatabase) {
  Keyspace keyspace;
  for (int i = 0; i < 10'000; ++i) AddWithTtl(keyspace.db(2), "k" + std::to_string(i), 5);
  ActiveExpirer expirer;
  FakeClock clock(10'000);  // read at start, then 10, 20, 30 ms in: over budget after 3 samples
  ActiveExpireStats stats = expirer.RunCycle(keyspace, 100, [&clock] { return clock.Read(); });
  EXPECT_TRUE(stats.budget_exhausted);
  // Three samples of up to 20 each: a sample walks a bounded run of buckets from a random
  // start, so one may come back a little short (the suite once saw 59).
  EXPECT_LE(stats.sampled, 60u);
  EXPECT_GE(stats.sampled, 30u);
  EXPECT_EQ(stats.expired, stats.sampled);
  EXPECT_EQ(expirer.next_db(), 2);
  EXPECT_EQ(keyspace.db(2).size(), 10'000u - stats.expired);
}

TEST(ActiveExpirerTest, KeysAreNotDueDuringTheirExpiryMillisecond) {
  Keyspace keyspace;
  for (int i = 0; i < 100; ++i) AddWithTtl(keyspace.db(0), "k" + std::to_string(i), 500);
  ActiveExpirer expirer;
  FakeClock clock(1);
  ActiveExpireStats stats = expirer.RunCycle(keyspace, 500, [&clock] { return clock.Read(); });
  EXPECT_EQ(stats.expired, 0u);
  EXPECT_GT(stats.sampled, 0u);
  EXPECT_FALSE(stats.budget_exhausted);
  EXPECT_EQ(keyspace.db(0).size(), 100u);
  EXPECT_EQ(expirer.next_db(), 0);  // a full round over all databases
}

TEST(ActiveExpirerTest, LowStaleShareMovesOnToTheNextDatabase) {
  Keyspace keyspace;
  for (int i = 0; i < 1000; ++i) {
    AddWithTtl(keyspace.db(0), "k" + std::to_string(i), i < 10 ? 1 : 1'000'000);
  }
  ActiveExpirer expirer;
  FakeClock clock(1);
  ActiveExpireStats stats = expirer.RunCycle(keyspace, 100, [&clock] { return clock.Read(); });
  // One percent is due: far under the 10% threshold, so one sample is usually enough.
  EXPECT_LE(stats.sampled, 100u);
  EXPECT_FALSE(stats.budget_exhausted);
}

// No TTL index: the cycle walks the key table for keys with a TTL. Where they are a few
// among many, each cycle passes a bounded number of keys, and one full walk reaches all.
TEST(ActiveExpirerTest, ReclaimsSparseTtlKeysWithinOneWalkOfTheTable) {
  Keyspace keyspace;
  Database& db = keyspace.db(0);
  constexpr int kPersistent = 50'000;
  constexpr int kExpiring = 30;
  for (int i = 0; i < kPersistent; ++i) db.Add("kept:" + std::to_string(i), Value::String("v"));
  for (int i = 0; i < kExpiring; ++i) AddWithTtl(db, "gone:" + std::to_string(i), 1000);
  ActiveExpirer expirer;
  FakeClock clock(1);
  const size_t per_cycle_walk = 20 * Database::kVolatileWalkFactor;
  const int max_cycles = static_cast<int>((kPersistent + kExpiring) / per_cycle_walk) + 2;
  int cycles = 0;
  while (db.expires_size() > 0 && cycles < max_cycles) {
    expirer.RunCycle(keyspace, 2000, [&clock] { return clock.Read(); });
    ++cycles;
  }
  EXPECT_EQ(db.expires_size(), 0u) << "after " << cycles << " cycles";
  EXPECT_EQ(db.size(), static_cast<size_t>(kPersistent));
  EXPECT_EQ(keyspace.stats().expired_keys, static_cast<uint64_t>(kExpiring));
  EXPECT_GT(cycles, 1);  // the walk really was split across cycles
}

}  // namespace
}  // namespace ember::storage
