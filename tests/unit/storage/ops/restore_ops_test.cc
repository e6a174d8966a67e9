#include "storage/ops/restore_ops.h"

#include <gtest/gtest.h>

#include "storage/lifecycle/access_clock.h"
#include "tests/unit/storage/ops/key_ops_fixture.h"

namespace ember::storage {
namespace {

using RestoreOpsTest = KeyOpsTest;

TEST_F(RestoreOpsTest, RestoresWithAnAbsoluteTtl) {
  RestoreOptions options;
  options.expire_at_ms = kNow + 5000;
  auto r = OpRestore(keyspace_, 0, "k", Value::String("v"), options, kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, RestoreOutcome::kRestored);
  EXPECT_EQ(Get("k"), "v");
  EXPECT_EQ(ExpireOf("k"), kNow + 5000);
}

TEST_F(RestoreOpsTest, TargetExistsOnlyForALiveKey) {
  Set("live", "1");
  SetWithExpire("dead", "1", kNow - 1);
  EXPECT_TRUE(OpRestoreTargetExists(db(), "live", kNow));
  EXPECT_FALSE(OpRestoreTargetExists(db(), "dead", kNow));
  EXPECT_FALSE(OpRestoreTargetExists(db(), "none", kNow));
}

TEST_F(RestoreOpsTest, ReplaceDropsTheOldValueAndTtl) {
  SetWithExpire("k", "old", kNow + 100'000);
  RestoreOptions options;
  options.replace = true;
  auto r = OpRestore(keyspace_, 0, "k", Value::String("new"), options, kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Get("k"), "new");
  EXPECT_EQ(ExpireOf("k"), -1);
}

TEST_F(RestoreOpsTest, PastTtlStoresNothingAndReportsAReplacedKey) {
  Set("k", "old");
  RestoreOptions options;
  options.replace = true;
  options.expire_at_ms = kNow;
  auto replaced = OpRestore(keyspace_, 0, "k", Value::String("new"), options, kNow);
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(*replaced, RestoreOutcome::kExpiredReplaced);
  EXPECT_EQ(Get("k"), std::nullopt);
  auto nothing = OpRestore(keyspace_, 0, "k", Value::String("new"), options, kNow);
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(*nothing, RestoreOutcome::kExpiredNothing);
}

TEST_F(RestoreOpsTest, IdletimeSetsTheLruStampAndFreqTheLfuCounter) {
  RestoreOptions options;
  options.idle_seconds = 100;
  options.freq = 42;  // ignored under LRU
  ASSERT_TRUE(OpRestore(keyspace_, 0, "lru", Value::String("v"), options, kNow).ok());
  EXPECT_EQ(LruIdleMs(db().Find("lru", kNow, LookupMode::kNoTouch)->access(), kNow), 100'000);

  AccessTracking lfu;
  lfu.mode = AccessMode::kLfu;
  keyspace_.set_access_tracking(lfu);
  ASSERT_TRUE(OpRestore(keyspace_, 0, "lfu", Value::String("v"), options, kNow).ok());
  EXPECT_EQ(db().Find("lfu", kNow, LookupMode::kNoTouch)->access() & 0xff, 42u);
}

TEST_F(RestoreOpsTest, DatabaseOutOfRangeIsRefused) {
  auto r = OpRestore(keyspace_, 99, "k", Value::String("v"), RestoreOptions{}, kNow);
  EXPECT_EQ(r.status(), OpStatus::kOutOfRange);
}

}  // namespace
}  // namespace ember::storage
