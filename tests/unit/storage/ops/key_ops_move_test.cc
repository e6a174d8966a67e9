// Operations that relink values between names or databases: RENAME/RENAMENX, COPY, MOVE,
// SWAPDB, FLUSHDB and FLUSHALL.
#include <gtest/gtest.h>

#include "storage/ops/key_ops.h"
#include "tests/unit/storage/ops/key_ops_fixture.h"

namespace ember::storage {
namespace {

TEST_F(KeyOpsTest, RenameMovesTheValueAndItsTtl) {
  SetWithExpire("from", "v", kNow + 100);
  auto result = OpRename(db(), "from", "to", false, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, RenameOutcome::kRenamed);
  EXPECT_FALSE(Get("from").has_value());
  EXPECT_EQ(Get("to"), "v");
  EXPECT_EQ(ExpireOf("to"), kNow + 100);
  EXPECT_EQ(db().expires_size(), 1u);
}

TEST_F(KeyOpsTest, RenameOverwritesTheTargetAndDropsItsTtl) {
  Set("from", "new");
  SetWithExpire("to", "old", kNow + 100);
  EXPECT_EQ(*OpRename(db(), "from", "to", false, kNow), RenameOutcome::kRenamed);
  EXPECT_EQ(Get("to"), "new");
  EXPECT_EQ(ExpireOf("to"), -1);
  EXPECT_EQ(db().size(), 1u);
  EXPECT_EQ(db().expires_size(), 0u);
}

TEST_F(KeyOpsTest, RenameOfMissingSourceIsNotFoundEvenToItself) {
  SetWithExpire("gone", "v", kNow - 1);
  EXPECT_EQ(OpRename(db(), "missing", "x", false, kNow).status(), OpStatus::kKeyNotFound);
  EXPECT_EQ(OpRename(db(), "missing", "missing", true, kNow).status(), OpStatus::kKeyNotFound);
  EXPECT_EQ(OpRename(db(), "gone", "x", false, kNow).status(), OpStatus::kKeyNotFound);
}

TEST_F(KeyOpsTest, RenameToItselfChangesNothing) {
  SetWithExpire("k", "v", kNow + 100);
  EXPECT_EQ(*OpRename(db(), "k", "k", false, kNow), RenameOutcome::kSameKey);
  EXPECT_EQ(Get("k"), "v");
  EXPECT_EQ(ExpireOf("k"), kNow + 100);
}

TEST_F(KeyOpsTest, RenameNxLeavesAnExistingTargetAlone) {
  Set("from", "a");
  Set("to", "b");
  EXPECT_EQ(*OpRename(db(), "from", "to", true, kNow), RenameOutcome::kTargetExists);
  EXPECT_EQ(Get("from"), "a");
  EXPECT_EQ(Get("to"), "b");
  SetWithExpire("stale", "c", kNow - 1);
  EXPECT_EQ(*OpRename(db(), "from", "stale", true, kNow), RenameOutcome::kRenamed);
  EXPECT_EQ(Get("stale"), "a");
}

TEST_F(KeyOpsTest, CopyToAnotherDatabaseKeepsSourceAndTtl) {
  SetWithExpire("k", "v", kNow + 100);
  auto copied = OpCopy(keyspace_, 0, "k", 3, "k", false, kNow);
  ASSERT_TRUE(copied.ok());
  EXPECT_TRUE(*copied);
  EXPECT_EQ(Get("k"), "v");
  EXPECT_EQ(Get("k", 3), "v");
  EXPECT_EQ(ExpireOf("k", 3), kNow + 100);
}

TEST_F(KeyOpsTest, CopyIsIndependentOfTheSource) {
  Set("k", "v");
  ASSERT_TRUE(*OpCopy(keyspace_, 0, "k", 0, "k2", false, kNow));
  db().Delete("k");
  EXPECT_EQ(Get("k2"), "v");
}

TEST_F(KeyOpsTest, CopyNeedsReplaceToOverwriteTheTarget) {
  Set("k", "new");
  SetWithExpire("t", "old", kNow + 100);
  EXPECT_FALSE(*OpCopy(keyspace_, 0, "k", 0, "t", false, kNow));
  EXPECT_EQ(Get("t"), "old");
  EXPECT_TRUE(*OpCopy(keyspace_, 0, "k", 0, "t", true, kNow));
  EXPECT_EQ(Get("t"), "new");
  EXPECT_EQ(ExpireOf("t"), -1);
}

TEST_F(KeyOpsTest, CopyOfMissingSourceCopiesNothing) {
  EXPECT_FALSE(*OpCopy(keyspace_, 0, "missing", 0, "t", true, kNow));
  EXPECT_EQ(db().size(), 0u);
}

TEST_F(KeyOpsTest, CopyToTheSameKeyAndDatabaseIsSameKeyEvenIfMissing) {
  EXPECT_EQ(OpCopy(keyspace_, 0, "k", 0, "k", false, kNow).status(), OpStatus::kSameKey);
  EXPECT_EQ(OpCopy(keyspace_, 2, "k", 16, "k", false, kNow).status(), OpStatus::kOutOfRange);
  EXPECT_EQ(OpCopy(keyspace_, 2, "k", -1, "k", false, kNow).status(), OpStatus::kOutOfRange);
}

TEST_F(KeyOpsTest, MoveRelinksValueAndTtlIntoTheTargetDatabase) {
  SetWithExpire("k", "v", kNow + 100);
  auto moved = OpMove(keyspace_, 0, "k", 5, kNow);
  ASSERT_TRUE(moved.ok());
  EXPECT_TRUE(*moved);
  EXPECT_FALSE(Get("k").has_value());
  EXPECT_EQ(Get("k", 5), "v");
  EXPECT_EQ(ExpireOf("k", 5), kNow + 100);
  EXPECT_EQ(db(0).expires_size(), 0u);
}

TEST_F(KeyOpsTest, MoveRefusesWhenTheTargetHasTheKey) {
  Set("k", "src");
  Set("k", "dst", 1);
  EXPECT_FALSE(*OpMove(keyspace_, 0, "k", 1, kNow));
  EXPECT_EQ(Get("k"), "src");
  EXPECT_EQ(Get("k", 1), "dst");
  EXPECT_FALSE(*OpMove(keyspace_, 0, "missing", 1, kNow));
}

TEST_F(KeyOpsTest, MoveChecksTheDatabaseBeforeTheKey) {
  EXPECT_EQ(OpMove(keyspace_, 0, "missing", 0, kNow).status(), OpStatus::kSameKey);
  EXPECT_EQ(OpMove(keyspace_, 0, "missing", 16, kNow).status(), OpStatus::kOutOfRange);
}

TEST_F(KeyOpsTest, SwapDbExchangesContentsAndValidatesIndexes) {
  Set("a", "zero", 0);
  Set("b", "one", 1);
  EXPECT_EQ(SwapDb(keyspace_, 0, 1), OpStatus::kOk);
  EXPECT_EQ(Get("b", 0), "one");
  EXPECT_EQ(Get("a", 1), "zero");
  EXPECT_EQ(SwapDb(keyspace_, 0, 0), OpStatus::kOk);
  EXPECT_EQ(Get("b", 0), "one");
  EXPECT_EQ(SwapDb(keyspace_, 0, 16), OpStatus::kOutOfRange);
  EXPECT_EQ(SwapDb(keyspace_, -1, 0), OpStatus::kOutOfRange);
}

TEST_F(KeyOpsTest, FlushDbCountsUnreclaimedExpiredKeysAndLeavesOtherDatabases) {
  Set("a", "1");
  SetWithExpire("b", "2", kNow - 10);
  Set("c", "3", 1);
  EXPECT_EQ(FlushDb(db()), 2u);
  EXPECT_EQ(db().size(), 0u);
  EXPECT_EQ(db().expires_size(), 0u);
  EXPECT_EQ(Get("c", 1), "3");
}

TEST_F(KeyOpsTest, FlushAllCountsEveryDatabase) {
  Set("a", "1", 0);
  Set("b", "2", 7);
  Set("c", "3", 15);
  EXPECT_EQ(FlushAll(keyspace_), 3u);
  EXPECT_EQ(keyspace_.key_count(), 0u);
  EXPECT_EQ(FlushAll(keyspace_), 0u);
}

}  // namespace
}  // namespace ember::storage
