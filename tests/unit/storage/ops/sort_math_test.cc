#include "storage/ops/sort_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace ember::storage::sort {
namespace {

TEST(SortMathTest, ParseScoreReadsWhatStrtodReads) {
  EXPECT_EQ(ParseScore("3"), 3.0);
  EXPECT_EQ(ParseScore("-0.5"), -0.5);
  EXPECT_EQ(ParseScore("1e2"), 100.0);
  EXPECT_EQ(ParseScore(" 42"), 42.0);
  EXPECT_EQ(ParseScore("0x10"), 16.0);
  EXPECT_EQ(ParseScore(""), 0.0);
  EXPECT_EQ(ParseScore("inf"), INFINITY);
  EXPECT_EQ(ParseScore("-inf"), -INFINITY);
  EXPECT_EQ(ParseScore(std::string("5\0x", 3)), 5.0);
}

TEST(SortMathTest, ParseScoreRefusesTrailingBytesNanAndRangeErrors) {
  EXPECT_FALSE(ParseScore("1 ").has_value());
  EXPECT_FALSE(ParseScore("abc").has_value());
  EXPECT_FALSE(ParseScore("1x").has_value());
  EXPECT_FALSE(ParseScore("nan").has_value());
  EXPECT_FALSE(ParseScore("1e400").has_value());
  EXPECT_FALSE(ParseScore("1e-400").has_value());
}

TEST(SortMathTest, ClampLimitFollowsRedis) {
  auto window = [](int64_t offset, int64_t count, int64_t size) {
    Window w = ClampLimit(offset, count, size);
    return std::vector<int64_t>{w.start, w.count};
  };
  EXPECT_EQ(window(0, -1, 10), (std::vector<int64_t>{0, 10}));
  EXPECT_EQ(window(2, 3, 10), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(window(8, 5, 10), (std::vector<int64_t>{8, 2}));
  EXPECT_EQ(window(10, 1, 10)[1], 0);
  EXPECT_EQ(window(-5, 3, 10), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(window(5, 0, 10)[1], 0);
  EXPECT_EQ(window(3, -10, 10), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(window(0, -1, 0)[1], 0);
  EXPECT_EQ(window(INT64_MAX, INT64_MAX, 10)[1], 0);
  EXPECT_EQ(window(INT64_MIN, INT64_MIN, 10), (std::vector<int64_t>{0, 10}));
}

TEST(SortMathTest, PatternKinds) {
  EXPECT_EQ(Pattern("#").kind(), Pattern::Kind::kElement);
  EXPECT_EQ(Pattern("nosort").kind(), Pattern::Kind::kNoKey);
  EXPECT_EQ(Pattern("##").kind(), Pattern::Kind::kNoKey);
  EXPECT_EQ(Pattern("w_*").kind(), Pattern::Kind::kString);
  EXPECT_EQ(Pattern("*->").kind(), Pattern::Kind::kString);
  EXPECT_EQ(Pattern("->a*").kind(), Pattern::Kind::kString);
  EXPECT_EQ(Pattern("obj_*->age").kind(), Pattern::Kind::kHashField);
}

TEST(SortMathTest, PatternReplacesOnlyTheFirstStarAndSplitsTheField) {
  EXPECT_EQ(Pattern("x_*_y").KeyFor("3"), "x_3_y");
  EXPECT_EQ(Pattern("pre_**").KeyFor("1"), "pre_1*");
  EXPECT_EQ(Pattern("*->").KeyFor("1"), "1->");
  Pattern nested("hh_*->a->b");
  EXPECT_EQ(nested.KeyFor("1"), "hh_1");
  EXPECT_EQ(nested.field(), "a->b");
  Pattern after("o_*x->f");
  EXPECT_EQ(after.KeyFor("2"), "o_2x");
  EXPECT_EQ(after.field(), "f");
}

std::vector<std::string> Sorted(std::vector<Item> items, const Order& order) {
  SortItems(items, order);
  std::vector<std::string> out;
  for (const Item& item : items) out.push_back(item.element);
  return out;
}

Item Numeric(std::string element) { return {element, *ParseScore(element), std::nullopt}; }

TEST(SortMathTest, NumericTiesOrderByBytes) {
  std::vector<Item> items = {Numeric("1.0"), Numeric("1"), Numeric("01"), Numeric("1e0"),
                             Numeric("-2")};
  EXPECT_EQ(Sorted(items, {}), (std::vector<std::string>{"-2", "01", "1", "1.0", "1e0"}));
  EXPECT_EQ(Sorted(items, {.desc = true}),
            (std::vector<std::string>{"1e0", "1.0", "1", "01", "-2"}));
}

TEST(SortMathTest, AlphaCollationStopsAtNulButBinaryDoesNot) {
  const Item a{std::string("a\0b", 3), 0, std::nullopt};
  const Item b{std::string("a\0a", 3), 0, std::nullopt};
  EXPECT_EQ(Compare(a, b, {.alpha = true}), 0);
  EXPECT_GT(Compare(a, b, {.alpha = true, .binary = true}), 0);
  EXPECT_LT(Compare(b, a, {.alpha = true, .binary = true, .desc = false}), 0);
  EXPECT_GT(Compare(b, a, {.alpha = true, .binary = true, .desc = true}), 0);
}

TEST(SortMathTest, AlphaByPatternPutsMissingWeightsFirstAndKeepsTiesInOrder) {
  std::vector<Item> items = {
      {"1", 0, std::nullopt}, {"2", 0, "bbb"}, {"3", 0, std::nullopt}, {"4", 0, "aaa"}};
  const Order order{.alpha = true, .by_pattern = true};
  EXPECT_EQ(Sorted(items, order), (std::vector<std::string>{"1", "3", "4", "2"}));
  Order desc = order;
  desc.desc = true;
  EXPECT_EQ(Sorted(items, desc), (std::vector<std::string>{"2", "4", "1", "3"}));
}

}  // namespace
}  // namespace ember::storage::sort
