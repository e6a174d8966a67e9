// SortedSetValue: its two forms and the conversion between them, ordering edge cases in the
// packed form, the listpack it keeps, heap accounting and Clone. The randomized differential
// tests are in zset_value_random_test.cc.
#include "storage/value/zset_value.h"

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

namespace ember::storage {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using Entries = std::vector<std::pair<double, std::string>>;
using AddResult = SortedSetValue::AddResult;

Entries EntriesOf(const SortedSetValue& set) {
  Entries out;
  if (set.Size() == 0) return out;
  set.Visit(0, set.Size() - 1, ZOrder::kAscending, [&](std::string_view member, double score) {
    out.emplace_back(score, std::string(member));
    return true;
  });
  return out;
}

std::vector<std::string> MembersOf(const SortedSetValue& set) {
  std::vector<std::string> out;
  for (const auto& [score, member] : EntriesOf(set)) out.push_back(member);
  return out;
}

EncodingLimits Limits(int64_t entries, int64_t value) {
  EncodingLimits limits;
  limits.zset_max_listpack_entries = entries;
  limits.zset_max_listpack_value = value;
  return limits;
}

// "m000", "m001", ...: ascending in byte order.
std::string Member(int i) {
  std::string digits = std::to_string(i);
  return "m" + std::string(3 - std::min<size_t>(3, digits.size()), '0') + digits;
}

const size_t kObjectBytes = ChunkBytes(sizeof(SortedSetValue));

// The packed form's exact accounting: the object and the block.
void ExpectPackedAccounting(const SortedSetValue& set) {
  ASSERT_TRUE(set.packed());
  EXPECT_EQ(set.heap_bytes(), kObjectBytes + set.packed_list()->HeapBytes());
}

TEST(SortedSetValueTest, ANewSetIsPackedAndEmpty) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  EXPECT_EQ(set.type(), ValueType::kZSet);
  EXPECT_TRUE(set.packed());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(set.Size(), 0u);
  ASSERT_NE(set.packed_list(), nullptr);
  EXPECT_TRUE(set.packed_list()->empty());
  EXPECT_EQ(set.heap_bytes(), kObjectBytes);
  EXPECT_EQ(set.Score("x"), std::nullopt);
  EXPECT_EQ(set.Rank("x"), std::nullopt);
  EXPECT_FALSE(set.Erase("x"));
}

TEST(SortedSetValueTest, PackedFormConvertsToIndexPastTheEntryLimit) {
  const EncodingLimits limits;  // 128 entries
  SortedSetValue set(limits);
  Entries expected;
  for (int i = 0; i < 128; ++i) {
    ASSERT_EQ(set.Add(Member(i), i, limits), AddResult::kAdded);
    expected.emplace_back(i, Member(i));
  }
  EXPECT_TRUE(set.packed());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kListpack);
  // Updating an existing member of a full packed set adds no entry: it stays packed.
  EXPECT_EQ(set.Add(Member(5), 5.5, limits), AddResult::kUpdated);
  EXPECT_TRUE(set.packed());
  EXPECT_EQ(set.Add(Member(5), 5, limits), AddResult::kUpdated);
  ASSERT_EQ(set.Add(Member(128), 128, limits), AddResult::kAdded);
  expected.emplace_back(128, Member(128));
  EXPECT_FALSE(set.packed());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(set.packed_list(), nullptr);
  EXPECT_EQ(set.Size(), 129u);
  EXPECT_EQ(EntriesOf(set), expected);
  EXPECT_EQ(set.Score(Member(77)), 77.0);
  EXPECT_EQ(set.Rank(Member(77)), 77u);
}

TEST(SortedSetValueTest, PackedFormConvertsToIndexPastTheValueLimit) {
  const EncodingLimits limits;  // 64-byte members
  SortedSetValue set(limits);
  ASSERT_EQ(set.Add("a", 1, limits), AddResult::kAdded);
  ASSERT_EQ(set.Add(std::string(64, 'x'), 2, limits), AddResult::kAdded);
  EXPECT_TRUE(set.packed());
  ASSERT_EQ(set.Add(std::string(65, 'y'), 3, limits), AddResult::kAdded);
  EXPECT_FALSE(set.packed());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(EntriesOf(set),
            (Entries{{1, "a"}, {2, std::string(64, 'x')}, {3, std::string(65, 'y')}}));
}

TEST(SortedSetValueTest, ConversionIsOneWay) {
  const EncodingLimits limits = Limits(4, 8);
  SortedSetValue set(limits);
  for (int i = 0; i < 5; ++i) set.Add(Member(i), i, limits);
  ASSERT_FALSE(set.packed());
  EXPECT_TRUE(set.Erase(Member(0)));
  EXPECT_TRUE(set.Erase(Member(1)));
  EXPECT_EQ(set.EraseRankRange(0, 1), 2u);
  EXPECT_EQ(set.Size(), 1u);
  EXPECT_FALSE(set.packed());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(set.Add("z", 0, limits), AddResult::kAdded);
  EXPECT_FALSE(set.packed());
  EXPECT_EQ(EntriesOf(set), (Entries{{0, "z"}, {4, Member(4)}}));
}

TEST(SortedSetValueTest, ASetWhoseFirstMemberIsTooLongStartsAsTheIndex) {
  const EncodingLimits limits;
  EXPECT_TRUE(SortedSetValue(limits, 64).packed());
  SortedSetValue set(limits, 65);
  EXPECT_FALSE(set.packed());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(set.packed_list(), nullptr);
  EXPECT_EQ(set.Size(), 0u);
  EXPECT_GT(set.heap_bytes(), kObjectBytes);  // the index object itself
  EXPECT_EQ(set.Add(std::string(65, 'k'), 1, limits), AddResult::kAdded);
  EXPECT_EQ(set.Score(std::string(65, 'k')), 1.0);
}

TEST(SortedSetValueTest, AZeroEntryLimitStartsAsTheIndex) {
  const EncodingLimits limits = Limits(0, 64);
  SortedSetValue set(limits);
  EXPECT_FALSE(set.packed());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(set.Add("a", 1, limits), AddResult::kAdded);
  EXPECT_FALSE(set.packed());
}

TEST(SortedSetValueTest, ConvertToIndexKeepsEveryEntry) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  const Entries entries = {{-kInf, "lo"}, {-0.0, "nz"}, {0.1, "10"}, {1.5, ""}, {kInf, "hi"}};
  for (const auto& [score, member] : entries) set.Add(member, score, limits);
  set.ConvertToIndex();
  EXPECT_FALSE(set.packed());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kSkiplist);
  EXPECT_EQ(EntriesOf(set), entries);
  EXPECT_TRUE(std::signbit(*set.Score("nz")));
  set.ConvertToIndex();  // already the index: nothing changes
  EXPECT_EQ(EntriesOf(set), entries);
}

TEST(SortedSetValueTest, AddReportsAddedUpdatedAndUnchangedInBothForms) {
  for (const EncodingLimits& limits : {Limits(128, 64), Limits(0, 64)}) {
    SortedSetValue set(limits);
    EXPECT_EQ(set.Add("a", 1, limits), AddResult::kAdded);
    EXPECT_EQ(set.Add("b", 2, limits), AddResult::kAdded);
    EXPECT_EQ(set.Add("a", 1, limits), AddResult::kUnchanged);
    EXPECT_EQ(set.Add("a", 3, limits), AddResult::kUpdated);
    EXPECT_EQ(set.Score("a"), 3.0);
    EXPECT_EQ(MembersOf(set), (std::vector<std::string>{"b", "a"}));
    EXPECT_EQ(set.Size(), 2u);
  }
}

// -0.0 == 0.0: an update from one to the other changes nothing, and the stored -0 stays.
TEST(SortedSetValueTest, UpdatingMinusZeroToZeroIsUnchangedInBothForms) {
  for (const EncodingLimits& limits : {Limits(128, 64), Limits(0, 64)}) {
    SortedSetValue set(limits);
    ASSERT_EQ(set.Add("m", -0.0, limits), AddResult::kAdded);
    EXPECT_EQ(set.Add("m", 0.0, limits), AddResult::kUnchanged);
    ASSERT_TRUE(set.Score("m").has_value());
    EXPECT_TRUE(std::signbit(*set.Score("m")));
    ASSERT_EQ(set.Add("p", 0.0, limits), AddResult::kAdded);
    EXPECT_EQ(set.Add("p", -0.0, limits), AddResult::kUnchanged);
    EXPECT_FALSE(std::signbit(*set.Score("p")));
  }
}

// Equal scores order by member bytes, unsigned, a prefix first; members that look like
// integers (which the listpack stores as integers) order as their text.
TEST(SortedSetValueTest, EqualScoresOrderByMemberBytesInBothForms) {
  const std::vector<std::string> members = {"b",
                                            "a",
                                            "ab",
                                            "",
                                            std::string("a\0b", 3),
                                            std::string("a\0", 2),
                                            "\xff",
                                            "A",
                                            "1",
                                            "10",
                                            "-5",
                                            "007",
                                            "2",
                                            "100",
                                            "-10",
                                            "9223372036854775807"};
  const std::vector<std::string> sorted = {"",
                                           "-10",
                                           "-5",
                                           "007",
                                           "1",
                                           "10",
                                           "100",
                                           "2",
                                           "9223372036854775807",
                                           "A",
                                           "a",
                                           std::string("a\0", 2),
                                           std::string("a\0b", 3),
                                           "ab",
                                           "b",
                                           "\xff"};
  for (const EncodingLimits& limits : {Limits(128, 64), Limits(0, 64)}) {
    SortedSetValue set(limits);
    for (const std::string& m : members) ASSERT_EQ(set.Add(m, 7, limits), AddResult::kAdded);
    EXPECT_EQ(MembersOf(set), sorted);
    for (size_t rank = 0; rank < sorted.size(); ++rank) {
      EXPECT_EQ(set.Rank(sorted[rank]), rank) << rank;
      NumberBuffer scratch;
      EXPECT_EQ(set.AtRank(rank, scratch).member, sorted[rank]) << rank;
    }
    // Integer-looking probes match only their exact spelling.
    for (const char* absent : {"01", "7", "-05", "+1", "10 ", "5", "aa"}) {
      EXPECT_EQ(set.Score(absent), std::nullopt) << absent;
      EXPECT_EQ(set.Rank(absent), std::nullopt) << absent;
    }
    EXPECT_FALSE(set.Erase("01"));
    EXPECT_TRUE(set.Erase("1"));
    EXPECT_EQ(set.Score("10"), 7.0);
    EXPECT_EQ(set.Rank("10"), 4u);
  }
}

TEST(SortedSetValueTest, PackedIntegerMembersAreStoredAsListpackIntegers) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  set.Add("10", 1, limits);
  set.Add("007", 2, limits);
  set.Add("-5", 3, limits);
  ASSERT_TRUE(set.packed());
  const PackedList& list = *set.packed_list();
  size_t at = list.First();
  EXPECT_TRUE(list.Get(at).is_integer);
  EXPECT_EQ(list.Get(at).integer, 10);
  at = list.Next(list.Next(at));
  EXPECT_FALSE(list.Get(at).is_integer);
  EXPECT_EQ(list.Get(at).bytes, "007");
  at = list.Next(list.Next(at));
  EXPECT_TRUE(list.Get(at).is_integer);
  EXPECT_EQ(list.Get(at).integer, -5);
  NumberBuffer scratch;
  EXPECT_EQ(set.AtRank(2, scratch).member, "-5");
}

TEST(SortedSetValueTest, ScoresOrderFromMinusToPlusInfinityInBothForms) {
  const Entries sorted = {{-kInf, "a"}, {-1e300, "b"}, {-1.5, "c"}, {-0.0, "d"},
                          {0.0, "c"},   {0.0, "e"},    {0.1, "a"},  {1, "z"},
                          {3, "b"},     {1e300, "y"},  {kInf, "x"}};
  for (const EncodingLimits& limits : {Limits(128, 64), Limits(0, 64)}) {
    SortedSetValue set(limits);
    Entries added = sorted;
    // Some letters appear twice: the index makes every member distinct.
    for (size_t i = 0; i < added.size(); ++i) added[i].second += std::to_string(i);
    for (size_t i = added.size(); i-- > 0;) set.Add(added[i].second, added[i].first, limits);
    Entries expected = added;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(EntriesOf(set), expected);
    for (const auto& [score, member] : added) {
      ASSERT_TRUE(set.Score(member).has_value()) << member;
      EXPECT_EQ(*set.Score(member), score) << member;
      EXPECT_EQ(std::signbit(*set.Score(member)), std::signbit(score)) << member;
    }
  }
}

// The packed block is the listpack Redis keeps: member, score, ... in order, each score as
// d2string writes it (an integral one as an integer entry).
TEST(SortedSetValueTest, ThePackedBlockIsRedissListpack) {
  const EncodingLimits limits;
  SortedSetValue set(limits);
  set.Add("one", 1, limits);
  set.Add("nzero", -0.0, limits);
  set.Add("top", kInf, limits);
  set.Add("tenth", 0.1, limits);
  set.Add("half", 1.5, limits);
  set.Add("bottom", -kInf, limits);
  set.Add("huge", 1e300, limits);
  set.Add("neg", -3, limits);
  set.Add("big", 4611686018427387904.0, limits);
  ASSERT_TRUE(set.packed());
  const Listpack listpack = set.packed_list()->ToListpack();
  std::vector<std::pair<std::string, std::string>> pairs;
  std::vector<bool> score_is_integer;
  for (size_t at = listpack.First(); at != Listpack::kNoEntry;) {
    NumberBuffer member_scratch;
    NumberBuffer score_scratch;
    const size_t score_at = listpack.Next(at);
    ASSERT_NE(score_at, Listpack::kNoEntry);
    pairs.emplace_back(listpack.Get(at).View(member_scratch),
                       listpack.Get(score_at).View(score_scratch));
    score_is_integer.push_back(listpack.Get(score_at).is_integer);
    at = listpack.Next(score_at);
  }
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"bottom", "-inf"},
      {"neg", "-3"},
      {"nzero", "-0"},
      {"tenth", "0.10000000000000001"},
      {"one", "1"},
      {"half", "1.5"},
      {"big", "4611686018427387904"},
      {"huge", "1.0000000000000001e+300"},
      {"top", "inf"}};
  EXPECT_EQ(pairs, expected);
  EXPECT_EQ(score_is_integer,
            (std::vector<bool>{false, true, false, false, true, false, true, false, false}));
  // Byte for byte what appending the same texts to a listpack gives.
  Listpack rebuilt;
  for (const auto& [member, score] : expected) {
    rebuilt.Append(member);
    rebuilt.Append(score);
  }
  EXPECT_EQ(listpack.bytes(), rebuilt.bytes());
}

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
