#include "storage/ops/sort_ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/ops/hash_ops.h"
#include "storage/ops/list_ops.h"
#include "storage/ops/set_ops.h"
#include "storage/ops/string_ops.h"
#include "storage/ops/zset_ops.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
const std::optional<std::string> kNil;

class SortOpsTest : public ::testing::Test {
 protected:
  Database& db() { return keyspace_.db(0); }

  void Push(std::string_view key, std::vector<std::string_view> values) {
    ASSERT_TRUE(OpPush(db(), key, ListValue::End::kBack, values, false, kNow).ok());
  }
  void Set(std::string_view key, std::string_view value) {
    ASSERT_TRUE(OpSet(db(), key, value, SetOptions{}, kNow).ok());
  }

  // The values OpSort gives, nil as "<nil>"; "<error>" for a score error.
  std::vector<std::string> Sort(std::string_view key, const SortRequest& request) {
    auto result = OpSort(db(), key, request, kNow);
    EXPECT_TRUE(result.ok());
    if (!result.ok()) return {};
    if (result->score_error) return {"<error>"};
    std::vector<std::string> out;
    for (const auto& value : result->values) out.push_back(value.value_or("<nil>"));
    return out;
  }

  std::vector<std::string> Range(std::string_view key) { return *OpLRange(db(), key, 0, -1, kNow); }

  Keyspace keyspace_;
};

using Strings = std::vector<std::string>;

TEST_F(SortOpsTest, SortsAListNumericallyAndAlphabetically) {
  Push("l", {"3", "1", "10", "2"});
  EXPECT_EQ(Sort("l", {}), (Strings{"1", "2", "3", "10"}));
  EXPECT_EQ(Sort("l", {.alpha = true}), (Strings{"1", "10", "2", "3"}));
  EXPECT_EQ(Sort("l", {.desc = true, .limit_offset = 1, .limit_count = 2}), (Strings{"3", "2"}));
}

TEST_F(SortOpsTest, ANonNumberFailsANumericSort) {
  Push("l", {"1", "x"});
  EXPECT_EQ(Sort("l", {}), (Strings{"<error>"}));
  EXPECT_EQ(Sort("l", {.alpha = true}), (Strings{"1", "x"}));
}

TEST_F(SortOpsTest, WrongTypeAndMissingKey) {
  Set("s", "v");
  EXPECT_EQ(OpSort(db(), "s", {}, kNow).status(), OpStatus::kWrongType);
  EXPECT_TRUE(Sort("missing", {.by = "nosort"}).empty());
}

TEST_F(SortOpsTest, ByPatternReadsStringsAndHashFields) {
  Push("ids", {"1", "2", "3"});
  Set("w_1", "30");
  Set("w_2", "10");
  Set("w_3", "20");
  EXPECT_EQ(Sort("ids", {.by = "w_*"}), (Strings{"2", "3", "1"}));
  std::vector<std::string_view> fields = {"age", "9"};
  ASSERT_TRUE(OpHSet(db(), "o_1", fields, kNow).ok());
  // Missing weights sort as 0; ties order by the elements.
  EXPECT_EQ(Sort("ids", {.by = "o_*->age"}), (Strings{"2", "3", "1"}));
  EXPECT_EQ(Sort("ids", {.by = "o_*->age", .gets = {"#", "o_*->age", "w_*"}}),
            (Strings{"2", "<nil>", "10", "3", "<nil>", "20", "1", "9", "30"}));
}

TEST_F(SortOpsTest, NoSortKeepsListOrderAndReversesForDesc) {
  Push("l", {"c", "a", "b", "d"});
  EXPECT_EQ(Sort("l", {.by = "nosort"}), (Strings{"c", "a", "b", "d"}));
  EXPECT_EQ(Sort("l", {.by = "nosort", .desc = true}), (Strings{"d", "b", "a", "c"}));
  EXPECT_EQ(Sort("l", {.by = "nosort", .limit_offset = 1, .limit_count = 2}), (Strings{"a", "b"}));
  EXPECT_EQ(Sort("l", {.by = "nosort", .desc = true, .limit_offset = 1, .limit_count = 2}),
            (Strings{"b", "a"}));
}

TEST_F(SortOpsTest, NoSortOnASortedSetTakesTheRankRange) {
  std::vector<std::pair<double, std::string_view>> pairs = {
      {3, "c"}, {1, "a"}, {2, "b"}, {4, "d"}, {5, "e"}};
  ASSERT_TRUE(OpZAdd(db(), "z", pairs, {}, kNow).ok());
  EXPECT_EQ(Sort("z", {.by = "nosort", .limit_offset = 1, .limit_count = 2}), (Strings{"b", "c"}));
  EXPECT_EQ(Sort("z", {.by = "nosort", .desc = true, .limit_offset = 1, .limit_count = 2}),
            (Strings{"d", "c"}));
  EXPECT_EQ(Sort("z", {.by = "nosort", .desc = true, .limit_offset = 4, .limit_count = 9}),
            (Strings{"a"}));
  EXPECT_EQ(Sort("z", {.alpha = true, .desc = true}), (Strings{"e", "d", "c", "b", "a"}));
}

TEST_F(SortOpsTest, NoSortOnASetIsSortedWhenTheResultMustBeDeterministic) {
  std::vector<std::string_view> members = {"pear", "apple", "fig"};
  ASSERT_TRUE(OpSAdd(db(), "s", members, kNow).ok());
  EXPECT_EQ(Sort("s", {.by = "nosort", .deterministic = true}), (Strings{"apple", "fig", "pear"}));
  Strings unordered = Sort("s", {.by = "nosort"});
  std::sort(unordered.begin(), unordered.end());
  EXPECT_EQ(unordered, (Strings{"apple", "fig", "pear"}));
}

TEST_F(SortOpsTest, StoreReplacesAnyTypeAndDeletesOnEmpty) {
  Set("dst", "old");
  std::vector<std::optional<std::string>> values = {"b", kNil, "a"};
  EXPECT_EQ(OpStoreSortResult(db(), "dst", values, kNow), SortStoreEffect::kStored);
  EXPECT_EQ(Range("dst"), (Strings{"b", "", "a"}));
  EXPECT_EQ(OpStoreSortResult(db(), "dst", {}, kNow), SortStoreEffect::kDeleted);
  EXPECT_EQ(db().FindStored("dst"), nullptr);
  EXPECT_EQ(OpStoreSortResult(db(), "dst", {}, kNow), SortStoreEffect::kNone);
}

}  // namespace
}  // namespace ember::storage
