#include "storage/ops/lcs_math.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ember::storage::lcs {
namespace {

std::vector<std::vector<uint64_t>> Runs(const Result& result) {
  std::vector<std::vector<uint64_t>> runs;
  for (const Match& m : result.matches) {
    runs.push_back({m.a_first, m.a_last, m.b_first, m.b_last, m.length()});
  }
  return runs;
}

TEST(LcsMathTest, FindsRedisDocumentedExample) {
  auto result = Compute("ohmytext", "mynewtext", 0);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->sequence, "mytext");
  EXPECT_EQ(Runs(*result), (std::vector<std::vector<uint64_t>>{{4, 7, 5, 8, 4}, {2, 3, 0, 1, 2}}));
  EXPECT_EQ(Length("ohmytext", "mynewtext"), 6u);
}

TEST(LcsMathTest, MinMatchLengthDropsShortRunsButNotTheSequence) {
  auto result = Compute("ohmytext", "mynewtext", 4);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->sequence, "mytext");
  EXPECT_EQ(Runs(*result), (std::vector<std::vector<uint64_t>>{{4, 7, 5, 8, 4}}));
}

TEST(LcsMathTest, TiesStepAlongTheSecondString) {
  EXPECT_EQ(Compute("ab", "ba", 0)->sequence, "b");
  EXPECT_EQ(Compute("ba", "ab", 0)->sequence, "a");
  EXPECT_EQ(Compute("abcabc", "cbacba", 0)->sequence, "cbc");
  EXPECT_EQ(Compute("cbacba", "abcabc", 0)->sequence, "aba");
}

TEST(LcsMathTest, RunReachingTheStartOfEitherStringIsClosed) {
  auto result = Compute("aaaa", "aa", 0);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->sequence, "aa");
  EXPECT_EQ(Runs(*result), (std::vector<std::vector<uint64_t>>{{2, 3, 0, 1, 2}}));
  result = Compute("aa", "aaaa", 0);
  EXPECT_EQ(Runs(*result), (std::vector<std::vector<uint64_t>>{{0, 1, 2, 3, 2}}));
}

TEST(LcsMathTest, SingleByteRunsAreListedFromTheEnd) {
  auto result = Compute("xAyBzC", "ABC", 0);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(Runs(*result), (std::vector<std::vector<uint64_t>>{
                               {5, 5, 2, 2, 1}, {3, 3, 1, 1, 1}, {1, 1, 0, 0, 1}}));
}

TEST(LcsMathTest, EmptyAndDisjointInputsHaveNoRuns) {
  for (auto [a, b] :
       {std::pair{"", ""}, std::pair{"abc", ""}, std::pair{"", "abc"}, std::pair{"abc", "xyz"}}) {
    auto result = Compute(a, b, 0);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->sequence, "");
    EXPECT_TRUE(result->matches.empty());
    EXPECT_EQ(Length(a, b), 0u);
  }
}

TEST(LcsMathTest, BytesAreComparedAsBytes) {
  const std::string a(
      "a\0b\xff"
      "c",
      5);
  const std::string b(
      "\0\xff"
      "c",
      3);
  EXPECT_EQ(Compute(a, b, 0)->sequence, b);
  EXPECT_EQ(Length(a, b), 3u);
}

TEST(LcsMathTest, TwoRowLengthAgreesWithTheTable) {
  const std::string a = "The quick brown fox jumps over the lazy dog";
  const std::string b = "A quick brown dog jumps over the lazy fox";
  EXPECT_EQ(Length(a, b), Compute(a, b, 0)->sequence.size());
  EXPECT_EQ(Length(b, a), Compute(b, a, 0)->sequence.size());
  EXPECT_EQ(Length(a, b), 36u);
}

TEST(LcsMathTest, TableBytesCountsThirtyTwoBitCellsAndSaturates) {
  EXPECT_EQ(TableBytes(0, 0), 4u);
  EXPECT_EQ(TableBytes(2, 3), 3u * 4u * 4u);
  EXPECT_GT(TableBytes(12000, 12000), uint64_t{512} * 1024 * 1024);
  const size_t huge = std::numeric_limits<size_t>::max() / 2;
  EXPECT_EQ(TableBytes(huge, huge), std::numeric_limits<uint64_t>::max());
}

TEST(LcsMathTest, TooLongAtTheThirtyTwoBitLimit) {
  EXPECT_FALSE(TooLong(0));
  EXPECT_FALSE(TooLong(std::numeric_limits<uint32_t>::max() - 2));
  EXPECT_TRUE(TooLong(std::numeric_limits<uint32_t>::max() - 1));
}

}  // namespace
}  // namespace ember::storage::lcs
