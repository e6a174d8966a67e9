#include "storage/ops/bitmap_ops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/ops/set_ops.h"
#include "storage/ops/string_ops.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

using Kind = BitFieldOp::Kind;
using bitmap::Overflow;

class BitmapOpsTest : public ::testing::Test {
 protected:
  Database& db() { return keyspace_.db(0); }

  std::string Get(std::string_view key) {
    NumberBuffer scratch;
    auto result = OpGet(db(), key, kNow, scratch);
    if (result.status() == OpStatus::kKeyNotFound) return "<none>";
    EXPECT_TRUE(result.ok());
    return std::string(*result);
  }

  void Set(std::string_view key, std::string_view value) {
    ASSERT_TRUE(OpSet(db(), key, value, SetOptions{}, kNow).ok());
  }

  Keyspace keyspace_;
};

TEST_F(BitmapOpsTest, SetBitCreatesAndZeroFillsUpToItsByte) {
  auto result = OpSetBit(db(), "k", 20, true, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->old_bit);
  EXPECT_TRUE(result->changed);
  EXPECT_EQ(Get("k"), std::string("\x00\x00\x08", 3));
}

TEST_F(BitmapOpsTest, SetBitLeavingTheBitAsItWasChangesNothing) {
  Set("k", "@");
  auto result = OpSetBit(db(), "k", 1, true, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->old_bit);
  EXPECT_FALSE(result->changed);
  // Clearing a bit past the end still grows the string.
  result = OpSetBit(db(), "k", 15, false, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->changed);
  EXPECT_EQ(Get("k"), std::string("@\x00", 2));
}

TEST_F(BitmapOpsTest, SetBitOnAnIntegerEditsItsText) {
  Set("n", "9");  // '9' is 0x39
  ASSERT_TRUE(OpSetBit(db(), "n", 7, false, kNow).ok());
  EXPECT_EQ(Get("n"), "8");
}

TEST_F(BitmapOpsTest, SetBitLongStringsStayInPlace) {
  const std::string long_value(1000, 'a');
  Set("k", long_value);
  ASSERT_TRUE(OpSetBit(db(), "k", 8 * 999 + 7, false, kNow).ok());
  EXPECT_EQ(Get("k"), long_value.substr(0, 999) + "`");
}

TEST_F(BitmapOpsTest, BitOpStoresAsBytesAndDropsTheTtl) {
  Set("a", "12");
  ASSERT_TRUE(OpSet(db(), "d", "v", SetOptions{.expire_at_ms = kNow + 100000}, kNow).ok());
  const std::vector<std::string_view> sources = {"a", "missing"};
  auto result = OpBitOp(db(), bitmap::BitOperation::kOr, "d", sources, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->length, 2);
  EXPECT_EQ(result->effect, BitOpEffect::kStored);
  EXPECT_EQ(Get("d"), "12");
  Entry* entry = db().Find("d", kNow);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(db().GetExpire(entry), -1);
  EXPECT_FALSE(entry->value().is_integer());
}

TEST_F(BitmapOpsTest, BitOpWithAnEmptyResultDeletesTheDestination) {
  Set("d", "v");
  const std::vector<std::string_view> sources = {"missing"};
  auto result = OpBitOp(db(), bitmap::BitOperation::kAnd, "d", sources, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->effect, BitOpEffect::kDeleted);
  EXPECT_EQ(Get("d"), "<none>");
  result = OpBitOp(db(), bitmap::BitOperation::kAnd, "d", sources, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->effect, BitOpEffect::kNone);
}

TEST_F(BitmapOpsTest, BitFieldWithOnlyGetsNeverCreatesTheKey) {
  const std::vector<BitFieldOp> ops = {{.kind = Kind::kGet, .bits = 8, .offset = 0}};
  auto result = OpBitField(db(), "k", ops, kNow);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->replies.size(), 1u);
  EXPECT_EQ(result->replies[0], 0);
  EXPECT_EQ(result->changes, 0u);
  EXPECT_EQ(Get("k"), "<none>");
}

TEST_F(BitmapOpsTest, BitFieldCountsChangedFieldsAndRunsInOrder) {
  Set("k", std::string(2, '\0'));
  const std::vector<BitFieldOp> ops = {
      {.kind = Kind::kSet, .bits = 8, .offset = 0, .value = 0},
      {.kind = Kind::kSet, .bits = 8, .offset = 0, .value = 7},
      {.kind = Kind::kGet, .bits = 8, .offset = 0},
      {.kind = Kind::kIncrBy, .is_signed = true, .bits = 4, .offset = 8, .value = -1}};
  auto result = OpBitField(db(), "k", ops, kNow);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->replies.size(), 4u);
  EXPECT_EQ(result->replies[0], 0);
  EXPECT_EQ(result->replies[1], 0);
  EXPECT_EQ(result->replies[2], 7);
  EXPECT_EQ(result->replies[3], -1);
  EXPECT_EQ(result->changes, 2u);
  EXPECT_EQ(Get("k"), std::string("\x07\xf0", 2));
}

TEST_F(BitmapOpsTest, BitFieldFailStillCreatesTheStringButChangesNoField) {
  const std::vector<BitFieldOp> ops = {
      {.kind = Kind::kSet, .bits = 8, .overflow = Overflow::kFail, .offset = 16, .value = 256}};
  auto result = OpBitField(db(), "k", ops, kNow);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->replies.size(), 1u);
  EXPECT_FALSE(result->replies[0].has_value());
  EXPECT_EQ(result->changes, 0u);
  EXPECT_EQ(Get("k"), std::string(3, '\0'));
}

TEST_F(BitmapOpsTest, OtherTypesAreRefusedAsSourcesButReplacedAsDestination) {
  const std::vector<std::string_view> members = {"m"};
  ASSERT_TRUE(OpSAdd(db(), "set", members, kNow).ok());
  EXPECT_EQ(OpSetBit(db(), "set", 0, true, kNow).status(), OpStatus::kWrongType);
  const std::vector<BitFieldOp> ops = {{.kind = Kind::kGet, .bits = 8, .offset = 0}};
  EXPECT_EQ(OpBitField(db(), "set", ops, kNow).status(), OpStatus::kWrongType);
  const std::vector<std::string_view> from_set = {"set"};
  EXPECT_EQ(OpBitOp(db(), bitmap::BitOperation::kOr, "d", from_set, kNow).status(),
            OpStatus::kWrongType);
  Set("s", "x");
  const std::vector<std::string_view> from_string = {"s"};
  auto result = OpBitOp(db(), bitmap::BitOperation::kOr, "set", from_string, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(Get("set"), "x");
}

}  // namespace
}  // namespace ember::storage
