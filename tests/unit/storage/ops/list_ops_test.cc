#include "storage/ops/list_ops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/ops/string_ops.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
using End = ListValue::End;
using Values = std::vector<std::string_view>;
using Strings = std::vector<std::string>;

class ListOpsTest : public ::testing::Test {
 protected:
  Database& db() { return keyspace_.db(0); }
  Strings All(std::string_view key) { return *OpLRange(db(), key, 0, -1, kNow); }

  Keyspace keyspace_;
};

TEST_F(ListOpsTest, PushesEachValueInTurnAndReturnsTheLength) {
  EXPECT_EQ(*OpPush(db(), "l", End::kFront, Values{"a", "b", "c"}, false, kNow), 3);
  EXPECT_EQ(*OpPush(db(), "l", End::kBack, Values{"d"}, false, kNow), 4);
  EXPECT_EQ(All("l"), (Strings{"c", "b", "a", "d"}));
  EXPECT_EQ(*OpLLen(db(), "l", kNow), 4);
}

TEST_F(ListOpsTest, XFormsNeverCreateTheKey) {
  EXPECT_EQ(*OpPush(db(), "l", End::kFront, Values{"a"}, true, kNow), 0);
  EXPECT_EQ(db().Find("l", kNow), nullptr);
  ASSERT_TRUE(OpPush(db(), "l", End::kBack, Values{"a"}, false, kNow).ok());
  EXPECT_EQ(*OpPush(db(), "l", End::kBack, Values{"b", "c"}, true, kNow), 3);
}

TEST_F(ListOpsTest, PopsInPopOrderAndDeleteTheEmptiedKey) {
  ASSERT_TRUE(OpSet(db(), "other", "v", SetOptions{}, kNow).ok());  // the key table exists
  const size_t before = db().memory_bytes();
  ASSERT_TRUE(OpPush(db(), "l", End::kBack, Values{"1", "2", "3", "4"}, false, kNow).ok());
  EXPECT_EQ(*OpPop(db(), "l", End::kBack, 2, kNow), (Strings{"4", "3"}));
  EXPECT_EQ(*OpPop(db(), "l", End::kFront, 1, kNow), (Strings{"1"}));
  EXPECT_EQ(*OpPop(db(), "l", End::kFront, 0, kNow), Strings{});
  EXPECT_EQ(*OpPop(db(), "l", End::kFront, 10, kNow), (Strings{"2"}));
  EXPECT_EQ(db().Find("l", kNow), nullptr);
  EXPECT_EQ(db().memory_bytes(), before);
  EXPECT_EQ(OpPop(db(), "l", End::kFront, 1, kNow).status(), OpStatus::kKeyNotFound);
}

TEST_F(ListOpsTest, IndexAndRangeCountFromEitherEnd) {
  ASSERT_TRUE(OpPush(db(), "l", End::kBack, Values{"a", "b", "c", "d", "e"}, false, kNow).ok());
  EXPECT_EQ(*OpLIndex(db(), "l", 0, kNow), "a");
  EXPECT_EQ(*OpLIndex(db(), "l", -1, kNow), "e");
  EXPECT_EQ(OpLIndex(db(), "l", 5, kNow).status(), OpStatus::kKeyNotFound);
  EXPECT_EQ(OpLIndex(db(), "l", -6, kNow).status(), OpStatus::kKeyNotFound);
  EXPECT_EQ(*OpLRange(db(), "l", 1, 3, kNow), (Strings{"b", "c", "d"}));
  EXPECT_EQ(*OpLRange(db(), "l", -2, 100, kNow), (Strings{"d", "e"}));
  EXPECT_EQ(*OpLRange(db(), "l", -100, 0, kNow), (Strings{"a"}));
  EXPECT_EQ(*OpLRange(db(), "l", 3, 1, kNow), Strings{});
  EXPECT_EQ(*OpLRange(db(), "missing", 0, -1, kNow), Strings{});
}

TEST_F(ListOpsTest, NodesFollowTheDatabasesLimit) {
  EncodingLimits limits;
  limits.list_max_listpack_size = 2;
  keyspace_.set_encoding_limits(limits);
  ASSERT_TRUE(OpPush(db(), "l", End::kBack, Values{"a", "b", "c", "d", "e"}, false, kNow).ok());
  EXPECT_EQ(db().Find("l", kNow)->value().Read<ListValue>()->node_count(), 3u);
  EXPECT_EQ(All("l"), (Strings{"a", "b", "c", "d", "e"}));
}

TEST_F(ListOpsTest, EditsInsideTheList) {
  ASSERT_TRUE(OpPush(db(), "l", End::kBack, Values{"a", "b", "a", "c", "a"}, false, kNow).ok());
  EXPECT_TRUE(*OpLSet(db(), "l", -1, "z", kNow));
  EXPECT_EQ(OpLSet(db(), "l", 5, "x", kNow).status(), OpStatus::kOutOfRange);
  EXPECT_EQ(OpLSet(db(), "missing", 0, "x", kNow).status(), OpStatus::kKeyNotFound);
  EXPECT_EQ(*OpLInsert(db(), "l", true, "a", "after-a", kNow), 6);
  EXPECT_EQ(*OpLInsert(db(), "l", false, "nope", "x", kNow), -1);
  EXPECT_EQ(*OpLInsert(db(), "missing", false, "a", "x", kNow), 0);
  EXPECT_EQ(All("l"), (Strings{"a", "after-a", "b", "a", "c", "z"}));
  EXPECT_EQ(*OpLRem(db(), "l", -1, "a", kNow), 1);
  EXPECT_EQ(All("l"), (Strings{"a", "after-a", "b", "c", "z"}));
  EXPECT_EQ(*OpLTrim(db(), "l", 1, -2, kNow), 2);
  EXPECT_EQ(All("l"), (Strings{"after-a", "b", "c"}));
  EXPECT_EQ(*OpLRem(db(), "l", 0, "b", kNow), 1);
  EXPECT_EQ(*OpLTrim(db(), "l", 5, 1, kNow), 2);
  EXPECT_EQ(db().Find("l", kNow), nullptr);
}

TEST_F(ListOpsTest, PositionsOfMatchesFromEitherEnd) {
  ASSERT_TRUE(OpPush(db(), "l", End::kBack, Values{"x", "a", "x", "b", "x"}, false, kNow).ok());
  EXPECT_EQ(*OpLPos(db(), "l", "x", LPosOptions{}, kNow), (std::vector<int64_t>{0}));
  EXPECT_EQ(*OpLPos(db(), "l", "x", LPosOptions{.rank = -1, .count = 0}, kNow),
            (std::vector<int64_t>{4, 2, 0}));
  EXPECT_EQ(*OpLPos(db(), "l", "x", LPosOptions{.rank = 2, .count = 1}, kNow),
            (std::vector<int64_t>{2}));
  EXPECT_EQ(*OpLPos(db(), "l", "x", LPosOptions{.count = 0, .maxlen = 3}, kNow),
            (std::vector<int64_t>{0, 2}));
  EXPECT_TRUE(OpLPos(db(), "missing", "x", LPosOptions{}, kNow)->empty());
}

TEST_F(ListOpsTest, MoveBetweenListsAndRotateOne) {
  ASSERT_TRUE(OpPush(db(), "a", End::kBack, Values{"1", "2", "3"}, false, kNow).ok());
  EXPECT_EQ(*OpLMove(db(), "a", "a", End::kFront, End::kBack, kNow), "1");
  EXPECT_EQ(All("a"), (Strings{"2", "3", "1"}));
  EXPECT_EQ(*OpLMove(db(), "a", "b", End::kBack, End::kFront, kNow), "1");
  ASSERT_TRUE(OpSet(db(), "s", "v", SetOptions{}, kNow).ok());
  EXPECT_EQ(OpLMove(db(), "a", "s", End::kBack, End::kFront, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(All("a"), (Strings{"2", "3"}));  // nothing moved
  EXPECT_EQ(*OpLMove(db(), "a", "b", End::kFront, End::kBack, kNow), "2");
  EXPECT_EQ(*OpLMove(db(), "a", "b", End::kFront, End::kBack, kNow), "3");
  EXPECT_EQ(db().Find("a", kNow), nullptr);
  EXPECT_EQ(All("b"), (Strings{"1", "2", "3"}));
  EXPECT_EQ(OpLMove(db(), "a", "b", End::kFront, End::kBack, kNow).status(),
            OpStatus::kKeyNotFound);
}

TEST_F(ListOpsTest, OtherTypesAreWrongType) {
  ASSERT_TRUE(OpSet(db(), "s", "v", SetOptions{}, kNow).ok());
  EXPECT_EQ(OpPush(db(), "s", End::kBack, Values{"a"}, false, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpPush(db(), "s", End::kBack, Values{"a"}, true, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpPop(db(), "s", End::kBack, 1, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpLLen(db(), "s", kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpLIndex(db(), "s", 0, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpLRange(db(), "s", 0, -1, kNow).status(), OpStatus::kWrongType);
}

}  // namespace
}  // namespace ember::storage
