// Sorted-set operations on a keyspace: ZADD's options and outcomes, rank ranges in both
// orders with LIMIT, removal by range, pops, ZRANGESTORE, and ZRANDMEMBER's three ways of
// choosing, in both forms of a set. Replies and error texts are the side-by-side suite's job.
#include "storage/ops/zset_ops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/ops/string_ops.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
using Pairs = std::vector<std::pair<double, std::string_view>>;
using Members = std::vector<std::string>;

class ZSetOpsTest : public ::testing::TestWithParam<bool> {
 protected:
  // Each test runs with the default limits (packed) and with every set indexed.
  ZSetOpsTest() {
    EncodingLimits limits;
    if (GetParam()) limits.zset_max_listpack_entries = 0;
    keyspace_.set_encoding_limits(limits);
  }
  Database& db() { return keyspace_.db(0); }
  Members Range(std::string_view key, ZRangeSpec spec = {}) {
    Members out;
    const auto entries = OpZRange(db(), key, spec, kNow);
    for (const auto& [member, score] : *entries) out.push_back(member);
    return out;
  }

  Keyspace keyspace_;
};

TEST_P(ZSetOpsTest, AddCountsAddedAndUpdatedUnderTheOptions) {
  auto added = OpZAdd(db(), "z", Pairs{{1, "a"}, {2, "b"}}, {}, kNow);
  EXPECT_EQ(added->added, 2);
  auto nx = OpZAdd(db(), "z", Pairs{{5, "a"}, {3, "c"}}, {.nx = true}, kNow);
  EXPECT_EQ(nx->added, 1);
  EXPECT_EQ(nx->updated, 0);
  auto gt = OpZAdd(db(), "z", Pairs{{0, "a"}, {9, "b"}}, {.gt = true}, kNow);
  EXPECT_EQ(gt->updated, 1);
  EXPECT_EQ(Range("z"), (Members{"a", "c", "b"}));
  auto incr = OpZAdd(db(), "z", Pairs{{1.5, "a"}}, {.incr = true}, kNow);
  EXPECT_EQ(incr->incremented, 2.5);
  auto stopped = OpZAdd(db(), "z", Pairs{{1, "a"}}, {.xx = true, .lt = true, .incr = true}, kNow);
  EXPECT_FALSE(stopped->incremented.has_value());
  EXPECT_EQ(OpZAdd(db(), "none", Pairs{{1, "a"}}, {.xx = true}, kNow)->added, 0);
  EXPECT_EQ(db().Find("none", kNow), nullptr);
}

TEST_P(ZSetOpsTest, AnIncrementToNaNChangesNothing) {
  ASSERT_TRUE(OpZAdd(db(), "z", Pairs{{INFINITY, "a"}}, {}, kNow).ok());
  EXPECT_EQ(OpZAdd(db(), "z", Pairs{{-INFINITY, "a"}}, {.incr = true}, kNow).status(),
            OpStatus::kNanOrInfinity);
  EXPECT_EQ((*OpZScores(db(), "z", std::vector<std::string_view>{"a"}, kNow))[0], INFINITY);
}

TEST_P(ZSetOpsTest, RangesByRankScoreAndLexInBothOrdersWithLimit) {
  ASSERT_TRUE(OpZAdd(db(), "z", Pairs{{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}}, {}, kNow).ok());
  EXPECT_EQ(Range("z", {.start = 1, .stop = -2}), (Members{"b", "c"}));
  EXPECT_EQ(Range("z", {.reverse = true, .start = 0, .stop = 0}), (Members{"d"}));
  ZRangeSpec by_score{.by = ZRangeSpec::By::kScore, .score_min = {1, true}, .score_max = {4}};
  EXPECT_EQ(Range("z", by_score), (Members{"b", "c", "d"}));
  by_score.reverse = true;
  by_score.offset = 1;
  by_score.count = 1;
  EXPECT_EQ(Range("z", by_score), (Members{"c"}));
  ZRangeSpec by_lex{.by = ZRangeSpec::By::kLex,
                    .lex_min = {ZLexBound::Kind::kExclusive, "a"},
                    .lex_max = {ZLexBound::Kind::kInclusive, "c"}};
  EXPECT_EQ(Range("z", by_lex), (Members{"b", "c"}));
  EXPECT_EQ(*OpZCount(db(), "z", by_lex, kNow), 2);
  EXPECT_EQ(*OpZRank(db(), "z", "c", true, kNow), 1);
}

TEST_P(ZSetOpsTest, RemovingOrPoppingEverythingDeletesTheKey) {
  ASSERT_TRUE(OpZAdd(db(), "z", Pairs{{1, "a"}, {2, "b"}, {3, "c"}}, {}, kNow).ok());
  EXPECT_EQ(*OpZRemRange(db(), "z", {.start = 0, .stop = 0}, kNow), 1);
  const auto popped = OpZPop(db(), "z", true, 5, kNow);
  ASSERT_EQ(popped->size(), 2u);
  EXPECT_EQ((*popped)[0].first, "c");
  EXPECT_EQ((*popped)[1].first, "b");
  EXPECT_EQ(db().Find("z", kNow), nullptr);
  EXPECT_EQ(OpZPop(db(), "z", false, 1, kNow).status(), OpStatus::kKeyNotFound);
}

TEST_P(ZSetOpsTest, StoreReplacesTheDestinationAndDeletesItWhenEmpty) {
  ASSERT_TRUE(OpSet(db(), "dst", "string", SetOptions{}, kNow).ok());
  const std::vector<ScoredMember> entries = {{"x", 1}, {"y", 2}};
  EXPECT_EQ(OpZStore(db(), "dst", entries, kNow).stored, 2);
  EXPECT_EQ(Range("dst"), (Members{"x", "y"}));
  EXPECT_EQ(OpZStore(db(), "dst", {}, kNow).stored, 0);
  EXPECT_EQ(db().Find("dst", kNow), nullptr);
}

TEST_P(ZSetOpsTest, RandomMembersRepeatAreDistinctOrAreTheWholeSet) {
  Pairs pairs;
  std::vector<std::string> names;
  for (int i = 0; i < 50; ++i) names.push_back("m" + std::to_string(i));
  for (int i = 0; i < 50; ++i) pairs.emplace_back(i, names[i]);
  ASSERT_TRUE(OpZAdd(db(), "z", pairs, {}, kNow).ok());
  std::mt19937_64 rng(7);
  const auto whole = OpZRandMember(db(), "z", 80, rng, kNow);
  ASSERT_EQ(whole->size(), 50u);
  for (size_t i = 0; i < 50; ++i) EXPECT_EQ((*whole)[i].first, names[i]);
  for (int64_t count : {3, 20, 49}) {  // rejection, then shuffle
    const auto distinct = OpZRandMember(db(), "z", count, rng, kNow);
    std::set<std::string> seen;
    for (const auto& [member, score] : *distinct) {
      EXPECT_EQ(score, std::stod(member.substr(1)));
      seen.insert(member);
    }
    EXPECT_EQ(seen.size(), static_cast<size_t>(count));
  }
  const auto repeats = OpZRandMember(db(), "z", -200, rng, kNow);
  ASSERT_EQ(repeats->size(), 200u);
  std::set<std::string> seen;
  for (const auto& [member, score] : *repeats) seen.insert(member);
  EXPECT_LT(seen.size(), 200u);
  EXPECT_EQ(OpZRandMember(db(), "none", 1, rng, kNow).status(), OpStatus::kKeyNotFound);
}

INSTANTIATE_TEST_SUITE_P(Forms, ZSetOpsTest, ::testing::Bool(),
                         [](const auto& param) { return param.param ? "Index" : "Packed"; });

}  // namespace
}  // namespace ember::storage
