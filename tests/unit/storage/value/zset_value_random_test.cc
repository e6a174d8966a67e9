// Randomized differential tests: SortedSetValue against ZSetModel (zset_test_util.h), with
// fixed seeds, under small limits (so both forms and the conversion are exercised, with
// members longer than the value limit) and under the defaults.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/zset_value.h"
#include "tests/unit/storage/value/zset_test_util.h"

namespace ember::storage {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using AddResult = SortedSetValue::AddResult;
using Sorted = std::vector<std::pair<double, std::string>>;

EncodingLimits Limits(int64_t entries, int64_t value) {
  EncodingLimits limits;
  limits.zset_max_listpack_entries = entries;
  limits.zset_max_listpack_value = value;
  return limits;
}

// Members: integer-looking ones (stored as listpack integers), prefixes of each other, with
// NUL and 0xff bytes, the empty member, and some longer than `long_length`.
std::vector<std::string> MemberPool(size_t count, size_t long_length, bool with_long,
                                    std::mt19937& rng) {
  std::vector<std::string> pool = {"",
                                   "1",
                                   "10",
                                   "-5",
                                   "007",
                                   "100",
                                   "-10",
                                   "0",
                                   "a",
                                   "ab",
                                   "abc",
                                   std::string("a\0", 2),
                                   std::string("a\0b", 3),
                                   "\xff",
                                   "\xff\xff"};
  const std::string alphabet = std::string("ab1-0\xff", 6) + std::string(1, '\0');
  std::uniform_int_distribution<size_t> length(0, 6);
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  while (pool.size() < count) {
    std::string member;
    const bool long_one = with_long && rng() % 16 == 0;
    const size_t n = long_one ? long_length + 1 + rng() % 4 : std::min(length(rng), long_length);
    for (size_t i = 0; i < n; ++i) member += alphabet[letter(rng)];
    if (rng() % 5 == 0) member = std::to_string(static_cast<int>(rng() % 2000) - 1000);
    if (std::find(pool.begin(), pool.end(), member) == pool.end()) pool.push_back(member);
  }
  return pool;
}

// Scores with many ties and every special value.
double RandomScore(std::mt19937& rng) {
  static const double kSpecial[] = {-kInf, kInf, -0.0, 0.0, 0.1, -1.5, 1e300, -1e300, 1, 2};
  switch (rng() % 3) {
    case 0:
      return kSpecial[rng() % std::size(kSpecial)];
    case 1:
      return static_cast<double>(static_cast<int>(rng() % 11) - 5);
    default:
      return std::uniform_real_distribution<double>(-10, 10)(rng);
  }
}

ZScoreBound RandomScoreBound(std::mt19937& rng) { return {RandomScore(rng), rng() % 2 == 0}; }

ZLexBound RandomLexBound(const std::vector<std::string>& pool, std::mt19937& rng) {
  switch (rng() % 6) {
    case 0:
      return {ZLexBound::Kind::kMinusInfinity, {}};
    case 1:
      return {ZLexBound::Kind::kPlusInfinity, {}};
    case 2:
    case 3:
      return {ZLexBound::Kind::kInclusive, pool[rng() % pool.size()]};
    default:
      return {ZLexBound::Kind::kExclusive, pool[rng() % pool.size()]};
  }
}

bool BelowLexMin(const std::string& member, const ZLexBound& min) {
  switch (min.kind) {
    case ZLexBound::Kind::kMinusInfinity:
      return false;
    case ZLexBound::Kind::kPlusInfinity:
      return true;
    case ZLexBound::Kind::kInclusive:
      return member < min.member;
    case ZLexBound::Kind::kExclusive:
      return member <= min.member;
  }
  return false;
}

bool WithinLexMax(const std::string& member, const ZLexBound& max) {
  switch (max.kind) {
    case ZLexBound::Kind::kMinusInfinity:
      return false;
    case ZLexBound::Kind::kPlusInfinity:
      return true;
    case ZLexBound::Kind::kInclusive:
      return member <= max.member;
    case ZLexBound::Kind::kExclusive:
      return member < max.member;
  }
  return false;
}

// The model's answer to LexRange (all scores equal, so `sorted` is in member order).
ZRankRange ModelLexRange(const Sorted& sorted, const ZLexBound& min, const ZLexBound& max) {
  size_t first = 0;
  while (first < sorted.size() && BelowLexMin(sorted[first].second, min)) ++first;
  size_t end = first;
  while (end < sorted.size() && WithinLexMax(sorted[end].second, max)) ++end;
  return {first, end};
}

Sorted EntriesOf(const SortedSetValue& set) {
  Sorted out;
  if (set.Size() == 0) return out;
  set.Visit(0, set.Size() - 1, ZOrder::kAscending, [&](std::string_view member, double score) {
    out.emplace_back(score, std::string(member));
    return true;
  });
  return out;
}

// Everything without a bound: form, order, ranks, scores, absent members, accounting.
void ExpectMatches(const SortedSetValue& set, const ZSetModel& model, bool packed,
                   const std::vector<std::string>& pool) {
  ASSERT_EQ(set.Size(), model.size());
  ASSERT_EQ(set.packed(), packed);
  ASSERT_EQ(set.encoding(), packed ? CollectionEncoding::kListpack : CollectionEncoding::kSkiplist);
  const Sorted sorted = model.Sorted();
  ASSERT_EQ(EntriesOf(set), sorted);
  for (size_t rank = 0; rank < sorted.size(); ++rank) {
    const auto& [score, member] = sorted[rank];
    ASSERT_EQ(set.Rank(member), rank);
    const std::optional<double> found = set.Score(member);
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(*found, score);
    // A zero's sign depends on the form that stored it (the packed form keeps -0.0 as 0);
    // zset_value_test.cc checks it.
    if (score != 0) {
      ASSERT_EQ(std::signbit(*found), std::signbit(model.ScoreOf(member))) << member;
    }
    NumberBuffer scratch;
    const ZSetEntry entry = set.AtRank(rank, scratch);
    ASSERT_EQ(entry.member, member);
    ASSERT_EQ(entry.score, score);
  }
  for (const std::string& member : pool) {
    if (model.Contains(member)) continue;
    ASSERT_EQ(set.Score(member), std::nullopt);
    ASSERT_EQ(set.Rank(member), std::nullopt);
  }
  if (packed) {
    ASSERT_EQ(set.heap_bytes(),
              ChunkBytes(sizeof(SortedSetValue)) + set.packed_list()->HeapBytes());
  }
}

// Visits over random ranges both ways, stopping early, and score ranges.
void ExpectRangesMatch(const SortedSetValue& set, const ZSetModel& model, std::mt19937& rng) {
  const Sorted sorted = model.Sorted();
  if (!sorted.empty()) {
    for (int i = 0; i < 4; ++i) {
      size_t start = rng() % sorted.size();
      size_t stop = rng() % sorted.size();
      if (start > stop) std::swap(start, stop);
      const size_t limit = 1 + rng() % (stop - start + 2);  // may exceed the range
      const bool ascending = rng() % 2 == 0;
      std::vector<std::string> expected = model.MembersInRanks(start, stop);
      if (!ascending) std::reverse(expected.begin(), expected.end());
      if (expected.size() > limit) expected.resize(limit);
      std::vector<std::string> visited;
      set.Visit(start, stop, ascending ? ZOrder::kAscending : ZOrder::kDescending,
                [&](std::string_view member, double score) {
                  visited.emplace_back(member);
                  EXPECT_EQ(score, model.ScoreOf(std::string(member)));
                  return visited.size() < limit;
                });
      ASSERT_EQ(visited, expected) << start << ".." << stop << " limit " << limit;
    }
  }
  for (int i = 0; i < 6; ++i) {
    const ZScoreBound min = RandomScoreBound(rng);
    const ZScoreBound max = RandomScoreBound(rng);
    const ZRankRange got = set.ScoreRange(min, max);
    const ZRankRange want = ModelScoreRange(sorted, min, max);
    ASSERT_EQ(got.first, want.first) << min.value << " " << max.value;
    ASSERT_EQ(got.end, want.end) << min.value << " " << max.value;
  }
}

struct Run {
  EncodingLimits limits;
  uint32_t seed;
  size_t pool_size;
  int batches;
  bool with_long = true;  // members longer than the value limit in the pool
};

// What the index form must account: the object, the ZSetIndex object and the index's own
// blocks, as a shadow ZSetIndex given the same changes measures them.
size_t IndexFormBytes(const ZSetIndex& index) {
  return ChunkBytes(sizeof(SortedSetValue)) + ChunkBytes(sizeof(ZSetIndex)) + index.heap_bytes();
}

// ZSetIndex::Clone links each node into the map with one migration step where Insert takes
// two (Find, then Insert), so right after a resize the clone's map may still hold the old
// slot array that an index built by Insert has already freed. The documented bound: a clone
// costs what an index built by inserting its entries in order costs, or that plus exactly
// one slot array (8-byte slots, a power-of-two count of at least 8).
bool IsCloneOf(size_t clone_bytes, size_t rebuilt_bytes) {
  if (clone_bytes == rebuilt_bytes) return true;
  if (clone_bytes < rebuilt_bytes) return false;
  for (size_t slots = 8; slots <= (size_t{1} << 40); slots *= 2) {
    if (clone_bytes - rebuilt_bytes == ChunkBytes(slots * sizeof(uint64_t))) return true;
  }
  return false;
}

void RunDifferential(const Run& run) {
  std::mt19937 rng(run.seed);
  const EncodingLimits& limits = run.limits;
  const std::vector<std::string> pool = MemberPool(
      run.pool_size, static_cast<size_t>(limits.zset_max_listpack_value), run.with_long, rng);
  int conversions = 0;
  for (int round = 0; round < 3; ++round) {  // each round a fresh set
    SortedSetValue set(limits);
    ZSetModel model;
    bool packed = limits.zset_max_listpack_entries > 0;
    // The index the set holds once it converts: the packed entries inserted in order, then
    // the same changes. heap_bytes() must stay at IndexFormBytes(*shadow); `drift` records
    // the first difference seen so that later checks still test each change's accounting.
    std::unique_ptr<ZSetIndex> shadow = packed ? nullptr : std::make_unique<ZSetIndex>();
    std::optional<int64_t> drift;
    const bool growing_only = round == 0;  // round 0 tends to grow past the entry limit
    for (int batch = 0; batch < run.batches; ++batch) {
      for (int op = 0; op < 8; ++op) {
        const std::string& member = pool[rng() % pool.size()];
        const unsigned kind = rng() % 20;
        if (kind < 13 || growing_only) {
          const double score = RandomScore(rng);
          AddResult expected = AddResult::kAdded;
          if (model.Contains(member)) {
            expected = model.ScoreOf(member) == score ? AddResult::kUnchanged : AddResult::kUpdated;
          } else if (packed &&
                     (model.size() + 1 > static_cast<size_t>(limits.zset_max_listpack_entries) ||
                      member.size() > static_cast<size_t>(limits.zset_max_listpack_value))) {
            ++conversions;
            packed = false;
            shadow = std::make_unique<ZSetIndex>();
            for (const auto& [s, m] : model.Sorted()) shadow->Insert(m, s);
          }
          ASSERT_EQ(set.Add(member, score, limits), expected) << member << " " << score;
          if (expected != AddResult::kUnchanged) model.Set(member, score);
          if (shadow) shadow->Add(member, score);
        } else if (kind < 18) {
          ASSERT_EQ(set.Erase(member), model.Contains(member)) << member;
          model.Erase(member);
          if (shadow) shadow->Erase(member);
        } else if (model.size() > 0) {
          const size_t start = rng() % model.size();
          const size_t stop = std::min(model.size() - 1, start + rng() % 4);
          const std::vector<std::string> gone = model.MembersInRanks(start, stop);
          ASSERT_EQ(set.EraseRankRange(start, stop), gone.size());
          for (const std::string& m : gone) model.Erase(m);
          if (shadow) shadow->EraseRankRange(start, stop);
        }
      }
      ASSERT_NO_FATAL_FAILURE(ExpectMatches(set, model, packed, pool)) << "batch " << batch;
      ASSERT_NO_FATAL_FAILURE(ExpectRangesMatch(set, model, rng)) << "batch " << batch;
      if (shadow) {
        const int64_t now =
            static_cast<int64_t>(set.heap_bytes()) - static_cast<int64_t>(IndexFormBytes(*shadow));
        if (!drift) {
          EXPECT_EQ(now, 0) << "index-form heap_bytes() off after the conversion, round " << round;
          drift = now;
        }
        ASSERT_EQ(now, *drift) << "index-form heap_bytes() changed unlike the index's, batch "
                               << batch;
      }
      if (batch % 10 == 0) {
        const std::unique_ptr<Collection> clone = set.Clone();
        const auto& copy = static_cast<const SortedSetValue&>(*clone);
        ASSERT_NO_FATAL_FAILURE(ExpectMatches(copy, model, packed, pool)) << "clone " << batch;
        if (!packed) {
          ZSetIndex rebuilt;
          for (const auto& [s, m] : model.Sorted()) rebuilt.Insert(m, s);
          ASSERT_TRUE(IsCloneOf(copy.heap_bytes(), IndexFormBytes(rebuilt)))
              << copy.heap_bytes() << " vs " << IndexFormBytes(rebuilt) << ", clone " << batch;
        }
      }
    }
  }
  if (limits.zset_max_listpack_entries > 0) {
    EXPECT_GT(conversions, 0);
  }
}

TEST(SortedSetValueRandomTest, MatchesTheModelUnderSmallLimits) {
  RunDifferential({Limits(16, 8), 20240601u, 40, 60});
}

TEST(SortedSetValueRandomTest, MatchesTheModelUnderSmallLimitsWithAnotherSeed) {
  RunDifferential({Limits(5, 3), 7u, 24, 60});
}

TEST(SortedSetValueRandomTest, MatchesTheModelUnderDefaultLimits) {
  RunDifferential({Limits(128, 64), 99u, 300, 50});
}

// Without long members the default set converts only past 128 entries.
TEST(SortedSetValueRandomTest, MatchesTheModelUnderDefaultLimitsPastTheEntryLimit) {
  RunDifferential({Limits(128, 64), 5u, 200, 40, /*with_long=*/false});
}

TEST(SortedSetValueRandomTest, MatchesTheModelAsAnIndexFromTheStart) {
  RunDifferential({Limits(0, 64), 3u, 120, 30});
}

// ZRANGEBYLEX's premise: every score equal. Bounds -, +, [member and (member.
void RunLexDifferential(const EncodingLimits& limits, uint32_t seed, double score) {
  std::mt19937 rng(seed);
  const std::vector<std::string> pool =
      MemberPool(60, static_cast<size_t>(limits.zset_max_listpack_value), false, rng);
  SortedSetValue set(limits);
  ZSetModel model;
  bool saw_packed = false;
  bool saw_index = false;
  for (int batch = 0; batch < 60; ++batch) {
    for (int op = 0; op < 6; ++op) {
      const std::string& member = pool[rng() % pool.size()];
      if (rng() % 4 != 0) {
        set.Add(member, score, limits);
        model.Set(member, score);
      } else {
        set.Erase(member);
        model.Erase(member);
      }
    }
    (set.packed() ? saw_packed : saw_index) = true;
    const Sorted sorted = model.Sorted();
    ASSERT_EQ(EntriesOf(set), sorted);
    for (int i = 0; i < 10; ++i) {
      const ZLexBound min = RandomLexBound(pool, rng);
      const ZLexBound max = RandomLexBound(pool, rng);
      const ZRankRange got = set.LexRange(min, max);
      const ZRankRange want = ModelLexRange(sorted, min, max);
      ASSERT_EQ(got.first, want.first) << "batch " << batch << " packed " << set.packed();
      ASSERT_EQ(got.end, want.end) << "batch " << batch << " packed " << set.packed();
    }
  }
  EXPECT_TRUE(saw_packed);
  EXPECT_TRUE(saw_index);
}

TEST(SortedSetValueRandomTest, LexRangeMatchesTheModelWithEqualScores) {
  RunLexDifferential(Limits(16, 8), 11u, 0.0);
  RunLexDifferential(Limits(16, 8), 12u, -kInf);
  RunLexDifferential(Limits(16, 8), 13u, 0.1);
}

}  // namespace
}  // namespace ember::storage
