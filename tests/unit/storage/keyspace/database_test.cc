#include "storage/keyspace/database.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/keyspace/keyspace.h"

namespace ember::storage {
namespace {

struct Removal {
  int db;
  std::string key;
  RemovalCause cause;
};

class RecordingObserver : public KeyspaceObserver {
 public:
  void OnKeyRemoved(int db, std::string_view key, RemovalCause cause) override {
    removals.push_back({db, std::string(key), cause});
  }
  std::vector<Removal> removals;
};

class DatabaseTest : public ::testing::Test {
 protected:
  DatabaseTest() { keyspace_.set_observer(&observer_); }

  Database& db() { return keyspace_.db(0); }

  Keyspace keyspace_;
  RecordingObserver observer_;
};

std::string ValueOf(const Entry* entry) {
  std::string out;
  entry->value().AppendTo(&out);
  return out;
}

TEST_F(DatabaseTest, AddFindDelete) {
  EXPECT_EQ(db().Find("k", 0), nullptr);
  Entry* entry = db().Add("k", Value::String("v"));
  EXPECT_EQ(db().Find("k", 0), entry);
  EXPECT_EQ(ValueOf(entry), "v");
  EXPECT_EQ(db().size(), 1u);
  EXPECT_TRUE(db().Delete("k"));
  EXPECT_FALSE(db().Delete("k"));
  EXPECT_EQ(db().Find("k", 0), nullptr);
  EXPECT_EQ(keyspace_.key_count(), 0u);
}

TEST_F(DatabaseTest, KeyIsAliveDuringItsExpiryMillisecond) {
  Entry* entry = db().Add("k", Value::String("v"));
  entry = db().SetExpire(entry, 1000);
  EXPECT_EQ(db().GetExpire(entry), 1000);
  EXPECT_EQ(db().expires_size(), 1u);
  EXPECT_EQ(db().Find("k", 1000), entry);
  EXPECT_TRUE(observer_.removals.empty());
  EXPECT_EQ(db().Find("k", 1001), nullptr);
  EXPECT_EQ(db().size(), 0u);
  EXPECT_EQ(db().expires_size(), 0u);
  ASSERT_EQ(observer_.removals.size(), 1u);
  EXPECT_EQ(observer_.removals[0].key, "k");
  EXPECT_EQ(observer_.removals[0].db, 0);
  EXPECT_EQ(observer_.removals[0].cause, RemovalCause::kExpired);
  EXPECT_EQ(keyspace_.stats().expired_keys, 1u);
}

TEST_F(DatabaseTest, FindForReadCountsHitsAndMisses) {
  Entry* entry = db().Add("k", Value::String("v"));
  entry = db().SetExpire(entry, 50);
  EXPECT_NE(db().FindForRead("k", 10), nullptr);
  EXPECT_EQ(db().FindForRead("nope", 10), nullptr);
  EXPECT_EQ(db().FindForRead("k", 51), nullptr);
  EXPECT_EQ(keyspace_.stats().keyspace_hits, 1u);
  EXPECT_EQ(keyspace_.stats().keyspace_misses, 2u);
}

TEST_F(DatabaseTest, RemoveExpireMakesKeyPersistent) {
  Entry* entry = db().Add("k", Value::String("v"));
  EXPECT_FALSE(db().RemoveExpire(entry));
  entry = db().SetExpire(entry, 10);
  entry = db().SetExpire(entry, 20);
  EXPECT_EQ(db().expires_size(), 1u);
  EXPECT_EQ(db().GetExpire(entry), 20);
  EXPECT_TRUE(db().RemoveExpire(entry));
  EXPECT_FALSE(entry->has_expire());
  EXPECT_EQ(db().GetExpire(entry), -1);
  EXPECT_EQ(db().Find("k", 1000), entry);
}

TEST_F(DatabaseTest, OverwriteKeepsTheTtl) {
  Entry* entry = db().Add("k", Value::String("v"));
  entry = db().SetExpire(entry, 100);
  entry = db().Overwrite(entry, Value::String(std::string(100, 'x')));
  EXPECT_EQ(db().GetExpire(entry), 100);
  EXPECT_EQ(ValueOf(entry), std::string(100, 'x'));
}

TEST_F(DatabaseTest, RandomKeyHidesAndReclaimsExpiredKeys) {
  for (int i = 0; i < 50; ++i) {
    Entry* entry = db().Add("gone" + std::to_string(i), Value::String("v"));
    entry = db().SetExpire(entry, 100);
  }
  db().Add("live", Value::String("v"));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(db().RandomKey(200), "live");
  EXPECT_FALSE(observer_.removals.empty());
  for (const auto& removal : observer_.removals) {
    EXPECT_EQ(removal.key.substr(0, 4), "gone");
    EXPECT_EQ(removal.cause, RemovalCause::kExpired);
  }
  EXPECT_EQ(db().size() + observer_.removals.size(), 51u);
}

TEST_F(DatabaseTest, RandomKeyGivesUpWhenEveryKeyIsExpired) {
  for (int i = 0; i < 500; ++i) {
    Entry* entry = db().Add("k" + std::to_string(i), Value::String("v"));
    entry = db().SetExpire(entry, 100);
  }
  auto key = db().RandomKey(200);
  ASSERT_TRUE(key.has_value());
  // 99 picks were reclaimed; the 100th is returned without being deleted.
  EXPECT_EQ(observer_.removals.size(), 99u);
  EXPECT_EQ(db().size(), 401u);
  EXPECT_EQ(db().RandomKey(50).has_value(), true);
  Database& empty = keyspace_.db(1);
  EXPECT_FALSE(empty.RandomKey(0).has_value());
}

TEST_F(DatabaseTest, ScanVisitsEveryKey) {
  std::set<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    expected.insert("key:" + std::to_string(i));
    db().Add("key:" + std::to_string(i), Value::Integer(i));
  }
  std::vector<std::string> keys;
  uint64_t cursor = 0;
  do {
    cursor = db().Scan(cursor, &keys);
  } while (cursor != 0);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()), expected);
  size_t visited = 0;
  db().ForEach([&visited](const Entry&) { ++visited; });
  EXPECT_EQ(visited, 1000u);
}

TEST_F(DatabaseTest, MemoryAccountingReturnsToBaseline) {
  // The baseline holds the smallest bucket arrays of both tables.
  Entry* first = db().Add("first", Value::String("v"));
  first = db().SetExpire(first, 10);
  db().Delete("first");
  size_t baseline = db().memory_bytes();
  EXPECT_GT(baseline, 0u);

  for (int i = 0; i < 5000; ++i) {
    std::string key = "a-rather-long-key-name:" + std::to_string(i);
    Entry* entry = db().Add(key, Value::String(std::string(static_cast<size_t>(i % 100), 'v')));
    if (i % 3 == 0) entry = db().SetExpire(entry, 1000 + i);
    if (i % 7 == 0) {
      ValueMutation mutation = db().Mutate(entry);
      mutation.value().str().Append(std::string(500, 'z'));
      entry = mutation.Finish();
    }
  }
  size_t loaded = db().memory_bytes();
  EXPECT_GT(loaded, baseline + 5000 * (sizeof(Entry) + 23));
  EXPECT_EQ(keyspace_.used_memory(), loaded);

  for (int i = 0; i < 5000; ++i) {
    std::string key = "a-rather-long-key-name:" + std::to_string(i);
    if (i % 2 == 0) {
      EXPECT_TRUE(db().Delete(key));
    } else {
      Entry* entry = db().Find(key, 0);
      ASSERT_NE(entry, nullptr);
      entry = db().Overwrite(entry, Value::Integer(i));
      db().RemoveExpire(entry);
      EXPECT_TRUE(db().Delete(key));
    }
  }
  for (int round = 0; round < 20; ++round) {
    db().ShrinkIfSparse();
    db().RehashSteps(1000);
  }
  EXPECT_EQ(db().memory_bytes(), baseline);
}

TEST_F(DatabaseTest, ExpiredKeysAreReclaimedWithTheirMemory) {
  size_t empty = db().memory_bytes();
  Entry* entry = db().Add("k", Value::String(std::string(100, 'x')));
  entry = db().SetExpire(entry, 5);
  EXPECT_GT(db().memory_bytes(), empty + 100);
  EXPECT_EQ(db().Find("k", 6), nullptr);
  db().ShrinkIfSparse();
  // The key table keeps its initial four buckets; the TTL lived in the entry.
  EXPECT_EQ(db().memory_bytes(), 4 * sizeof(void*));
}

TEST_F(DatabaseTest, SampleVolatileWalksToEveryTtlKeyWithBoundedWork) {
  constexpr int kKeys = 30'000;
  std::set<std::string> volatile_keys;
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = "key:" + std::to_string(i);
    Entry* entry = db().Add(key, Value::String("v"));
    if (i % 5000 == 7) {
      entry = db().SetExpire(entry, 1000 + i);
      volatile_keys.insert(key);
    }
  }
  ASSERT_EQ(db().expires_size(), volatile_keys.size());
  std::set<std::string> seen;
  const int calls_per_walk = kKeys / static_cast<int>(4 * Database::kVolatileWalkFactor) + 2;
  for (int call = 0; call < calls_per_walk; ++call) {
    Entry* out[4];
    const size_t found = db().SampleVolatile(out, 4);
    ASSERT_LE(found, 4u);
    for (size_t i = 0; i < found; ++i) {
      ASSERT_TRUE(out[i]->has_expire());
      for (size_t j = 0; j < i; ++j) ASSERT_NE(out[i], out[j]);
      seen.insert(std::string(out[i]->key()));
    }
  }
  EXPECT_EQ(seen, volatile_keys);
}

TEST_F(DatabaseTest, SwapAndClear) {
  db().Add("a", Value::String("1"));
  Entry* b = keyspace_.db(3).Add("b", Value::String("2"));
  b = keyspace_.db(3).SetExpire(b, 99);
  size_t memory3 = keyspace_.db(3).memory_bytes();
  keyspace_.SwapDatabases(0, 3);
  EXPECT_EQ(db().Find("a", 0), nullptr);
  ASSERT_NE(db().Find("b", 0), nullptr);
  EXPECT_EQ(db().GetExpire(db().Find("b", 0)), 99);
  EXPECT_NE(keyspace_.db(3).Find("a", 0), nullptr);
  EXPECT_EQ(db().memory_bytes(), memory3);
  EXPECT_EQ(db().index(), 0);
  // Expiry in the swapped database reports its new index.
  EXPECT_EQ(db().Find("b", 100), nullptr);
  ASSERT_EQ(observer_.removals.size(), 1u);
  EXPECT_EQ(observer_.removals[0].db, 0);
  EXPECT_EQ(keyspace_.key_count(), 1u);
  keyspace_.Clear();
  EXPECT_EQ(keyspace_.key_count(), 0u);
  EXPECT_EQ(keyspace_.used_memory(), 0u);
}

TEST_F(DatabaseTest, HashIsWellMixedForSimilarKeys) {
  // Sequential names must spread over the low bits, which pick the bucket.
  std::set<uint64_t> low_bits;
  for (int i = 0; i < 4096; ++i)
    low_bits.insert(EntryTraits::Hash("key:" + std::to_string(i)) & 1023);
  EXPECT_GT(low_bits.size(), 900u);
  EXPECT_NE(EntryTraits::Hash("a"), EntryTraits::Hash(std::string_view("a\0", 2)));
  EXPECT_EQ(EntryTraits::Hash("same"), EntryTraits::Hash(std::string("same")));
}

}  // namespace
}  // namespace ember::storage
