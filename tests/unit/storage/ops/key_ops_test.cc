// Key operations within one database: DEL/EXISTS/TOUCH, the EXPIRE family and its
// conditions, TTL/EXPIRETIME, PERSIST and TYPE. Scans and cross-database operations are in
// key_ops_scan_test.cc and key_ops_move_test.cc.
#include "storage/ops/key_ops.h"

#include <gtest/gtest.h>

#include <limits>
#include <string_view>
#include <vector>

#include "tests/unit/storage/ops/key_ops_fixture.h"

namespace ember::storage {
namespace {

using Keys = std::vector<std::string_view>;

TEST_F(KeyOpsTest, DelCountsEachLiveKeyOnceAndRemovesIt) {
  Set("a", "1");
  Set("b", "2");
  Keys keys = {"a", "b", "a", "missing"};
  auto deleted = OpDel(db(), keys, kNow);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(db().size(), 0u);
}

TEST_F(KeyOpsTest, DelDoesNotCountAKeyWhoseTtlPassed) {
  SetWithExpire("gone", "x", kNow - 1);
  Set("kept", "y");
  Keys keys = {"gone"};
  EXPECT_EQ(*OpDel(db(), keys, kNow), 0);
  EXPECT_EQ(db().size(), 1u);  // lazily reclaimed by the lookup
}

TEST_F(KeyOpsTest, ExistsCountsRepeatedKeysEachTime) {
  Set("a", "1");
  Keys keys = {"a", "a", "missing"};
  EXPECT_EQ(*OpExists(db(), keys, kNow), 2);
  EXPECT_EQ(*OpTouch(db(), keys, kNow), 2);
}

TEST_F(KeyOpsTest, ExistsCountsReadHitsAndMisses) {
  Set("a", "1");
  Keys keys = {"a", "missing"};
  EXPECT_EQ(*OpExists(db(), keys, kNow), 1);
  EXPECT_EQ(keyspace_.stats().keyspace_hits, 1u);
  EXPECT_EQ(keyspace_.stats().keyspace_misses, 1u);
}

TEST_F(KeyOpsTest, ExistsSeesAKeyUntilItsExpiryMillisecondHasPassed) {
  SetWithExpire("a", "1", kNow);
  Keys keys = {"a"};
  EXPECT_EQ(*OpExists(db(), keys, kNow), 1);
  EXPECT_EQ(*OpExists(db(), keys, kNow + 1), 0);
}

TEST_F(KeyOpsTest, ExpireOnMissingKeyReportsNotFound) {
  auto result = OpExpire(db(), "missing", kNow + 1000, 0, kNow);
  EXPECT_EQ(result.status(), OpStatus::kKeyNotFound);
}

TEST_F(KeyOpsTest, ExpireStoresTheAbsoluteTime) {
  Set("k", "v");
  auto result = OpExpire(db(), "k", kNow + 5000, 0, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, ExpireOutcome::kSet);
  EXPECT_EQ(ExpireOf("k"), kNow + 5000);
  EXPECT_FALSE(Get("k", 0, kNow + 5001).has_value());
}

TEST_F(KeyOpsTest, ExpireAtOrBeforeNowDeletesTheKey) {
  Set("now", "v");
  Set("past", "v");
  EXPECT_EQ(*OpExpire(db(), "now", kNow, 0, kNow), ExpireOutcome::kDeleted);
  EXPECT_EQ(*OpExpire(db(), "past", -5, 0, kNow), ExpireOutcome::kDeleted);
  EXPECT_EQ(db().size(), 0u);
}

TEST_F(KeyOpsTest, ExpireNxAppliesOnlyToKeysWithoutTtl) {
  Set("plain", "v");
  SetWithExpire("timed", "v", kNow + 100);
  EXPECT_TRUE(OpExpire(db(), "plain", kNow + 50, kExpireNx, kNow).ok());
  EXPECT_EQ(OpExpire(db(), "timed", kNow + 50, kExpireNx, kNow).status(), OpStatus::kSkipped);
  EXPECT_EQ(ExpireOf("timed"), kNow + 100);
}

TEST_F(KeyOpsTest, ExpireXxAppliesOnlyToKeysWithTtl) {
  Set("plain", "v");
  SetWithExpire("timed", "v", kNow + 100);
  EXPECT_EQ(OpExpire(db(), "plain", kNow + 50, kExpireXx, kNow).status(), OpStatus::kSkipped);
  EXPECT_EQ(ExpireOf("plain"), -1);
  EXPECT_TRUE(OpExpire(db(), "timed", kNow + 50, kExpireXx, kNow).ok());
  EXPECT_EQ(ExpireOf("timed"), kNow + 50);
}

TEST_F(KeyOpsTest, ExpireGtTreatsNoTtlAsInfiniteSoNeverApplies) {
  Set("plain", "v");
  EXPECT_EQ(OpExpire(db(), "plain", std::numeric_limits<int64_t>::max(), kExpireGt, kNow).status(),
            OpStatus::kSkipped);
  EXPECT_EQ(ExpireOf("plain"), -1);
}

TEST_F(KeyOpsTest, ExpireLtTreatsNoTtlAsInfiniteSoAlwaysApplies) {
  Set("plain", "v");
  EXPECT_TRUE(OpExpire(db(), "plain", kNow + 10, kExpireLt, kNow).ok());
  EXPECT_EQ(ExpireOf("plain"), kNow + 10);
}

TEST_F(KeyOpsTest, ExpireGtAndLtCompareStrictlyWithTheCurrentTime) {
  SetWithExpire("k", "v", kNow + 100);
  EXPECT_EQ(OpExpire(db(), "k", kNow + 100, kExpireGt, kNow).status(), OpStatus::kSkipped);
  EXPECT_EQ(OpExpire(db(), "k", kNow + 100, kExpireLt, kNow).status(), OpStatus::kSkipped);
  EXPECT_EQ(OpExpire(db(), "k", kNow + 99, kExpireGt, kNow).status(), OpStatus::kSkipped);
  EXPECT_TRUE(OpExpire(db(), "k", kNow + 101, kExpireGt, kNow).ok());
  EXPECT_EQ(ExpireOf("k"), kNow + 101);
  EXPECT_TRUE(OpExpire(db(), "k", kNow + 60, kExpireXx | kExpireLt, kNow).ok());
  EXPECT_EQ(ExpireOf("k"), kNow + 60);
}

TEST_F(KeyOpsTest, ExpireWithUnmetConditionKeepsKeyEvenForAPastTime) {
  SetWithExpire("k", "v", kNow + 100);
  EXPECT_EQ(OpExpire(db(), "k", kNow - 1, kExpireNx, kNow).status(), OpStatus::kSkipped);
  EXPECT_EQ(Get("k"), "v");
}

TEST_F(KeyOpsTest, ExpireLtWithPastTimeDeletesKeyWithoutTtl) {
  Set("k", "v");
  EXPECT_EQ(*OpExpire(db(), "k", kNow - 1, kExpireLt, kNow), ExpireOutcome::kDeleted);
  EXPECT_FALSE(Get("k").has_value());
}

TEST_F(KeyOpsTest, TtlIsMinusTwoForMissingAndMinusOneWithoutExpiry) {
  Set("plain", "v");
  EXPECT_EQ(*OpTtl(db(), "missing", TimeUnit::kSeconds, kNow), -2);
  EXPECT_EQ(*OpTtl(db(), "plain", TimeUnit::kMilliseconds, kNow), -1);
  EXPECT_EQ(*OpExpireTime(db(), "missing", TimeUnit::kSeconds, kNow), -2);
  EXPECT_EQ(*OpExpireTime(db(), "plain", TimeUnit::kMilliseconds, kNow), -1);
}

TEST_F(KeyOpsTest, TtlInSecondsRoundsToTheNearestSecond) {
  SetWithExpire("a", "v", kNow + 1499);
  SetWithExpire("b", "v", kNow + 1500);
  EXPECT_EQ(*OpTtl(db(), "a", TimeUnit::kSeconds, kNow), 1);
  EXPECT_EQ(*OpTtl(db(), "b", TimeUnit::kSeconds, kNow), 2);
  EXPECT_EQ(*OpTtl(db(), "a", TimeUnit::kMilliseconds, kNow), 1499);
}

TEST_F(KeyOpsTest, TtlOfAKeyPastItsTimeIsMinusTwo) {
  SetWithExpire("a", "v", kNow + 10);
  EXPECT_EQ(*OpTtl(db(), "a", TimeUnit::kMilliseconds, kNow + 9), 1);
  EXPECT_EQ(*OpTtl(db(), "a", TimeUnit::kMilliseconds, kNow + 10), 0);
  EXPECT_EQ(*OpTtl(db(), "a", TimeUnit::kMilliseconds, kNow + 11), -2);
}

TEST_F(KeyOpsTest, ExpireTimeReportsAbsoluteTimeRoundedInSeconds) {
  SetWithExpire("a", "v", 1'700'000'123'499);
  SetWithExpire("b", "v", 1'700'000'123'500);
  EXPECT_EQ(*OpExpireTime(db(), "a", TimeUnit::kMilliseconds, kNow), 1'700'000'123'499);
  EXPECT_EQ(*OpExpireTime(db(), "a", TimeUnit::kSeconds, kNow), 1'700'000'123);
  EXPECT_EQ(*OpExpireTime(db(), "b", TimeUnit::kSeconds, kNow), 1'700'000'124);
}

TEST_F(KeyOpsTest, ExpireTimeNearInt64MaxDoesNotOverflow) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  SetWithExpire("a", "v", max);
  // PEXPIREAT accepts any time; the rounded seconds must not wrap around.
  EXPECT_EQ(*OpExpireTime(db(), "a", TimeUnit::kSeconds, kNow), max / 1000 + 1);
  EXPECT_EQ(*OpExpireTime(db(), "a", TimeUnit::kMilliseconds, kNow), max);
}

TEST_F(KeyOpsTest, PersistRemovesTheTtlOnce) {
  SetWithExpire("k", "v", kNow + 100);
  Set("plain", "v");
  EXPECT_TRUE(*OpPersist(db(), "k", kNow));
  EXPECT_FALSE(*OpPersist(db(), "k", kNow));
  EXPECT_FALSE(*OpPersist(db(), "plain", kNow));
  EXPECT_FALSE(*OpPersist(db(), "missing", kNow));
  EXPECT_EQ(Get("k", 0, kNow + 1'000'000), "v");
}

TEST_F(KeyOpsTest, TypeIsNoneForMissingOrExpiredKeys) {
  Set("s", "v");
  SetWithExpire("old", "v", kNow - 1);
  EXPECT_EQ(*OpType(db(), "s", kNow), "string");
  EXPECT_EQ(*OpType(db(), "missing", kNow), "none");
  EXPECT_EQ(*OpType(db(), "old", kNow), "none");
}

}  // namespace
}  // namespace ember::storage
