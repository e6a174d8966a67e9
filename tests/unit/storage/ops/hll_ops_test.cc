#include "storage/ops/hll_ops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/ops/hll_format.h"
#include "storage/ops/set_ops.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr size_t kMaxBytes = 3000;

class HllOpsTest : public ::testing::Test {
 protected:
  Database& db() { return keyspace_.db(0); }

  // The bytes at `key`, "<none>" when absent.
  std::string Get(std::string_view key) {
    Entry* entry = db().FindNoTouch(key, kNow);
    if (entry == nullptr) return "<none>";
    NumberBuffer scratch;
    return std::string(entry->value().View(scratch));
  }

  void Set(std::string_view key, std::string_view value) {
    db().Delete(key);
    db().AddString(key, value);
  }

  OpResult<uint64_t> Add(std::string_view key, std::vector<std::string_view> elements,
                         size_t max_bytes = kMaxBytes) {
    return OpPfAdd(db(), key, elements, max_bytes, kNow);
  }

  void AddRange(std::string_view key, int first, int last) {
    std::vector<std::string> owned;
    for (int i = first; i < last; ++i) owned.push_back("e" + std::to_string(i));
    std::vector<std::string_view> elements(owned.begin(), owned.end());
    ASSERT_TRUE(OpPfAdd(db(), key, elements, kMaxBytes, kNow).ok());
  }

  OpResult<PfCountResult> Count(std::vector<std::string_view> keys) {
    return OpPfCount(db(), keys, kNow);
  }

  Keyspace keyspace_;
};

TEST_F(HllOpsTest, AddCreatesASparseKeyAndCountsChanges) {
  auto changes = Add("h", {});
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(*changes, 1u);  // created
  EXPECT_EQ(Get("h").size(), 18u);
  EXPECT_EQ(static_cast<uint8_t>(Get("h")[15]), 0x80);  // cache stale
  changes = Add("h", {"a", "b", "a"});
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(*changes, 2u);
  changes = Add("h", {"a", "b"});
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(*changes, 0u);
}

TEST_F(HllOpsTest, CountCachesItsEstimateInTheString) {
  AddRange("h", 0, 10);
  auto count = Count({"h"});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->cardinality, 10u);
  EXPECT_TRUE(count->cache_written);
  EXPECT_EQ(hll::CachedCardinality(Get("h")), 10u);
  count = Count({"h"});
  ASSERT_TRUE(count.ok());
  EXPECT_FALSE(count->cache_written);
  // A hand-edited cache is believed, as Redis believes it.
  std::string edited = Get("h");
  edited[8] = 42;
  Set("h", edited);
  EXPECT_EQ(Count({"h"})->cardinality, 42u);
  EXPECT_EQ(Count({"missing"})->cardinality, 0u);
}

TEST_F(HllOpsTest, DenseAddsEditInPlaceAndMatchRedisCounts) {
  AddRange("h", 0, 2000);
  EXPECT_EQ(Get("h").size(), hll::kDenseSize);
  AddRange("h", 2000, 5000);
  EXPECT_EQ(Count({"h"})->cardinality, 4968u);
  EXPECT_EQ(*Add("h", {"e1"}), 0u);
}

TEST_F(HllOpsTest, CountOfSeveralKeysIsTheUnionAndWritesNothing) {
  AddRange("a", 0, 1000);
  AddRange("b", 0, 5000);
  AddRange("c", 0, 100000);
  const std::string before = Get("a");
  auto count = Count({"a", "b", "c", "missing"});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->cardinality, 100853u);
  EXPECT_FALSE(count->cache_written);
  EXPECT_EQ(Get("a"), before);
}

TEST_F(HllOpsTest, MergeIsDenseWhenAnyInputIs) {
  AddRange("small", 0, 10);
  AddRange("big", 0, 3000);
  std::vector<std::string_view> keys = {"dest", "small"};
  ASSERT_TRUE(OpPfMerge(db(), keys, kMaxBytes, kNow).ok());
  EXPECT_EQ(hll::EncodingOf(Get("dest")), hll::Encoding::kSparse);
  EXPECT_EQ(Count({"dest"})->cardinality, 10u);
  keys = {"dest", "big"};
  ASSERT_TRUE(OpPfMerge(db(), keys, kMaxBytes, kNow).ok());
  EXPECT_EQ(hll::EncodingOf(Get("dest")), hll::Encoding::kDense);
  keys = {"empty"};
  ASSERT_TRUE(OpPfMerge(db(), keys, kMaxBytes, kNow).ok());
  EXPECT_EQ(Get("empty"), [] {
    std::string hll = hll::NewSparseHll();
    hll::MarkStale(hll);
    return hll;
  }());
}

TEST_F(HllOpsTest, NonHllStringsAndOtherTypesAreRefusedBeforeAnyWrite) {
  Set("s", "not an hll at all");
  ASSERT_TRUE(OpSAdd(db(), "set", std::vector<std::string_view>{"x"}, kNow).ok());
  EXPECT_EQ(Add("s", {"a"}).status(), OpStatus::kNotHll);
  EXPECT_EQ(Add("set", {"a"}).status(), OpStatus::kWrongType);
  EXPECT_EQ(Count({"s"}).status(), OpStatus::kNotHll);
  EXPECT_EQ(Count({"missing", "set"}).status(), OpStatus::kWrongType);
  std::vector<std::string_view> keys = {"dest", "s"};
  EXPECT_EQ(OpPfMerge(db(), keys, kMaxBytes, kNow).status(), OpStatus::kNotHll);
  EXPECT_EQ(Get("dest"), "<none>");
  EXPECT_EQ(OpPfDebug(db(), "missing", PfDebugAction::kEncoding, kNow).status(),
            OpStatus::kKeyNotFound);
}

TEST_F(HllOpsTest, CorruptSparseStringsFailCleanly) {
  std::string broken = hll::NewSparseHll();
  broken.back() = 0;  // XZERO of 16129: runs fall short
  broken[15] = static_cast<char>(0x80);
  Set("bad", broken);
  EXPECT_EQ(Count({"bad"}).status(), OpStatus::kCorruptHll);
  EXPECT_EQ(Count({"bad", "missing"}).status(), OpStatus::kCorruptHll);
  std::vector<std::string_view> keys = {"dest", "bad"};
  EXPECT_EQ(OpPfMerge(db(), keys, kMaxBytes, kNow).status(), OpStatus::kCorruptHll);
  EXPECT_EQ(OpPfDebug(db(), "bad", PfDebugAction::kToDense, kNow).status(), OpStatus::kCorruptHll);
  EXPECT_EQ(Get("bad"), broken);
  auto decoded = OpPfDebug(db(), "bad", PfDebugAction::kDecode, kNow);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->decoded, "Z:16129");
}

TEST_F(HllOpsTest, DebugToDenseAndGetRegisters) {
  AddRange("h", 0, 10);
  auto result = OpPfDebug(db(), "h", PfDebugAction::kGetRegisters, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->converted);
  EXPECT_EQ(result->encoding, hll::Encoding::kSparse);
  ASSERT_EQ(result->registers.size(), hll::kRegisters);
  EXPECT_EQ(result->registers[hll::Observe("e0").index], hll::Observe("e0").count);
  EXPECT_EQ(Get("h").size(), hll::kDenseSize);
  result = OpPfDebug(db(), "h", PfDebugAction::kToDense, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->converted);
  EXPECT_EQ(result->encoding, hll::Encoding::kDense);
}

}  // namespace
}  // namespace ember::storage
