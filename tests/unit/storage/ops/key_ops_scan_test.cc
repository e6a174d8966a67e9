// Key enumeration: KEYS, SCAN (cursor walk, MATCH, TYPE, COUNT's bound on work, expired
// keys) and RANDOMKEY.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "storage/ops/key_ops.h"
#include "tests/unit/storage/ops/key_ops_fixture.h"

namespace ember::storage {
namespace {

// Runs a whole SCAN and returns every key it produced (duplicates kept) and the calls made.
std::vector<std::string> ScanAll(Database& db, const ScanOptions& options, int64_t now_ms,
                                 int* calls = nullptr) {
  std::vector<std::string> all;
  uint64_t cursor = 0;
  int made = 0;
  do {
    auto page = OpScan(db, cursor, options, now_ms);
    EXPECT_TRUE(page.ok());
    ++made;
    all.insert(all.end(), page->keys.begin(), page->keys.end());
    cursor = page->cursor;
  } while (cursor != 0 && made < 1'000'000);
  if (calls != nullptr) *calls = made;
  return all;
}

TEST_F(KeyOpsTest, KeysMatchesThePatternAndLeavesOutExpiredKeys) {
  Set("user:1", "a");
  Set("user:2", "b");
  Set("order:1", "c");
  SetWithExpire("user:3", "d", kNow - 1);
  auto keys = OpKeys(db(), "user:*", kNow);
  ASSERT_TRUE(keys.ok());
  std::vector<std::string> sorted = *keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"user:1", "user:2"}));
  EXPECT_EQ(OpKeys(db(), "*", kNow)->size(), 3u);
  EXPECT_EQ(db().size(), 4u);  // KEYS filters expired keys but does not reclaim them
}

TEST_F(KeyOpsTest, ScanReturnsEveryKeyOfAFullWalk) {
  std::set<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    expected.insert("key:" + std::to_string(i));
    Set("key:" + std::to_string(i), "v");
  }
  ScanOptions options;
  std::vector<std::string> seen = ScanAll(db(), options, kNow);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
}

TEST_F(KeyOpsTest, ScanOnEmptyDatabaseEndsAtOnce) {
  auto page = OpScan(db(), 0, ScanOptions{}, kNow);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->cursor, 0u);
  EXPECT_TRUE(page->keys.empty());
}

TEST_F(KeyOpsTest, ScanCountBoundsTheBucketsVisitedPerCall) {
  // 1000 keys grow the table to at least 512 buckets; with one key left, a call with
  // COUNT 1 may visit at most 11 buckets, so the walk needs many calls.
  for (int i = 0; i < 1000; ++i) Set("key:" + std::to_string(i), "v");
  for (int i = 1; i < 1000; ++i) db().Delete("key:" + std::to_string(i));
  ScanOptions options;
  options.count = 1;
  int calls = 0;
  std::vector<std::string> seen = ScanAll(db(), options, kNow, &calls);
  EXPECT_GE(calls, 512 / 11);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), std::set<std::string>{"key:0"});
}

TEST_F(KeyOpsTest, ScanMatchKeepsOnlyMatchingKeys) {
  for (int i = 0; i < 50; ++i) {
    Set("a:" + std::to_string(i), "v");
    Set("b:" + std::to_string(i), "v");
  }
  ScanOptions options;
  options.pattern = "a:*";
  options.has_pattern = true;
  std::vector<std::string> seen = ScanAll(db(), options, kNow);
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), 50u);
  for (const std::string& key : unique) EXPECT_EQ(key.substr(0, 2), "a:");
}

TEST_F(KeyOpsTest, ScanTypeComparesTheTypeNameIgnoringCase) {
  Set("s", "v");
  ScanOptions options;
  options.has_type = true;
  options.type = "STRING";
  EXPECT_EQ(ScanAll(db(), options, kNow), std::vector<std::string>{"s"});
  options.type = "list";
  EXPECT_TRUE(ScanAll(db(), options, kNow).empty());
  options.type = "nosuchtype";
  EXPECT_TRUE(ScanAll(db(), options, kNow).empty());
}

TEST_F(KeyOpsTest, ScanDropsAndReclaimsExpiredKeys) {
  Set("live", "v");
  SetWithExpire("dead", "v", kNow - 1);
  EXPECT_EQ(ScanAll(db(), ScanOptions{}, kNow), std::vector<std::string>{"live"});
  EXPECT_EQ(db().size(), 1u);
}

TEST_F(KeyOpsTest, RandomKeyOnEmptyDatabaseIsNotFound) {
  EXPECT_EQ(OpRandomKey(db(), kNow).status(), OpStatus::kKeyNotFound);
}

TEST_F(KeyOpsTest, RandomKeyReturnsALiveKey) {
  Set("a", "1");
  Set("b", "2");
  for (int i = 0; i < 20; ++i) {
    auto key = OpRandomKey(db(), kNow);
    ASSERT_TRUE(key.ok());
    EXPECT_TRUE(*key == "a" || *key == "b") << *key;
  }
}

}  // namespace
}  // namespace ember::storage
