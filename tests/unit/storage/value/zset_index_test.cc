#include "storage/value/zset_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "tests/unit/storage/value/zset_test_util.h"

namespace ember::storage {
namespace {

using namespace std::string_literals;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<std::string> Members(const ZSetIndex& index) {
  std::vector<std::string> members;
  for (const auto& [score, member] : Entries(index)) members.push_back(member);
  return members;
}

TEST(ZSetIndexTest, EmptyIndexAnswersEveryQuery) {
  ZSetIndex index;
  EXPECT_EQ(index.Size(), 0u);
  EXPECT_EQ(index.heap_bytes(), 0u);
  EXPECT_EQ(index.Find("a"), std::nullopt);
  EXPECT_EQ(index.Rank("a"), std::nullopt);
  EXPECT_FALSE(index.Erase("a"));
  EXPECT_FALSE(index.Update("a", 1));
  EXPECT_EQ(index.PopMin(), std::nullopt);
  EXPECT_EQ(index.PopMax(), std::nullopt);
  EXPECT_EQ(index.ScoreRange({-kInf}, {kInf}).count(), 0u);
  const ZRankRange lex =
      index.LexRange({ZLexBound::Kind::kMinusInfinity, {}}, {ZLexBound::Kind::kPlusInfinity, {}});
  EXPECT_EQ(lex.count(), 0u);
  EXPECT_EQ(index.CheckInvariants(), "");
  EXPECT_EQ(index.Clone()->Size(), 0u);
}

TEST(ZSetIndexTest, EqualScoresOrderByMemberBytesThenLength) {
  ZSetIndex index;
  const std::vector<std::string> expected = {"",   "\0"s, "a", "a\0"s, "a\0b"s,
                                             "ab", "abc", "b", "\x7f", "\xff"};
  for (auto it = expected.rbegin(); it != expected.rend(); ++it) {
    ASSERT_TRUE(index.Insert(*it, 1));
  }
  EXPECT_EQ(Members(index), expected);
  for (size_t rank = 0; rank < expected.size(); ++rank) {
    EXPECT_EQ(index.Rank(expected[rank]), rank);
  }
  EXPECT_EQ(index.Find(""), 1.0);
  EXPECT_EQ(index.Find("a\0"s), 1.0);
  EXPECT_EQ(index.Find("a\0c"s), std::nullopt);
  EXPECT_EQ(index.CheckInvariants(), "");
}

TEST(ZSetIndexTest, ScoresOrderBeforeMembersWithInfinitiesAtTheEnds) {
  ZSetIndex index;
  index.Insert("z", -kInf);
  index.Insert("a", kInf);
  index.Insert("m", 0);
  index.Insert("b", -1e308);
  index.Insert("y", 1e308);
  EXPECT_EQ(Members(index), (std::vector<std::string>{"z", "b", "m", "y", "a"}));
  EXPECT_EQ(index.ScoreRange({-kInf}, {-kInf}).count(), 1u);
  EXPECT_EQ(index.ScoreRange({-kInf, true}, {kInf, true}).count(), 3u);
  EXPECT_EQ(index.ScoreRange({kInf}, {kInf}).first, 4u);
  EXPECT_EQ(index.ScoreRange({1}, {-1}).count(), 0u);
  EXPECT_EQ(index.ScoreRange({0, true}, {0}).count(), 0u);
}

TEST(ZSetIndexTest, NegativeZeroAndZeroAreOneScore) {
  ZSetIndex index;
  ASSERT_TRUE(index.Insert("b", -0.0));
  ASSERT_TRUE(index.Insert("a", 0.0));
  // Equal scores: member order decides, whichever zero each holds.
  EXPECT_EQ(Members(index), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(index.Add("b", 0.0), ZSetIndex::AddResult::kUnchanged);
  EXPECT_TRUE(std::signbit(*index.Find("b")));  // unchanged means the stored -0.0 stays
  EXPECT_EQ(index.ScoreRange({-0.0}, {0.0}).count(), 2u);
  EXPECT_EQ(index.ScoreRange({0.0, true}, {kInf}).count(), 0u);
  EXPECT_EQ(index.ScoreRange({-kInf}, {-0.0, true}).count(), 0u);
  EXPECT_EQ(index.Rank("b"), 1u);
  EXPECT_TRUE(index.Erase("b"));
  EXPECT_EQ(index.CheckInvariants(), "");
}

TEST(ZSetIndexTest, UpdatingToTheSameScoreChangesNothing) {
  ZSetIndex index;
  for (int i = 0; i < 300; ++i) index.Insert("m" + std::to_string(i), i % 7);
  const auto before = Entries(index);
  const size_t bytes = index.heap_bytes();
  EXPECT_EQ(index.Add("m5", 5), ZSetIndex::AddResult::kUnchanged);
  EXPECT_TRUE(index.Update("m5", 5));
  EXPECT_FALSE(index.Insert("m5", 99));  // Insert never overwrites
  EXPECT_EQ(Entries(index), before);
  EXPECT_EQ(index.heap_bytes(), bytes);
  EXPECT_EQ(index.Add("m5", -3), ZSetIndex::AddResult::kUpdated);
  EXPECT_EQ(index.Rank("m5"), 0u);
  EXPECT_EQ(index.Find("m5"), -3.0);
  EXPECT_EQ(index.CheckInvariants(), "");
}

TEST(ZSetIndexTest, VeryLongMembersKeepTheirBytesAndOrder) {
  ZSetIndex index;
  ZSetModel model;
  std::string base(100 * 1024, 'x');
  base[50000] = '\0';
  for (char last : {'c', 'a', 'b', '\0'}) {
    std::string member = base + last;
    index.Insert(member, 2);
    model.Set(member, 2);
  }
  index.Insert(base, 2);  // a prefix of all the others
  model.Set(base, 2);
  ExpectMatchesModel(index, model);
  EXPECT_EQ(index.AtRank(0).member, base);
  EXPECT_EQ(index.AtRank(1).member, base + '\0');
  EXPECT_EQ(index.AtRank(4).member.size(), base.size() + 1);
  EXPECT_TRUE(index.Erase(base + 'a'));
  model.Erase(base + 'a');
  ExpectMatchesModel(index, model);
}

TEST(ZSetIndexTest, HeapBytesMatchARecountAndReturnToZero) {
  ZSetIndex index;
  ZSetModel model;
  for (int i = 0; i < 5000; ++i) {
    std::string member(static_cast<size_t>(i % 97), static_cast<char>('a' + i % 26));
    member += std::to_string(i);
    index.Insert(member, i % 13);
    model.Set(member, i % 13);
  }
  ExpectMatchesModel(index, model);  // node bytes against the model, the rest by structure
  EXPECT_GT(index.heap_bytes(), model.NodeBytes());
  for (int i = 0; i < 5000; i += 2) {
    std::string member(static_cast<size_t>(i % 97), static_cast<char>('a' + i % 26));
    member += std::to_string(i);
    ASSERT_TRUE(index.Erase(member));
    model.Erase(member);
  }
  ExpectMatchesModel(index, model);
  EXPECT_EQ(index.EraseRankRange(0, index.Size() - 1), 2500u);
  EXPECT_EQ(index.heap_bytes(), 0u);
  EXPECT_EQ(index.CheckInvariants(), "");
}

TEST(ZSetIndexTest, EraseRankRangeRemovesExactlyThatSlice) {
  ZSetIndex index;
  for (int i = 0; i < 1000; ++i) index.Insert("k" + std::to_string(1000 + i), i);
  EXPECT_EQ(index.EraseRankRange(100, 899), 800u);
  EXPECT_EQ(index.Size(), 200u);
  EXPECT_EQ(index.AtRank(99).member, "k1099");
  EXPECT_EQ(index.AtRank(100).member, "k1900");
  EXPECT_EQ(index.Find("k1500"), std::nullopt);
  EXPECT_EQ(index.CheckInvariants(), "");
  EXPECT_EQ(index.PopMin()->first, "k1000");
  EXPECT_EQ(index.PopMax()->first, "k1999");
}

TEST(ZSetIndexTest, CloneIsEqualAndIndependent) {
  ZSetIndex index;
  for (int i = 0; i < 3000; ++i) index.Insert("c" + std::to_string(i), (i * 37) % 101);
  std::unique_ptr<ZSetIndex> copy = index.Clone();
  EXPECT_EQ(copy->CheckInvariants(), "");
  EXPECT_EQ(Entries(*copy), Entries(index));
  EXPECT_EQ(copy->node_bytes(), index.node_bytes());
  const auto before = Entries(index);
  copy->Erase("c1");
  copy->Add("c2", -1);
  copy->Insert("new", 0);
  EXPECT_EQ(Entries(index), before);
  EXPECT_EQ(index.Find("c2"), (2 * 37) % 101);
  EXPECT_EQ(copy->Find("c1"), std::nullopt);
  EXPECT_EQ(copy->Find("c2"), -1.0);
  index.EraseRankRange(0, index.Size() - 1);
  EXPECT_EQ(copy->Size(), 3000u);
  EXPECT_EQ(copy->CheckInvariants(), "");
}

TEST(ZSetIndexTest, VisitWalksBothWaysAndStopsWhenAsked) {
  ZSetIndex index;
  for (int i = 0; i < 500; ++i) index.Insert("v" + std::to_string(i), i);
  std::vector<double> scores;
  index.Visit(10, 400, ZOrder::kDescending, [&](std::string_view, double score) {
    scores.push_back(score);
    return scores.size() < 3;
  });
  EXPECT_EQ(scores, (std::vector<double>{400, 399, 398}));
  scores.clear();
  index.Visit(0, 499, ZOrder::kAscending, [&](std::string_view, double score) {
    scores.push_back(score);
    return true;
  });
  ASSERT_EQ(scores.size(), 500u);
  EXPECT_EQ(scores.front(), 0);
  EXPECT_EQ(scores.back(), 499);
}

}  // namespace
}  // namespace ember::storage
