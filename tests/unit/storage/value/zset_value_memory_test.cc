// SortedSetValue's heap accounting in both forms and across conversions, and Clone.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/listpack.h"
#include "storage/value/number_format.h"
#include "storage/value/zset_value.h"
#include "tests/unit/storage/value/zset_value_test_util.h"

namespace ember::storage {
namespace {

using namespace zset_test;  // NOLINT: test helpers

TEST(SortedSetValueTest, PackedHeapBytesAreTheObjectPlusTheBlockAndReturnToTheBaseline) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  EXPECT_EQ(set.heap_bytes(), kObjectBytes);
  for (int i = 0; i < 100; ++i) {
    const size_t before = set.heap_bytes();
    set.Add(Member((i * 37) % 100) + std::string(static_cast<size_t>(i % 40), 'p'), i * 0.25,
            limits);
    ExpectPackedAccounting(set);
    EXPECT_GE(set.heap_bytes(), before);
  }
  ASSERT_EQ(set.Add(Member(0), 1e300, limits), AddResult::kUpdated);
  ExpectPackedAccounting(set);
  set.EraseRankRange(10, 39);
  ExpectPackedAccounting(set);
  while (set.Size() > 0) {
    NumberBuffer scratch;
    const std::string member(set.AtRank(set.Size() / 2, scratch).member);
    const size_t before = set.heap_bytes();
    ASSERT_TRUE(set.Erase(member));
    ExpectPackedAccounting(set);
    EXPECT_LE(set.heap_bytes(), before);
  }
  EXPECT_EQ(set.heap_bytes(), kObjectBytes);
}

// The index form's accounting: the object, the ZSetIndex object and the index's own blocks,
// which a shadow ZSetIndex given the same changes in the same order measures exactly.
size_t IndexFormBytes(const ZSetIndex& shadow) {
  return kObjectBytes + ChunkBytes(sizeof(ZSetIndex)) + shadow.heap_bytes();
}

TEST(SortedSetValueTest, IndexHeapBytesAreTheObjectPlusTheIndex) {
  const EncodingLimits limits = Limits(0, 64);
  SortedSetValue set(limits);
  ZSetIndex shadow;
  EXPECT_EQ(set.heap_bytes(), IndexFormBytes(shadow));
  for (int i = 0; i < 300; ++i) {
    set.Add(Member((i * 7) % 300) + std::string(static_cast<size_t>(i % 30), 'q'), i % 13, limits);
    shadow.Add(Member((i * 7) % 300) + std::string(static_cast<size_t>(i % 30), 'q'), i % 13);
    ASSERT_EQ(set.heap_bytes(), IndexFormBytes(shadow)) << i;
  }
  set.Add(Member(7) + "q", 100, limits);  // an update
  shadow.Add(Member(7) + "q", 100);
  EXPECT_EQ(set.heap_bytes(), IndexFormBytes(shadow));
  EXPECT_EQ(set.EraseRankRange(10, 99), shadow.EraseRankRange(10, 99));
  EXPECT_EQ(set.heap_bytes(), IndexFormBytes(shadow));
  while (set.Size() > 0) {
    NumberBuffer scratch;
    const std::string member(set.AtRank(set.Size() / 2, scratch).member);
    ASSERT_TRUE(set.Erase(member));
    ASSERT_TRUE(shadow.Erase(member));
    ASSERT_EQ(set.heap_bytes(), IndexFormBytes(shadow)) << set.Size();
  }
}

// ConvertToIndex inserts the packed entries in order into a new index; an Add past the limit
// converts the same way and then adds. Either way the set must account the index once.
TEST(SortedSetValueTest, ConvertingByAddAccountsTheIndexOnce) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  ZSetIndex shadow;
  for (int i = 0; i < 128; ++i) {
    set.Add(Member(i), 1, limits);
    shadow.Insert(Member(i), 1);
  }
  ASSERT_TRUE(set.packed());
  ASSERT_EQ(set.Add(Member(128), 1, limits), AddResult::kAdded);  // converts
  shadow.Add(Member(128), 1);
  ASSERT_FALSE(set.packed());
  EXPECT_EQ(set.heap_bytes(), IndexFormBytes(shadow));
  // Erasing everything must bring it to the empty index's figure, as for a set that was an
  // index from the start.
  set.EraseRankRange(0, 128);
  shadow.EraseRankRange(0, 128);
  EXPECT_EQ(set.heap_bytes(), IndexFormBytes(shadow));
  EXPECT_EQ(set.heap_bytes(), SortedSetValue(Limits(0, 64)).heap_bytes());
}

TEST(SortedSetValueTest, ConvertingByALongMemberAccountsTheIndexOnce) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  ZSetIndex shadow;
  for (int i = 0; i < 10; ++i) {
    set.Add(Member(i), i, limits);
    shadow.Insert(Member(i), i);
  }
  set.Add(std::string(65, 'L'), 0.5, limits);  // converts
  shadow.Add(std::string(65, 'L'), 0.5);
  ASSERT_FALSE(set.packed());
  EXPECT_EQ(set.heap_bytes(), IndexFormBytes(shadow));
}

TEST(SortedSetValueTest, ExplicitConvertToIndexAccountsTheIndexOnce) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  ZSetIndex shadow;
  for (int i = 0; i < 100; ++i) {
    set.Add(Member(99 - i), 1, limits);
    shadow.Insert(Member(i), 1);  // in the packed (ascending) order, as the conversion does
  }
  set.ConvertToIndex();
  EXPECT_EQ(set.heap_bytes(), IndexFormBytes(shadow));
  set.Add(Member(100), 1, limits);
  shadow.Add(Member(100), 1);
  EXPECT_EQ(set.heap_bytes(), IndexFormBytes(shadow));
}

const SortedSetValue& AsSet(const std::unique_ptr<Collection>& clone) {
  return static_cast<const SortedSetValue&>(*clone);
}

TEST(SortedSetValueTest, ClonesOfThePackedFormMatchAndAreIndependent) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  for (int i = 0; i < 50; ++i) set.Add(Member(i), i % 5, limits);
  const std::unique_ptr<Collection> clone = set.Clone();
  const SortedSetValue& copy = AsSet(clone);
  EXPECT_EQ(copy.type(), ValueType::kZSet);
  EXPECT_TRUE(copy.packed());
  EXPECT_EQ(copy.encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(EntriesOf(copy), EntriesOf(set));
  EXPECT_EQ(copy.packed_list()->bytes(), set.packed_list()->bytes());
  EXPECT_NE(copy.packed_list()->bytes().data(), set.packed_list()->bytes().data());
  ExpectPackedAccounting(copy);
  EXPECT_EQ(copy.heap_bytes(), set.heap_bytes());  // built by adds only: no slack
  const Entries before = EntriesOf(copy);
  set.Add("new", 0, limits);
  set.Erase(Member(7));
  EXPECT_EQ(EntriesOf(copy), before);
  EXPECT_EQ(copy.Score(Member(7)), 2.0);
  EXPECT_EQ(copy.Score("new"), std::nullopt);
}

TEST(SortedSetValueTest, ClonesOfTheIndexFormMatchAndAreIndependent) {
  const EncodingLimits limits = Limits(16, 8);
  SortedSetValue set(limits);
  for (int i = 0; i < 40; ++i) set.Add(Member(i), i % 5, limits);
  ASSERT_FALSE(set.packed());
  std::unique_ptr<Collection> clone = set.Clone();
  auto& copy = static_cast<SortedSetValue&>(*clone);
  EXPECT_FALSE(copy.packed());
  EXPECT_EQ(copy.encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(EntriesOf(copy), EntriesOf(set));
  const Entries original = EntriesOf(set);
  copy.Add("zz", 9, limits);
  copy.EraseRankRange(0, 9);
  EXPECT_EQ(EntriesOf(set), original);
  EXPECT_EQ(copy.Size(), 31u);
  // An index form's clone stays an index even when it is small enough to pack.
  copy.EraseRankRange(0, 29);
  EXPECT_FALSE(copy.packed());
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

TEST(SortedSetValueTest, ACloneAccountsTheIndexItRebuilds) {
  const EncodingLimits index_limits = Limits(0, 64);
  for (const int count : {1, 7, 8, 100, 125, 130, 300}) {
    SortedSetValue scrambled(index_limits);
    for (int i = 0; i < count + 20; ++i) {
      scrambled.Add(Member((i * 11) % (count + 20)), i % 7, index_limits);
    }
    scrambled.EraseRankRange(0, 19);
    ZSetIndex rebuilt;
    scrambled.Visit(
        0, scrambled.Size() - 1, ZOrder::kAscending,
        [&](std::string_view member, double score) { return rebuilt.Insert(member, score); });
    const size_t clone_bytes = AsSet(scrambled.Clone()).heap_bytes();
    EXPECT_TRUE(IsCloneOf(clone_bytes, IndexFormBytes(rebuilt)))
        << count << ": " << clone_bytes << " vs " << IndexFormBytes(rebuilt);
  }
}

// An index built by ascending adds is what its clone rebuilds, so the two must account
// alike (within the bound above), whether the set was an index from the start or converted.
TEST(SortedSetValueTest, ACloneOfAnAscendingIndexAccountsLikeTheOriginal) {
  const EncodingLimits index_limits = Limits(0, 64);
  SortedSetValue direct(index_limits);
  for (int i = 0; i < 200; ++i) direct.Add(Member(i), 1, index_limits);
  EXPECT_TRUE(IsCloneOf(AsSet(direct.Clone()).heap_bytes(), direct.heap_bytes()))
      << AsSet(direct.Clone()).heap_bytes() << " vs " << direct.heap_bytes();

  const EncodingLimits limits;
  SortedSetValue converted(limits);
  for (int i = 0; i < 200; ++i) converted.Add(Member(i), 1, limits);
  ASSERT_FALSE(converted.packed());
  EXPECT_TRUE(IsCloneOf(AsSet(converted.Clone()).heap_bytes(), converted.heap_bytes()))
      << AsSet(converted.Clone()).heap_bytes() << " vs " << converted.heap_bytes();
}

}  // namespace
}  // namespace ember::storage
