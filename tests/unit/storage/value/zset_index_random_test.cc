// Randomized differential tests: ZSetIndex against ZSetModel, with fixed seeds, through
// growth to a three-level tree and a migrating map, and back down to empty.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "storage/value/zset_index.h"
#include "tests/unit/storage/value/zset_test_util.h"

namespace ember::storage {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Members from a small alphabet (with NUL and 0xff) and short lengths, so that prefixes,
// embedded NULs and the empty member all occur.
std::string RandomMember(std::mt19937_64& rng, size_t max_length) {
  static constexpr char kAlphabet[] = {'a', 'b', '\0', '\xff', 'z'};
  std::string member(rng() % (max_length + 1), ' ');
  for (char& c : member) c = kAlphabet[rng() % sizeof(kAlphabet)];
  return member;
}

// Scores with many ties, both zeros and both infinities.
double RandomScore(std::mt19937_64& rng) {
  static constexpr double kSpecial[] = {-kInf, kInf, -0.0, 0.0, 1.5, -2.25};
  if (rng() % 4 == 0) return kSpecial[rng() % std::size(kSpecial)];
  return static_cast<double>(static_cast<int64_t>(rng() % 200) - 100) / 4;
}

ZScoreBound RandomScoreBound(std::mt19937_64& rng) { return {RandomScore(rng), rng() % 2 == 0}; }

void ExpectQueriesMatch(const ZSetIndex& index, const ZSetModel& model, std::mt19937_64& rng) {
  const auto sorted = model.Sorted();
  for (int i = 0; i < 20; ++i) {
    const ZScoreBound min = RandomScoreBound(rng);
    const ZScoreBound max = RandomScoreBound(rng);
    const ZRankRange expected = ModelScoreRange(sorted, min, max);
    const ZRankRange actual = index.ScoreRange(min, max);
    ASSERT_EQ(actual.first, expected.first) << min.value << " " << max.value;
    ASSERT_EQ(actual.end, expected.end) << min.value << " " << max.value;
  }
  if (sorted.empty()) return;
  for (int i = 0; i < 20; ++i) {
    size_t start = rng() % sorted.size();
    size_t stop = rng() % sorted.size();
    if (start > stop) std::swap(start, stop);
    const ZOrder order = rng() % 2 == 0 ? ZOrder::kAscending : ZOrder::kDescending;
    const size_t limit = rng() % 50 + 1;  // fn stops the walk after `limit` entries
    std::vector<std::pair<double, std::string>> visited;
    index.Visit(start, stop, order, [&](std::string_view member, double score) {
      visited.emplace_back(score, std::string(member));
      return visited.size() < limit;
    });
    std::vector<std::pair<double, std::string>> expected;
    for (size_t k = 0; k <= stop - start && expected.size() < limit; ++k) {
      expected.push_back(sorted[order == ZOrder::kAscending ? start + k : stop - k]);
    }
    ASSERT_EQ(visited, expected);
  }
}

// One random change to both; insertions weigh `grow` out of 10.
void RandomChange(ZSetIndex& index, ZSetModel& model, std::mt19937_64& rng,
                  const std::vector<std::string>& pool, int grow) {
  const std::string& member = pool[rng() % pool.size()];
  const double score = RandomScore(rng);
  const int op = static_cast<int>(rng() % 10);
  if (op < grow) {
    if (rng() % 2 == 0) {
      ASSERT_EQ(index.Insert(member, score), !model.Contains(member));
      if (!model.Contains(member)) model.Set(member, score);
    } else {
      ZSetIndex::AddResult expected = ZSetIndex::AddResult::kAdded;
      if (model.Contains(member)) {
        expected = model.ScoreOf(member) == score ? ZSetIndex::AddResult::kUnchanged
                                                  : ZSetIndex::AddResult::kUpdated;
      }
      ASSERT_EQ(index.Add(member, score), expected);
      if (expected != ZSetIndex::AddResult::kUnchanged) model.Set(member, score);
    }
  } else if (op == 9 && model.size() > 0 && rng() % 8 == 0) {
    const size_t start = rng() % model.size();
    const size_t stop = std::min(model.size() - 1, start + rng() % 40);
    const std::vector<std::string> erased = model.MembersInRanks(start, stop);
    ASSERT_EQ(index.EraseRankRange(start, stop), stop - start + 1);
    for (const std::string& gone : erased) model.Erase(gone);
  } else if (op == 9 && model.size() > 0) {
    const bool min = rng() % 2 == 0;
    const auto expected = min ? model.Front() : model.Back();
    const auto popped = min ? index.PopMin() : index.PopMax();
    ASSERT_TRUE(popped.has_value());
    ASSERT_EQ(popped->first, expected.second);
    ASSERT_EQ(popped->second, expected.first);
    model.Erase(expected.second);
  } else if (op == 8) {
    const bool present = model.Contains(member);
    ASSERT_EQ(index.Update(member, score), present);
    if (present && model.ScoreOf(member) != score) model.Set(member, score);
  } else {
    ASSERT_EQ(index.Erase(member), model.Contains(member));
    model.Erase(member);
  }
}

TEST(ZSetIndexRandomTest, MatchesTheModelThroughRandomChanges) {
  std::mt19937_64 rng(20261203);
  std::vector<std::string> pool;
  for (int i = 0; i < 4000; ++i) pool.push_back(RandomMember(rng, 12));
  ZSetIndex index;
  ZSetModel model;
  for (int grow : {8, 5, 2}) {
    for (int batch = 0; batch < 15; ++batch) {
      for (int i = 0; i < 400; ++i) {
        ASSERT_NO_FATAL_FAILURE(RandomChange(index, model, rng, pool, grow));
      }
      ASSERT_NO_FATAL_FAILURE(ExpectMatchesModel(index, model));
      ASSERT_NO_FATAL_FAILURE(ExpectQueriesMatch(index, model, rng));
    }
  }
}

// Large enough for a three-level tree (more than 60 * 31 * 20 members) and several map
// resizes both ways; checked less often.
TEST(ZSetIndexRandomTest, MatchesTheModelAcrossThreeTreeLevels) {
  std::mt19937_64 rng(7);
  std::vector<std::string> pool;
  for (int i = 0; i < 70000; ++i) pool.push_back("m" + std::to_string(rng() % 1000000));
  ZSetIndex index;
  ZSetModel model;
  int peak_height = 0;
  for (int grow : {10, 9, 4, 0}) {
    for (int batch = 0; batch < 3; ++batch) {
      for (int i = 0; i < 20000; ++i) {
        ASSERT_NO_FATAL_FAILURE(RandomChange(index, model, rng, pool, grow));
      }
      peak_height = std::max(peak_height, index.tree_height());
      ASSERT_NO_FATAL_FAILURE(ExpectMatchesModel(index, model));
      ASSERT_NO_FATAL_FAILURE(ExpectQueriesMatch(index, model, rng));
    }
  }
  EXPECT_GE(peak_height, 3);
  std::vector<std::string> left;
  if (model.size() > 0) left = model.MembersInRanks(0, model.size() - 1);
  std::shuffle(left.begin(), left.end(), rng);
  for (const std::string& member : left) {
    ASSERT_TRUE(index.Erase(member));
    model.Erase(member);
    if (model.size() % 5000 == 0) {
      ASSERT_NO_FATAL_FAILURE(ExpectMatchesModel(index, model));
    }
  }
  EXPECT_EQ(index.heap_bytes(), 0u);
}

// All scores equal: LexRange against the model for random bounds of every kind.
TEST(ZSetIndexRandomTest, LexRangeMatchesTheModelWhenScoresAreEqual) {
  std::mt19937_64 rng(99);
  ZSetIndex index;
  ZSetModel model;
  auto random_bound = [&rng]() -> std::pair<ZLexBound, std::string> {
    std::string member = RandomMember(rng, 4);
    switch (rng() % 6) {
      case 0:
        return {{ZLexBound::Kind::kMinusInfinity, {}}, member};
      case 1:
        return {{ZLexBound::Kind::kPlusInfinity, {}}, member};
      case 2:
      case 3:
        return {{ZLexBound::Kind::kInclusive, {}}, member};
      default:
        return {{ZLexBound::Kind::kExclusive, {}}, member};
    }
  };
  // The model's rank of the first member not before `bound` (as a min) or past it (as a max).
  auto model_before = [](const std::vector<std::pair<double, std::string>>& sorted, ZLexBound bound,
                         bool is_max) {
    size_t before = 0;
    for (const auto& [score, member] : sorted) {
      bool counts = false;
      switch (bound.kind) {
        case ZLexBound::Kind::kMinusInfinity:
          counts = false;
          break;
        case ZLexBound::Kind::kPlusInfinity:
          counts = true;
          break;
        case ZLexBound::Kind::kInclusive:
          counts = is_max ? member <= bound.member : member < bound.member;
          break;
        case ZLexBound::Kind::kExclusive:
          counts = is_max ? member < bound.member : member <= bound.member;
          break;
      }
      if (counts) ++before;
    }
    return before;
  };
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 100; ++i) {
      const std::string member = RandomMember(rng, 6);
      if (rng() % 3 == 0) {
        index.Erase(member);
        model.Erase(member);
      } else {
        index.Add(member, 0);
        model.Set(member, 0);
      }
    }
    ASSERT_NO_FATAL_FAILURE(ExpectMatchesModel(index, model));
    const auto sorted = model.Sorted();
    for (int i = 0; i < 50; ++i) {
      auto [min, min_member] = random_bound();
      auto [max, max_member] = random_bound();
      min.member = min_member;
      max.member = max_member;
      const size_t first = model_before(sorted, min, false);
      const size_t end = std::max(first, model_before(sorted, max, true));
      const ZRankRange range = index.LexRange(min, max);
      ASSERT_EQ(range.first, first);
      ASSERT_EQ(range.end, end);
    }
  }
}

}  // namespace
}  // namespace ember::storage
