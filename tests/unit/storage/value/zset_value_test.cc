// SortedSetValue: its two forms and the conversion between them, ordering edge cases in the
// packed form and the listpack it keeps. Heap accounting and Clone are in
// zset_value_memory_test.cc, the randomized differential tests in zset_value_random_test.cc.
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
#include "tests/unit/storage/value/zset_value_test_util.h"

namespace ember::storage {
namespace {

using namespace zset_test;  // NOLINT: test helpers

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
  // The packed form kept -0.0 as 0 (as Redis's listpack does), and the index took that.
  EXPECT_FALSE(std::signbit(*set.Score("nz")));
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

// -0.0 == 0.0: an update from one to the other changes nothing. The index keeps a stored
// -0 (as Redis's skiplist does); the packed form stores it as the integer 0 (as Redis's
// zzlInsertAt does).
TEST(SortedSetValueTest, UpdatingMinusZeroToZeroIsUnchangedInBothForms) {
  for (const EncodingLimits& limits : {Limits(128, 64), Limits(0, 64)}) {
    SortedSetValue set(limits);
    ASSERT_EQ(set.Add("m", -0.0, limits), AddResult::kAdded);
    EXPECT_EQ(set.Add("m", 0.0, limits), AddResult::kUnchanged);
    ASSERT_TRUE(set.Score("m").has_value());
    EXPECT_EQ(std::signbit(*set.Score("m")), !set.packed());
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
      // The packed form stores -0.0 as 0 (Redis's zzlInsertAt).
      EXPECT_EQ(std::signbit(*set.Score(member)),
                std::signbit(score) && !(set.packed() && score == 0))
          << member;
    }
  }
}

// The packed block is the listpack Redis keeps: member, score, ... in order, each score as
// d2string writes it, an integral one (-0.0 too) as an integer entry, as zzlInsertAt does.
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
      {"nzero", "0"},
      {"tenth", "0.10000000000000001"},
      {"one", "1"},
      {"half", "1.5"},
      {"big", "4611686018427387904"},
      {"huge", "1.0000000000000001e+300"},
      {"top", "inf"}};
  EXPECT_EQ(pairs, expected);
  EXPECT_EQ(score_is_integer,
            (std::vector<bool>{false, true, true, false, true, false, true, false, false}));
  // Byte for byte what appending the same texts to a listpack gives.
  Listpack rebuilt;
  for (const auto& [member, score] : expected) {
    rebuilt.Append(member);
    rebuilt.Append(score);
  }
  EXPECT_EQ(listpack.bytes(), rebuilt.bytes());
}

}  // namespace
}  // namespace ember::storage
