#include "storage/value/set_value.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/set_member_table.h"
#include "tests/unit/storage/value/set_test_util.h"

namespace ember::storage {
namespace {

std::vector<std::string> Sorted(std::vector<std::string> members) {
  std::sort(members.begin(), members.end());
  return members;
}

TEST(SetValueTest, IntegersStayAnIntsetListedInAscendingOrder) {
  SetValue set;
  EncodingLimits limits;
  EXPECT_TRUE(set.Add("30", limits));
  EXPECT_TRUE(set.Add("-5", limits));
  EXPECT_TRUE(set.Add("7", limits));
  EXPECT_FALSE(set.Add("7", limits));
  EXPECT_EQ(set.encoding(), CollectionEncoding::kIntset);
  EXPECT_EQ(Members(set), (std::vector<std::string>{"-5", "7", "30"}));
  EXPECT_TRUE(set.Contains("30"));
  EXPECT_FALSE(set.Contains("31"));
  EXPECT_FALSE(set.Contains("030"));
  EXPECT_EQ(set.intset().size(), 3u);
}

TEST(SetValueTest, NonCanonicalIntegersConvertToATable) {
  for (const char* member : {"-0", " 1", "01", "1.0", "+1", "abc", ""}) {
    SetValue set;
    EncodingLimits limits;
    ASSERT_TRUE(set.Add("1", limits));
    EXPECT_TRUE(set.Add(member, limits)) << member;
    EXPECT_EQ(set.encoding(), CollectionEncoding::kHashtable) << member;
    EXPECT_TRUE(set.Contains(member)) << member;
    EXPECT_TRUE(set.Contains("1")) << member;
    EXPECT_EQ(set.Size(), 2u);
  }
}

TEST(SetValueTest, GrowingPastTheLimitConvertsOnce) {
  SetValue set;
  EncodingLimits limits;
  limits.set_max_intset_entries = 3;
  for (int i = 0; i < 3; ++i) set.Add(std::to_string(i), limits);
  EXPECT_EQ(set.encoding(), CollectionEncoding::kIntset);
  set.Add("3", limits);
  EXPECT_EQ(set.encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(Sorted(Members(set)), (std::vector<std::string>{"0", "1", "2", "3"}));
  // Shrinking back does not convert back (as in Redis).
  EXPECT_TRUE(set.Remove("3"));
  EXPECT_TRUE(set.Remove("2"));
  EXPECT_EQ(set.encoding(), CollectionEncoding::kHashtable);
}

TEST(SetValueTest, HeapBytesReturnToTheStartAfterAddingThenRemoving) {
  SetValue set;
  EncodingLimits limits;
  limits.set_max_intset_entries = 100000;
  const size_t start = set.heap_bytes();
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(set.Add(std::to_string(i * 100003), limits));
  EXPECT_GT(set.heap_bytes(), start);
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(set.Remove(std::to_string(i * 100003)));
  EXPECT_EQ(set.heap_bytes(), start);

  // A table: once its bucket array exists, adding and removing members returns to it.
  SetValue table;
  table.Add("seed", limits);
  const size_t seeded = table.heap_bytes();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(table.Add("m" + std::to_string(i), limits));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(table.Remove("m" + std::to_string(i)));
  EXPECT_EQ(table.heap_bytes(), seeded);
}

// Every node and the object's own blocks are counted exactly; what remains is bucket
// arrays, each a power of two of pointers.
TEST(SetValueTest, HeapBytesOfATableAreItsNodesPlusBucketArrays) {
  SetValue set;
  EncodingLimits limits;
  std::vector<std::string> members;
  for (int i = 0; i < 5000; ++i) members.push_back(std::string(i % 40, 'k') + std::to_string(i));
  for (const std::string& member : members) set.Add(member, limits);
  size_t nodes = 0;
  for (const std::string& member : members) nodes += ChunkBytes(NodeRequest(member));
  const size_t fixed =
      ChunkBytes(sizeof(SetValue)) + ChunkBytes(8) + ChunkBytes(sizeof(SetMemberTable));
  ASSERT_GT(set.heap_bytes(), fixed + nodes);
  const size_t buckets = set.heap_bytes() - fixed - nodes;
  bool matches = false;
  for (size_t a = 4; a <= (1u << 20); a *= 2) {
    if (buckets == ChunkBytes(a * 8)) matches = true;
    for (size_t b = 4; b < a; b *= 2) {
      if (buckets == ChunkBytes(a * 8) + ChunkBytes(b * 8)) matches = true;
    }
  }
  EXPECT_TRUE(matches) << buckets;
  for (size_t i = 0; i < members.size(); i += 2) set.Remove(members[i]);
  size_t left = 0;
  for (size_t i = 1; i < members.size(); i += 2) left += ChunkBytes(NodeRequest(members[i]));
  EXPECT_LT(set.heap_bytes() - fixed - left, 2 * buckets);

  // Removing almost everything shrinks the bucket array, as Redis's setTypeRemove does.
  left = 0;
  for (size_t i = 1; i < members.size(); i += 2) {
    if (i < 21) {
      left += ChunkBytes(NodeRequest(members[i]));
    } else {
      set.Remove(members[i]);
    }
  }
  EXPECT_EQ(set.Size(), 10u);
  // The shrink is incremental: later operations finish moving the buckets.
  for (int i = 0; i < 3000; ++i) {
    set.Add("probe", limits);
    set.Remove("probe");
  }
  EXPECT_LE(set.heap_bytes() - fixed - left, ChunkBytes(32 * 8));
}

TEST(SetValueTest, HeapBytesCountEveryNodeAndBucketArray) {
  SetValue set;
  EncodingLimits limits;
  set.ConvertToTable();
  const size_t empty = set.heap_bytes();
  ASSERT_TRUE(set.Add("abcdefghijklmnop", limits));  // 16 bytes: one 24-byte request
  // The node (a 32-byte chunk) and the first 4-bucket array (32 bytes requested).
  EXPECT_EQ(set.heap_bytes(), empty + 32 + ChunkBytes(4 * sizeof(void*)));
  ASSERT_TRUE(set.Remove("abcdefghijklmnop"));
  EXPECT_EQ(set.heap_bytes(), empty + ChunkBytes(4 * sizeof(void*)));
}

TEST(SetValueTest, MemberNodesReadBackEveryLengthAndLastByte) {
  std::vector<std::string> members = {"",
                                      "a",
                                      std::string(16, 'z'),
                                      std::string(15, 'q') + '\x01',
                                      std::string(16, '\0'),
                                      std::string(300, 'L')};
  for (size_t length = 0; length < 80; ++length) {
    for (int last : {0, 1, 9, 16, 17, 40, 200, 255}) {
      std::string member(length, 'm');
      if (length > 0) member.back() = static_cast<char>(last);
      members.push_back(member);
    }
  }
  for (const std::string& member : members) {
    SetMemberNode* node = NewMemberNode(member);
    EXPECT_EQ(MemberOf(node), member) << member.size();
    FreeMemberNode(node);
  }
  EXPECT_EQ(NodeRequest(std::string(16, 'z')), 24u);           // fits a 32-byte chunk
  EXPECT_EQ(NodeRequest(std::string(15, 'z') + '\x05'), 25u);  // needs a padding byte
}

TEST(SetValueTest, CloneIsDeepWithTheSameEncodingAndBytes) {
  EncodingLimits limits;
  SetValue ints;
  for (int i = 0; i < 10; ++i) ints.Add(std::to_string(i), limits);
  SetValue words;
  for (int i = 0; i < 100; ++i) words.Add("w" + std::to_string(i), limits);
  for (const SetValue* set : {&ints, &words}) {
    std::unique_ptr<Collection> copy = set->Clone();
    const auto& clone = static_cast<const SetValue&>(*copy);
    EXPECT_EQ(clone.encoding(), set->encoding());
    EXPECT_EQ(Sorted(Members(clone)), Sorted(Members(*set)));
    EXPECT_EQ(clone.heap_bytes(), set->heap_bytes());
  }
}

TEST(SetValueTest, RandomAndPopRandomReturnMembers) {
  EncodingLimits limits;
  std::mt19937_64 rng(7);
  for (bool table : {false, true}) {
    SetValue set;
    for (int i = 0; i < 20; ++i)
      set.Add(table ? "m" + std::to_string(i) : std::to_string(i), limits);
    NumberBuffer scratch;
    for (int i = 0; i < 50; ++i) EXPECT_TRUE(set.Contains(set.Random(rng, scratch)));
    std::set<std::string> popped;
    while (set.Size() > 0) EXPECT_TRUE(popped.insert(set.PopRandom(rng)).second);
    EXPECT_EQ(popped.size(), 20u);
  }
}

TEST(SetValueTest, ScanOfAnIntsetIsWholeAndOfATableCompletes) {
  EncodingLimits limits;
  SetValue ints;
  for (int i = 0; i < 100; ++i) ints.Add(std::to_string(i), limits);
  size_t seen = 0;
  EXPECT_EQ(ints.Scan(0, [&seen](std::string_view) { ++seen; }), 0u);
  EXPECT_EQ(seen, 100u);

  SetValue words;
  for (int i = 0; i < 1000; ++i) words.Add("w" + std::to_string(i), limits);
  std::set<std::string> found;
  uint64_t cursor = 0;
  do {
    cursor = words.Scan(cursor, [&found](std::string_view m) { found.emplace(m); });
  } while (cursor != 0);
  EXPECT_EQ(found.size(), 1000u);
}

TEST(SetValueTest, FromIntsetConvertsWhenOverTheLimit) {
  EncodingLimits limits;
  limits.set_max_intset_entries = 2;
  Intset small;
  small.Add(1);
  small.Add(2);
  EXPECT_EQ(SetValue::FromIntset(std::move(small), limits)->encoding(),
            CollectionEncoding::kIntset);
  Intset big;
  for (int i = 0; i < 3; ++i) big.Add(i);
  auto set = SetValue::FromIntset(std::move(big), limits);
  EXPECT_EQ(set->encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(Sorted(Members(*set)), (std::vector<std::string>{"0", "1", "2"}));
}

}  // namespace
}  // namespace ember::storage
