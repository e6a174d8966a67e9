#include "storage/ops/string_ops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/keyspace.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kMaxLen = 512LL * 1024 * 1024;

class StringOpsTest : public ::testing::Test {
 protected:
  Database& db() { return keyspace_.db(0); }

  // The value of `key` at `now_ms` as an owned string, or "<none>" when absent.
  std::string Get(std::string_view key, int64_t now_ms = kNow) {
    NumberBuffer scratch;
    auto result = OpGet(db(), key, now_ms, scratch);
    if (result.status() == OpStatus::kKeyNotFound) return "<none>";
    EXPECT_TRUE(result.ok());
    return std::string(*result);
  }

  void Set(std::string_view key, std::string_view value) {
    ASSERT_TRUE(OpSet(db(), key, value, SetOptions{}, kNow).ok());
  }

  int64_t ExpireOf(std::string_view key) {
    Entry* entry = db().Find(key, kNow);
    return entry == nullptr ? -2 : db().GetExpire(entry);
  }

  void SetExpire(std::string_view key, int64_t at_ms) {
    Entry* entry = db().Find(key, kNow);
    ASSERT_NE(entry, nullptr);
    entry = db().SetExpire(entry, at_ms);
  }

  std::string Range(std::string_view key, int64_t start, int64_t end) {
    NumberBuffer scratch;
    auto result = OpGetRange(db(), key, start, end, kNow, scratch);
    EXPECT_TRUE(result.ok());
    return std::string(*result);
  }

  Keyspace keyspace_;
};

TEST_F(StringOpsTest, SetThenGetReturnsTheBytes) {
  auto result = OpSet(db(), "k", std::string_view("a\0b", 3), SetOptions{}, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->written);
  EXPECT_FALSE(result->old_value.has_value());
  EXPECT_EQ(Get("k"), std::string("a\0b", 3));
  EXPECT_EQ(Get("missing"), "<none>");
}

TEST_F(StringOpsTest, GetRendersIntegerEncodedValues) {
  Set("n", "-9223372036854775808");
  EXPECT_EQ(Get("n"), "-9223372036854775808");
}

TEST_F(StringOpsTest, PlainSetDropsTheTtlAndKeepTtlKeepsIt) {
  Set("k", "v1");
  SetExpire("k", kNow + 5000);
  SetOptions keep;
  keep.keep_ttl = true;
  ASSERT_TRUE(OpSet(db(), "k", "v2", keep, kNow).ok());
  EXPECT_EQ(ExpireOf("k"), kNow + 5000);
  Set("k", "v3");
  EXPECT_EQ(ExpireOf("k"), -1);
  EXPECT_EQ(Get("k"), "v3");
}

TEST_F(StringOpsTest, SetWithExpireStoresTheAbsoluteTime) {
  SetOptions options;
  options.expire_at_ms = kNow + 10'000;
  ASSERT_TRUE(OpSet(db(), "k", "v", options, kNow).ok());
  EXPECT_EQ(ExpireOf("k"), kNow + 10'000);
  EXPECT_EQ(Get("k", kNow + 9'000), "v");
  EXPECT_EQ(Get("k", kNow + 11'000), "<none>");
}

TEST_F(StringOpsTest, SetWithExpireInThePastIsGoneOnNextLookup) {
  SetOptions options;
  options.expire_at_ms = 1;
  auto result = OpSet(db(), "k", "v", options, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->written);
  EXPECT_EQ(Get("k"), "<none>");
}

TEST_F(StringOpsTest, NxWritesOnlyAbsentKeysAndXxOnlyPresentOnes) {
  SetOptions nx;
  nx.condition = SetCondition::kIfAbsent;
  SetOptions xx;
  xx.condition = SetCondition::kIfPresent;

  EXPECT_FALSE(OpSet(db(), "k", "x", xx, kNow)->written);
  EXPECT_EQ(Get("k"), "<none>");
  EXPECT_TRUE(OpSet(db(), "k", "first", nx, kNow)->written);
  EXPECT_FALSE(OpSet(db(), "k", "second", nx, kNow)->written);
  EXPECT_EQ(Get("k"), "first");
  EXPECT_TRUE(OpSet(db(), "k", "third", xx, kNow)->written);
  EXPECT_EQ(Get("k"), "third");
}

TEST_F(StringOpsTest, ReturnOldReportsThePreviousValueEvenWhenNxSkips) {
  SetOptions options;
  options.return_old = true;
  options.condition = SetCondition::kIfAbsent;
  auto first = OpSet(db(), "k", "v1", options, kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->written);
  EXPECT_FALSE(first->old_value.has_value());

  auto second = OpSet(db(), "k", "v2", options, kNow);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->written);
  EXPECT_EQ(second->old_value, "v1");
  EXPECT_EQ(Get("k"), "v1");
}

TEST_F(StringOpsTest, ReturnOldCountsAKeyspaceHitOrMiss) {
  SetOptions options;
  options.return_old = true;
  ASSERT_TRUE(OpSet(db(), "k", "v", options, kNow).ok());
  ASSERT_TRUE(OpSet(db(), "k", "v", options, kNow).ok());
  EXPECT_EQ(keyspace_.stats().keyspace_misses, 1u);
  EXPECT_EQ(keyspace_.stats().keyspace_hits, 1u);
}

TEST_F(StringOpsTest, GetDelReturnsTheValueAndRemovesTheKey) {
  Set("k", "42");
  auto result = OpGetDel(db(), "k", kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "42");
  EXPECT_EQ(Get("k"), "<none>");
  EXPECT_EQ(OpGetDel(db(), "k", kNow).status(), OpStatus::kKeyNotFound);
}

TEST_F(StringOpsTest, GetExSetsAFutureExpire) {
  Set("k", "v");
  GetExOptions options;
  options.action = GetExOptions::Action::kSetExpire;
  options.expire_at_ms = kNow + 100;
  auto result = OpGetEx(db(), "k", options, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->value, "v");
  EXPECT_EQ(result->effect, GetExResult::Effect::kExpireSet);
  EXPECT_EQ(ExpireOf("k"), kNow + 100);
}

TEST_F(StringOpsTest, GetExWithAnElapsedTimeDeletesTheKey) {
  Set("k", "v");
  GetExOptions options;
  options.action = GetExOptions::Action::kSetExpire;
  options.expire_at_ms = kNow;
  auto result = OpGetEx(db(), "k", options, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->value, "v");
  EXPECT_EQ(result->effect, GetExResult::Effect::kDeleted);
  EXPECT_EQ(db().Find("k", kNow), nullptr);
}

TEST_F(StringOpsTest, GetExPersistReportsOnlyARemovedTtl) {
  Set("k", "v");
  GetExOptions persist;
  persist.action = GetExOptions::Action::kPersist;
  EXPECT_EQ(OpGetEx(db(), "k", persist, kNow)->effect, GetExResult::Effect::kNone);
  SetExpire("k", kNow + 100);
  EXPECT_EQ(OpGetEx(db(), "k", persist, kNow)->effect, GetExResult::Effect::kPersisted);
  EXPECT_EQ(ExpireOf("k"), -1);
  EXPECT_EQ(OpGetEx(db(), "missing", persist, kNow).status(), OpStatus::kKeyNotFound);
}

TEST_F(StringOpsTest, MSetWritesPairsInOrderAndDropsTtls) {
  Set("a", "old");
  SetExpire("a", kNow + 100);
  const std::vector<std::string_view> pairs = {"a", "1", "b", "2", "a", "3"};
  OpMSet(db(), pairs, kNow);
  EXPECT_EQ(Get("a"), "3");
  EXPECT_EQ(Get("b"), "2");
  EXPECT_EQ(ExpireOf("a"), -1);
}

TEST_F(StringOpsTest, MSetNxWritesNothingWhenAnyKeyExists) {
  Set("b", "taken");
  const std::vector<std::string_view> blocked = {"a", "1", "b", "2"};
  EXPECT_FALSE(OpMSetNx(db(), blocked, kNow));
  EXPECT_EQ(Get("a"), "<none>");
  EXPECT_EQ(Get("b"), "taken");
  const std::vector<std::string_view> free = {"c", "1", "d", "2"};
  EXPECT_TRUE(OpMSetNx(db(), free, kNow));
  EXPECT_EQ(Get("d"), "2");
}

TEST_F(StringOpsTest, AppendCreatesExtendsAndTurnsIntegersIntoText) {
  EXPECT_EQ(*OpAppend(db(), "k", "", kMaxLen, kNow), 0);
  EXPECT_EQ(Get("k"), "");
  Set("n", "123");
  EXPECT_EQ(*OpAppend(db(), "n", "4", kMaxLen, kNow), 4);
  EXPECT_EQ(Get("n"), "1234");
  EXPECT_EQ(*OpAppend(db(), "n", "xyz", kMaxLen, kNow), 7);
  EXPECT_EQ(Get("n"), "1234xyz");
}

TEST_F(StringOpsTest, AppendBeyondTheLimitFailsAndLeavesTheValue) {
  Set("k", "12345");
  EXPECT_EQ(OpAppend(db(), "k", "678", 7, kNow).status(), OpStatus::kStringTooLong);
  EXPECT_EQ(Get("k"), "12345");
  EXPECT_EQ(*OpAppend(db(), "k", "67", 7, kNow), 7);
}

TEST_F(StringOpsTest, StrLenCountsBytesAndIntegerDigits) {
  EXPECT_EQ(*OpStrLen(db(), "missing", kNow), 0);
  Set("n", "-12345");
  EXPECT_EQ(*OpStrLen(db(), "n", kNow), 6);
  Set("s", std::string(100, 'x'));
  EXPECT_EQ(*OpStrLen(db(), "s", kNow), 100);
}

TEST_F(StringOpsTest, IncrByStartsFromZeroAndKeepsTheTtl) {
  EXPECT_EQ(*OpIncrBy(db(), "n", -5, kNow), -5);
  SetExpire("n", kNow + 1000);
  EXPECT_EQ(*OpIncrBy(db(), "n", 7, kNow), 2);
  EXPECT_EQ(Get("n"), "2");
  EXPECT_EQ(ExpireOf("n"), kNow + 1000);
}

TEST_F(StringOpsTest, IncrByRejectsNonCanonicalIntegers) {
  for (std::string_view text : {"  1", "01", "+1", "1 ", "123456789012345678901", "1.0", ""}) {
    Set("n", text);
    EXPECT_EQ(OpIncrBy(db(), "n", 1, kNow).status(), OpStatus::kNotAnInteger) << text;
    EXPECT_EQ(Get("n"), text);
  }
}

TEST_F(StringOpsTest, IncrByDetectsOverflowBothWays) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  Set("n", "9223372036854775807");
  EXPECT_EQ(OpIncrBy(db(), "n", 1, kNow).status(), OpStatus::kOverflow);
  EXPECT_EQ(*OpIncrBy(db(), "n", kMin, kNow), -1);
  Set("n", "-9223372036854775808");
  EXPECT_EQ(OpIncrBy(db(), "n", -1, kNow).status(), OpStatus::kOverflow);
  EXPECT_EQ(*OpIncrBy(db(), "n", kMax, kNow), -1);
  EXPECT_EQ(Get("n"), "-1");
}

TEST_F(StringOpsTest, IncrByFloatUsesTheHumanFormat) {
  Set("f", "10.5");
  EXPECT_EQ(*OpIncrByFloat(db(), "f", "0.1", kNow), "10.6");
  EXPECT_EQ(*OpIncrByFloat(db(), "f", "5.0e3", kNow), "5010.60000000000000009");
  EXPECT_EQ(*OpIncrByFloat(db(), "f", "-5010.6", kNow), "0");
  EXPECT_EQ(*OpIncrByFloat(db(), "missing", "1.5", kNow), "1.5");
  Set("i", "3");
  EXPECT_EQ(*OpIncrByFloat(db(), "i", "-0.0", kNow), "3");
  Set("h", "0x10");
  EXPECT_EQ(*OpIncrByFloat(db(), "h", "1", kNow), "17");
  EXPECT_EQ(Get("h"), "17");
}

TEST_F(StringOpsTest, IncrByFloatKeepsTheTtl) {
  Set("f", "1");
  SetExpire("f", kNow + 1000);
  ASSERT_TRUE(OpIncrByFloat(db(), "f", "1.25", kNow).ok());
  EXPECT_EQ(ExpireOf("f"), kNow + 1000);
  EXPECT_EQ(Get("f"), "2.25");
}

TEST_F(StringOpsTest, IncrByFloatRejectsBadNumbersAndNonFiniteSums) {
  Set("f", "1");
  for (std::string_view bad : {"x", " 1", "1 ", "nan", "1e5000", ""}) {
    EXPECT_EQ(OpIncrByFloat(db(), "f", bad, kNow).status(), OpStatus::kNotAFloat) << bad;
  }
  EXPECT_EQ(OpIncrByFloat(db(), "f", "inf", kNow).status(), OpStatus::kNanOrInfinity);
  EXPECT_EQ(Get("f"), "1");
  Set("s", "abc");
  EXPECT_EQ(OpIncrByFloat(db(), "s", "1", kNow).status(), OpStatus::kNotAFloat);
  Set("long", std::string(6000, '1'));
  EXPECT_EQ(OpIncrByFloat(db(), "long", "1", kNow).status(), OpStatus::kNotAFloat);
}

TEST_F(StringOpsTest, GetRangeClampsAndCountsFromTheEnd) {
  Set("s", "Hello World");
  EXPECT_EQ(Range("s", 0, -1), "Hello World");
  EXPECT_EQ(Range("s", -3, -1), "rld");
  EXPECT_EQ(Range("s", -1, -3), "");
  EXPECT_EQ(Range("s", 5, 2), "");
  EXPECT_EQ(Range("s", 100, 200), "");
  EXPECT_EQ(Range("s", -100, 2), "Hel");
  EXPECT_EQ(Range("s", 0, -100), "H");
  EXPECT_EQ(Range("s", std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()),
            "Hello World");
  EXPECT_EQ(Range("missing", 0, -1), "");
  Set("e", "");
  EXPECT_EQ(Range("e", 0, -1), "");
  Set("i", "12345");
  EXPECT_EQ(Range("i", 1, 2), "23");
}

TEST_F(StringOpsTest, SetRangePadsWithZerosAndCreatesTheKey) {
  EXPECT_EQ(*OpSetRange(db(), "k", 3, "ab", kMaxLen, kNow), 5);
  EXPECT_EQ(Get("k"), std::string("\0\0\0ab", 5));
  EXPECT_EQ(*OpSetRange(db(), "k", 1, "XYZW", kMaxLen, kNow), 5);
  EXPECT_EQ(Get("k"), std::string("\0XYZW", 5));
}

TEST_F(StringOpsTest, SetRangeWithEmptyValueChangesNothing) {
  EXPECT_EQ(*OpSetRange(db(), "k", 10, "", kMaxLen, kNow), 0);
  EXPECT_EQ(db().Find("k", kNow), nullptr);
  Set("s", "hello");
  EXPECT_EQ(*OpSetRange(db(), "s", 100, "", kMaxLen, kNow), 5);
  EXPECT_EQ(Get("s"), "hello");
}

TEST_F(StringOpsTest, SetRangeRewritesIntegerEncodedValues) {
  Set("i", "12345");
  EXPECT_EQ(*OpSetRange(db(), "i", 1, "9", kMaxLen, kNow), 5);
  EXPECT_EQ(Get("i"), "19345");
}

TEST_F(StringOpsTest, SetRangeBeyondTheLimitFails) {
  Set("s", "hello");
  EXPECT_EQ(OpSetRange(db(), "s", 10, "x", 10, kNow).status(), OpStatus::kStringTooLong);
  EXPECT_EQ(OpSetRange(db(), "s", std::numeric_limits<int64_t>::max(), "x", kMaxLen, kNow).status(),
            OpStatus::kStringTooLong);
  EXPECT_EQ(OpSetRange(db(), "new", 10, "x", 10, kNow).status(), OpStatus::kStringTooLong);
  EXPECT_EQ(db().Find("new", kNow), nullptr);
  EXPECT_EQ(*OpSetRange(db(), "s", 9, "x", 10, kNow), 10);
}

}  // namespace
}  // namespace ember::storage
