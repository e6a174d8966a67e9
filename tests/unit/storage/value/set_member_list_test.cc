// The member-list form of SetValue (set_value.h): a small set with a non-integer member kept
// in one PackedList, reported as "hashtable" as Redis 7.0 reports every such set.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/value/set_value.h"
#include "tests/unit/storage/value/set_test_util.h"

namespace ember::storage {
namespace {

SetValue Of(const std::vector<std::string>& members) {
  SetValue set;
  for (const std::string& m : members) set.Add(m, EncodingLimits{});
  return set;
}

TEST(SetMemberListTest, ASmallSetWithAWordIsAListInInsertionOrder) {
  SetValue set = Of({"5", "-2", "apple", "banana", "5"});
  EXPECT_TRUE(set.is_member_list());
  EXPECT_EQ(set.encoding(), CollectionEncoding::kHashtable);  // what Redis 7.0 says
  EXPECT_TRUE(set.PackedBytes().has_value());
  // The intset's members come first, ascending, as the conversion found them.
  EXPECT_EQ(Members(set), (std::vector<std::string>{"-2", "5", "apple", "banana"}));
  EXPECT_TRUE(set.Contains("apple"));
  EXPECT_TRUE(set.Contains("-2"));
  EXPECT_FALSE(set.Contains("05"));
  EXPECT_FALSE(set.Add("apple", EncodingLimits{}));
  EXPECT_TRUE(set.Remove("5"));
  EXPECT_FALSE(set.Remove("5"));
  EXPECT_EQ(Members(set), (std::vector<std::string>{"-2", "apple", "banana"}));
  uint64_t cursor = 1;
  std::vector<std::string> scanned;
  cursor = set.Scan(0, [&scanned](std::string_view m) { scanned.emplace_back(m); });
  EXPECT_EQ(cursor, 0u);  // one call covers it
  EXPECT_EQ(scanned, Members(set));
}

TEST(SetMemberListTest, CrossingTheListLimitsMakesATable) {
  SetValue many;
  for (size_t i = 0; i < SetValue::kMaxListMembers; ++i) {
    many.Add("m" + std::to_string(i), EncodingLimits{});
  }
  EXPECT_TRUE(many.is_member_list());
  many.Add("one more", EncodingLimits{});
  EXPECT_FALSE(many.is_member_list());
  EXPECT_FALSE(many.PackedBytes().has_value());
  EXPECT_EQ(many.Size(), SetValue::kMaxListMembers + 1);
  EXPECT_TRUE(many.Contains("m0"));

  SetValue wide = Of({"a"});
  wide.Add(std::string(SetValue::kMaxListMemberBytes, 'x'), EncodingLimits{});
  EXPECT_TRUE(wide.is_member_list());
  wide.Add(std::string(SetValue::kMaxListMemberBytes + 1, 'x'), EncodingLimits{});
  EXPECT_FALSE(wide.is_member_list());
  EXPECT_EQ(wide.Size(), 3u);

  // An intset already past the list's size goes straight to a table.
  SetValue ints;
  for (size_t i = 0; i < SetValue::kMaxListMembers; ++i) {
    ints.Add(std::to_string(i), EncodingLimits{});
  }
  ints.Add("word", EncodingLimits{});
  EXPECT_FALSE(ints.is_member_list());
  EXPECT_EQ(ints.encoding(), CollectionEncoding::kHashtable);
  EXPECT_TRUE(ints.Contains("127"));
}

// Packed set bytes tell an intset from a member list by themselves. The hard cases are
// lists whose first member is "0" (encoded as a zero byte) with counts 2, 4 and 8, the
// widths an intset's first byte holds.
TEST(SetMemberListTest, PackedBytesOfEitherFormReadBackAsThatForm) {
  const std::vector<std::vector<std::string>> lists = {
      {"0", "x"},
      {"0", "1", "2", "x"},
      {"0", "1", "2", "3", "4", "5", "6", "x"},
      {"0", "-1", "x", ""},
      {"x"},
      {"0", ""},
      {"", "0"},
  };
  for (const auto& members : lists) {
    SetValue set;
    set.Add("word", EncodingLimits{});  // a list from the start, in the order given below
    set.Remove("word");
    for (const std::string& m : members) set.Add(m, EncodingLimits{});
    ASSERT_TRUE(set.is_member_list());
    const std::string packed(*set.PackedBytes());
    const SetValue borrowed = SetValue::Borrow(packed);
    EXPECT_TRUE(borrowed.is_member_list()) << members.size();
    EXPECT_EQ(Members(borrowed), members);
    const std::unique_ptr<SetValue> owned = SetValue::FromPacked(packed);
    EXPECT_EQ(Members(*owned), members);
    EXPECT_EQ(owned->encoding(), CollectionEncoding::kHashtable);
  }
  for (const std::vector<std::string>& ints :
       {std::vector<std::string>{"0", "1"}, {"70000"}, {"-9000000000", "0", "3", "4"}}) {
    SetValue set = Of(ints);
    ASSERT_EQ(set.encoding(), CollectionEncoding::kIntset);
    const SetValue borrowed = SetValue::Borrow(*set.PackedBytes());
    EXPECT_EQ(borrowed.encoding(), CollectionEncoding::kIntset);
    EXPECT_EQ(Members(borrowed), Members(set));
  }
}

// A spare object reused for either form (packed_value.h) ends up as the form it loads, and
// accounts what it holds.
TEST(SetMemberListTest, LoadPackedSwitchesFormsAndAccountsExactly) {
  SetValue list = Of({"a", "b", "c"});
  SetValue ints = Of({"1", "2", "3"});
  SetValue spare;
  spare.LoadPacked(*list.PackedBytes());
  EXPECT_TRUE(spare.is_member_list());
  EXPECT_EQ(Members(spare), Members(list));
  spare.LoadPacked(*ints.PackedBytes());
  EXPECT_EQ(spare.encoding(), CollectionEncoding::kIntset);
  EXPECT_EQ(Members(spare), Members(ints));
  EXPECT_EQ(spare.heap_bytes(), ints.heap_bytes());
  spare.LoadPacked(*list.PackedBytes());
  EXPECT_EQ(Members(spare), Members(list));
  std::unique_ptr<Collection> copy = spare.Clone();
  EXPECT_EQ(copy->heap_bytes(), list.heap_bytes());
}

TEST(SetMemberListTest, RandomPicksEveryMemberAndPopEmptiesTheList) {
  SetValue set = Of({"a", "b", "1", "c"});
  std::mt19937_64 rng(3);
  std::set<std::string> seen;
  NumberBuffer scratch;
  for (int i = 0; i < 200; ++i) seen.emplace(set.Random(rng, scratch));
  EXPECT_EQ(seen, (std::set<std::string>{"a", "b", "1", "c"}));
  std::set<std::string> popped;
  while (set.Size() > 0) EXPECT_TRUE(popped.insert(set.PopRandom(rng)).second);
  EXPECT_EQ(popped, seen);
}

}  // namespace
}  // namespace ember::storage
