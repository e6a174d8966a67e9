#include "storage/ops/set_ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/keyspace.h"
#include "storage/ops/string_ops.h"
#include "storage/value/set_value.h"

namespace ember::storage {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

using Members = std::vector<std::string_view>;

std::vector<std::string> Sorted(std::vector<std::string> members) {
  std::sort(members.begin(), members.end());
  return members;
}

class SetOpsTest : public ::testing::Test {
 protected:
  Database& db() { return keyspace_.db(0); }

  void Add(std::string_view key, Members members) {
    ASSERT_TRUE(OpSAdd(db(), key, members, kNow).ok());
  }
  std::vector<std::string> MembersOf(std::string_view key) {
    auto members = OpSInter(db(), Members{key}, kNow);
    EXPECT_TRUE(members.ok());
    return Sorted(*members);
  }
  std::string_view EncodingOf(std::string_view key) {
    Entry* entry = db().Find(key, kNow);
    if (entry == nullptr) return "<none>";
    return CollectionEncodingName(entry->value().encoding());
  }

  Keyspace keyspace_{16};
};

TEST_F(SetOpsTest, SAddCountsNewMembersAndSRemDeletesAnEmptiedSet) {
  EXPECT_EQ(*OpSAdd(db(), "s", Members{"1", "2", "2"}, kNow), 2);
  EXPECT_EQ(*OpSAdd(db(), "s", Members{"2", "x"}, kNow), 1);
  EXPECT_EQ(*OpSCard(db(), "s", kNow), 3);
  EXPECT_EQ(*OpSRem(db(), "s", Members{"1", "nope"}, kNow), 1);
  EXPECT_EQ(*OpSRem(db(), "s", Members{"2", "x"}, kNow), 2);
  EXPECT_EQ(db().Find("s", kNow), nullptr);
  EXPECT_EQ(*OpSRem(db(), "s", Members{"2"}, kNow), 0);
}

TEST_F(SetOpsTest, EveryOperationRefusesAnotherType) {
  ASSERT_TRUE(OpSet(db(), "str", "v", SetOptions{}, kNow).ok());
  EXPECT_EQ(OpSAdd(db(), "str", Members{"a"}, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpSRem(db(), "str", Members{"a"}, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpSCard(db(), "str", kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpSMIsMember(db(), "str", Members{"a"}, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpSPop(db(), "str", kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpSRandMemberCount(db(), "str", 3, kNow).status(), OpStatus::kWrongType);
  Add("s", {"a"});
  EXPECT_EQ(OpSInter(db(), Members{"missing", "str"}, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpSUnionStore(db(), "d", Members{"s", "str"}, kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(OpSMove(db(), "s", "str", "a", kNow).status(), OpStatus::kWrongType);
  EXPECT_EQ(MembersOf("s"), std::vector<std::string>{"a"});
  EXPECT_EQ(db().Find("d", kNow), nullptr);
}

TEST_F(SetOpsTest, SMoveRemovesFromTheSourceAndCreatesTheDestination) {
  Add("a", {"1", "2"});
  auto moved = OpSMove(db(), "a", "b", "1", kNow);
  ASSERT_TRUE(moved.ok());
  EXPECT_TRUE(moved->moved);
  EXPECT_EQ(moved->changes, 2);
  EXPECT_EQ(MembersOf("b"), std::vector<std::string>{"1"});
  EXPECT_FALSE(OpSMove(db(), "a", "b", "9", kNow)->moved);
  EXPECT_TRUE(OpSMove(db(), "a", "a", "2", kNow)->moved);
  EXPECT_EQ(OpSMove(db(), "a", "b", "2", kNow)->changes, 2);
  EXPECT_EQ(db().Find("a", kNow), nullptr);
  EXPECT_EQ(MembersOf("b"), (std::vector<std::string>{"1", "2"}));
}

TEST_F(SetOpsTest, StoreFormsReplaceAnyTypeDropTheTtlAndDeleteOnEmpty) {
  Add("a", {"1", "2", "3"});
  Add("b", {"2", "3", "4"});
  ASSERT_TRUE(OpSet(db(), "dst", "string", SetOptions{}, kNow).ok());
  (void)db().SetExpire(db().Find("dst", kNow), kNow + 100000);
  auto stored = OpSInterStore(db(), "dst", Members{"a", "b"}, kNow);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->size, 2);
  EXPECT_TRUE(stored->changed);
  EXPECT_EQ(MembersOf("dst"), (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(db().GetExpire(db().Find("dst", kNow)), -1);
  EXPECT_EQ(EncodingOf("dst"), "intset");

  stored = OpSDiffStore(db(), "dst", Members{"a", "a"}, kNow);
  EXPECT_EQ(stored->size, 0);
  EXPECT_TRUE(stored->changed);
  EXPECT_EQ(db().Find("dst", kNow), nullptr);
  stored = OpSDiffStore(db(), "dst", Members{"a", "a"}, kNow);
  EXPECT_FALSE(stored->changed);

  EXPECT_EQ(OpSUnionStore(db(), "u", Members{"a", "b", "missing"}, kNow)->size, 4);
  EXPECT_EQ(*OpSDiff(db(), Members{"a", "b"}, kNow), std::vector<std::string>{"1"});
}

TEST_F(SetOpsTest, SInterCardStopsAtTheLimit) {
  Add("a", {"1", "2", "3", "4"});
  Add("b", {"2", "3", "4", "5"});
  EXPECT_EQ(*OpSInterCard(db(), Members{"a", "b"}, 0, kNow), 3);
  EXPECT_EQ(*OpSInterCard(db(), Members{"a", "b"}, 2, kNow), 2);
  EXPECT_EQ(*OpSInterCard(db(), Members{"a", "missing"}, 0, kNow), 0);
}

TEST_F(SetOpsTest, SPopCountTakesDistinctMembersAndDeletesAWholeSet) {
  Add("s", {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});
  auto popped = OpSPopCount(db(), "s", 3, kNow);
  ASSERT_TRUE(popped.ok());
  std::set<std::string> seen(popped->members.begin(), popped->members.end());
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(*OpSCard(db(), "s", kNow), 7);
  popped = OpSPopCount(db(), "s", 6, kNow);  // the "keep the rest" strategy
  EXPECT_EQ(popped->members.size(), 6u);
  EXPECT_EQ(*OpSCard(db(), "s", kNow), 1);
  for (const std::string& member : popped->members) EXPECT_TRUE(seen.insert(member).second);
  popped = OpSPopCount(db(), "s", 5, kNow);
  EXPECT_TRUE(popped->key_deleted);
  EXPECT_EQ(popped->members.size(), 1u);
  EXPECT_EQ(db().Find("s", kNow), nullptr);
}

TEST_F(SetOpsTest, SPopLeavingFewIntegersMakesAnIntsetAgain) {
  EncodingLimits limits;
  limits.set_max_intset_entries = 4;
  keyspace_.set_encoding_limits(limits);
  Add("s", {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"});
  EXPECT_EQ(EncodingOf("s"), "hashtable");
  ASSERT_TRUE(OpSPopCount(db(), "s", 9, kNow).ok());
  EXPECT_EQ(EncodingOf("s"), "intset");
}

TEST_F(SetOpsTest, SRandMemberCountFollowsItsSign) {
  Add("s", {"1", "2", "3", "4", "5"});
  EXPECT_EQ(*OpSRandMemberCount(db(), "s", 9, kNow),
            (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  auto three = *OpSRandMemberCount(db(), "s", 3, kNow);
  EXPECT_EQ(std::set<std::string>(three.begin(), three.end()).size(), 3u);
  EXPECT_EQ(OpSRandMemberCount(db(), "s", -20, kNow)->size(), 20u);
  EXPECT_TRUE(OpSRandMemberCount(db(), "missing", 5, kNow)->empty());
  EXPECT_EQ(OpSRandMember(db(), "missing", kNow).status(), OpStatus::kKeyNotFound);
  EXPECT_EQ(*OpSCard(db(), "s", kNow), 5);
}

TEST_F(SetOpsTest, SScanVisitsEveryMemberOfATable) {
  std::vector<std::string> words;
  for (int i = 0; i < 500; ++i) words.push_back("w" + std::to_string(i));
  std::vector<std::string_view> views(words.begin(), words.end());
  Add("s", views);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    auto page = OpSScan(db(), "s", cursor, std::nullopt, 10, kNow);
    ASSERT_TRUE(page.ok());
    seen.insert(page->members.begin(), page->members.end());
    cursor = page->cursor;
    ++calls;
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 500u);
  EXPECT_GT(calls, 10);
  auto matched = OpSScan(db(), "s", 0, std::string_view("w1?"), 1000, kNow);
  EXPECT_EQ(matched->members.size(), 10u);
}

}  // namespace
}  // namespace ember::storage
