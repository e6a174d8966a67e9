#include "storage/ops/hash_ops.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/ops/string_ops.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

using Pairs = std::map<std::string, std::string>;

class HashOpsTest : public ::testing::Test {
 protected:
  Database& db() { return keyspace_.db(0); }

  int64_t HSet(std::string_view key, std::vector<std::string_view> field_values) {
    auto result = OpHSet(db(), key, field_values, kNow);
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : -1;
  }

  std::string HGet(std::string_view key, std::string_view field) {
    auto hash = OpFindHash(db(), key, kNow);
    if (!hash.ok()) return "<no hash>";
    NumberBuffer scratch;
    std::optional<std::string_view> value = (*hash)->Get(field, scratch);
    return value.has_value() ? std::string(*value) : "<none>";
  }

  Pairs Contents(std::string_view key) {
    Pairs pairs;
    auto hash = OpFindHash(db(), key, kNow);
    if (!hash.ok()) return pairs;
    (*hash)->ForEach([&](std::string_view f, std::string_view v) { pairs.emplace(f, v); });
    return pairs;
  }

  CollectionEncoding EncodingOf(std::string_view key) {
    return (*OpFindHash(db(), key, kNow))->encoding();
  }

  void SetString(std::string_view key, std::string_view value) {
    ASSERT_TRUE(OpSet(db(), key, value, SetOptions{}, kNow).ok());
  }

  Keyspace keyspace_;
};

TEST_F(HashOpsTest, HSetCreatesTheKeyAndCountsOnlyNewFields) {
  EXPECT_EQ(HSet("h", {"a", "1", "b", "2"}), 2);
  EXPECT_EQ(HSet("h", {"a", "10", "c", "3"}), 1);
  EXPECT_EQ(Contents("h"), (Pairs{{"a", "10"}, {"b", "2"}, {"c", "3"}}));
  // A repeated field in one call counts once and keeps its last value.
  EXPECT_EQ(HSet("h2", {"x", "1", "x", "2"}), 1);
  EXPECT_EQ(HGet("h2", "x"), "2");
}

TEST_F(HashOpsTest, MissingKeyIsNotFound) {
  EXPECT_EQ(OpFindHash(db(), "nope", kNow).status(), OpStatus::kKeyNotFound);
  EXPECT_EQ(*OpHDel(db(), "nope", std::vector<std::string_view>{"a"}, kNow), 0);
  EXPECT_EQ(db().size(), 0u);
}

TEST_F(HashOpsTest, EveryOperationRefusesAStringKeyAndLeavesIt) {
  SetString("s", "text");
  const std::vector<std::string_view> pair = {"f", "v"};
  EXPECT_EQ(OpFindHash(db(), "s", kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpHSet(db(), "s", pair, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpHSetNx(db(), "s", "f", "v", kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpHDel(db(), "s", pair, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpHIncrBy(db(), "s", "f", 1, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpHIncrByFloat(db(), "s", "f", 1.5L, kNow).status(), OpStatus::kWrongType);
  NumberBuffer scratch;
  EXPECT_EQ(*OpGet(db(), "s", kNow, scratch), "text");
}

TEST_F(HashOpsTest, HSetNxSetsOnlyAbsentFields) {
  EXPECT_TRUE(*OpHSetNx(db(), "h", "f", "1", kNow));
  EXPECT_FALSE(*OpHSetNx(db(), "h", "f", "2", kNow));
  EXPECT_EQ(HGet("h", "f"), "1");
}

TEST_F(HashOpsTest, HDelCountsRemovedFieldsAndDeletesTheEmptiedKey) {
  HSet("h", {"a", "1", "b", "2", "c", "3"});
  const std::vector<std::string_view> some = {"a", "zz", "a"};
  EXPECT_EQ(*OpHDel(db(), "h", some, kNow), 1);
  EXPECT_EQ(db().size(), 1u);
  const std::vector<std::string_view> rest = {"b", "c", "d"};
  EXPECT_EQ(*OpHDel(db(), "h", rest, kNow), 2);
  EXPECT_EQ(db().size(), 0u);
  EXPECT_EQ(OpFindHash(db(), "h", kNow).status(), OpStatus::kKeyNotFound);
}

TEST_F(HashOpsTest, MemoryReturnsToTheStartWhenTheHashIsDeleted) {
  SetString("other", "x");  // the key table's buckets exist from here on
  const size_t start = db().memory_bytes();
  HSet("h", {"a", std::string_view("123456789012345678901234567890"), "b", "2"});
  EXPECT_GT(db().memory_bytes(), start + 30);
  const std::vector<std::string_view> all = {"a", "b"};
  EXPECT_EQ(*OpHDel(db(), "h", all, kNow), 2);
  EXPECT_EQ(db().memory_bytes(), start);
}

TEST_F(HashOpsTest, HIncrByCreatesAddsAndRefusesBadValues) {
  EXPECT_EQ(*OpHIncrBy(db(), "h", "n", 5, kNow), 5);
  EXPECT_EQ(*OpHIncrBy(db(), "h", "n", -7, kNow), -2);
  EXPECT_EQ(HGet("h", "n"), "-2");
  HSet("h", {"s", "abc", "sp", " 1", "max", "9223372036854775807"});
  EXPECT_EQ(OpHIncrBy(db(), "h", "s", 1, kNow).status(), OpStatus::kNotAnInteger);
  EXPECT_EQ(OpHIncrBy(db(), "h", "sp", 1, kNow).status(), OpStatus::kNotAnInteger);
  EXPECT_EQ(OpHIncrBy(db(), "h", "max", 1, kNow).status(), OpStatus::kOverflow);
  EXPECT_EQ(HGet("h", "max"), "9223372036854775807");
  EXPECT_EQ(*OpHIncrBy(db(), "h", "max", -1, kNow), 9223372036854775806);
}

TEST_F(HashOpsTest, HIncrByFloatStoresTheHumanFormat) {
  EXPECT_EQ(*OpHIncrByFloat(db(), "h", "x", 10.5L, kNow), "10.5");
  EXPECT_EQ(*OpHIncrByFloat(db(), "h", "x", 0.1L, kNow), "10.6");
  EXPECT_EQ(HGet("h", "x"), "10.6");
  HSet("h", {"i", "3", "bad", "1.2.3"});
  EXPECT_EQ(*OpHIncrByFloat(db(), "h", "i", -3.0L, kNow), "0");
  EXPECT_EQ(OpHIncrByFloat(db(), "h", "bad", 1.0L, kNow).status(), OpStatus::kNotAFloat);
  HSet("h", {"inf", "inf"});
  EXPECT_EQ(OpHIncrByFloat(db(), "h", "inf", 1.0L, kNow).status(), OpStatus::kNanOrInfinity);
  EXPECT_EQ(HGet("h", "inf"), "inf");
}

TEST_F(HashOpsTest, WritesFollowTheKeyspaceEncodingLimits) {
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 2;
  limits.hash_max_listpack_value = 5;
  keyspace_.set_encoding_limits(limits);
  HSet("h", {"a", "1", "b", "2"});
  EXPECT_EQ(EncodingOf("h"), CollectionEncoding::kListpack);
  HSet("h", {"c", "3"});
  EXPECT_EQ(EncodingOf("h"), CollectionEncoding::kHashtable);
  HSet("v", {"a", "12345"});
  EXPECT_EQ(EncodingOf("v"), CollectionEncoding::kListpack);
  ASSERT_TRUE(OpHIncrByFloat(db(), "v", "a", 0.125L, kNow).ok());
  EXPECT_EQ(EncodingOf("v"), CollectionEncoding::kHashtable);
}

TEST_F(HashOpsTest, ScanOfATableCoversEveryFieldAndHonoursMatch) {
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 0;
  keyspace_.set_encoding_limits(limits);
  for (int i = 0; i < 200; ++i) {
    HSet("h", {"f" + std::to_string(i), "v" + std::to_string(i)});
  }
  auto found = OpFindHash(db(), "h", kNow);
  const HashValue& hash = **found;
  Pairs seen;
  uint64_t cursor = 0;
  size_t steps = 0;
  do {
    HashScanPage page = HashScanStep(hash, cursor, HashScanOptions{});
    for (auto& [field, value] : page.pairs) seen.emplace(field, value);
    cursor = page.cursor;
    ++steps;
  } while (cursor != 0);
  EXPECT_EQ(seen, Contents("h"));
  EXPECT_GT(steps, 5u);

  HashScanOptions match;
  match.pattern = "f1?";
  match.has_pattern = true;
  match.count = 1000;
  HashScanPage page = HashScanStep(hash, 0, match);
  EXPECT_EQ(page.cursor, 0u);
  EXPECT_EQ(page.pairs.size(), 10u);
  for (auto& [field, value] : page.pairs) EXPECT_EQ(field.substr(0, 2), "f1");
}

TEST_F(HashOpsTest, ScanOfAListpackIsWholeWithCursorZero) {
  HSet("h", {"a", "1", "b", "2", "ab", "3"});
  HashScanOptions match;
  match.pattern = "a*";
  match.has_pattern = true;
  match.count = 1;
  HashScanPage page = HashScanStep(**OpFindHash(db(), "h", kNow), 99, match);
  EXPECT_EQ(page.cursor, 0u);
  EXPECT_EQ(page.pairs,
            (std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"ab", "3"}}));
}

TEST_F(HashOpsTest, RandomFieldsFollowRedisCountRules) {
  HSet("h", {"a", "1", "b", "2", "c", "3"});
  auto found = OpFindHash(db(), "h", kNow);
  const HashValue& hash = **found;
  std::mt19937_64 rng(3);
  auto pick = [&](int64_t count) {
    std::vector<std::string> fields;
    HashRandomFields(hash, count, rng, [&](std::string_view f, std::string_view v) {
      EXPECT_EQ(HGet("h", f), std::string(v));
      fields.emplace_back(f);
    });
    EXPECT_EQ(fields.size(), HashRandomFieldsCount(hash.Size(), count));
    return fields;
  };
  EXPECT_EQ(pick(0).size(), 0u);
  EXPECT_EQ(pick(5), (std::vector<std::string>{"a", "b", "c"}));  // the whole hash, in order
  std::vector<std::string> two = pick(2);
  EXPECT_EQ(std::set<std::string>(two.begin(), two.end()).size(), 2u);
  std::vector<std::string> repeated = pick(-30);
  EXPECT_EQ(repeated.size(), 30u);
  EXPECT_EQ(std::set<std::string>(repeated.begin(), repeated.end()).size(), 3u);
}

}  // namespace
}  // namespace ember::storage
