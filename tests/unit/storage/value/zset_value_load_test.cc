// SortedSetValue::FromListpack, the RDB loader's way in: the listpack is adopted entry for
// entry, converted to the index by count alone, and counted in heap_bytes() either way.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/listpack.h"
#include "storage/value/zset_value.h"

namespace ember::storage {
namespace {

Listpack PairsListpack(const std::vector<std::string>& entries) {
  Listpack listpack;
  for (const std::string& e : entries) listpack.Append(e);
  return listpack;
}

TEST(SortedSetValueLoadTest, FromListpackAdoptsThePairsAsTheyAre) {
  const Listpack pairs = PairsListpack({"a", "-1", "b", "0.5", "c", "inf"});
  const auto set = SortedSetValue::FromListpack(pairs, EncodingLimits{});
  ASSERT_TRUE(set->packed());
  EXPECT_EQ(set->encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(set->Size(), 3u);
  EXPECT_EQ(set->packed_list()->ToListpack().bytes(), pairs.bytes());
  EXPECT_EQ(set->Score("b"), 0.5);
  EXPECT_EQ(set->Rank("c"), 2u);
  EXPECT_EQ(set->heap_bytes(),
            ChunkBytes(sizeof(SortedSetValue)) + set->packed_list()->HeapBytes());
}

TEST(SortedSetValueLoadTest, FromListpackConvertsPastTheEntryLimitOnly) {
  const std::string long_member(100, 'x');
  const Listpack pairs = PairsListpack({"a", "1", long_member, "2", "c", "3"});
  EncodingLimits limits;
  EXPECT_TRUE(SortedSetValue::FromListpack(pairs, limits)->packed());  // value length ignored
  limits.zset_max_listpack_entries = 2;
  const auto set = SortedSetValue::FromListpack(pairs, limits);
  ASSERT_FALSE(set->packed());
  EXPECT_EQ(set->encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(set->Size(), 3u);
  EXPECT_EQ(set->Score(long_member), 2);
  const size_t before = set->heap_bytes();
  auto copy = set->Clone();
  EXPECT_EQ(copy->heap_bytes(), before);
}

}  // namespace
}  // namespace ember::storage
