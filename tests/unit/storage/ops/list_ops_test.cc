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
