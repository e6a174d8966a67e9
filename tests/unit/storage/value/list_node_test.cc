#include "storage/value/list_node.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/number_format.h"

namespace ember::storage {
namespace {

using Strings = std::vector<std::string>;
using Layout = ListNode::Layout;

std::string Text(const ListNode::Element& element) {
  NumberBuffer scratch;
  return std::string(element.View(scratch));
}

Strings Forward(const ListNode& node) {
  Strings out;
  node.Visit(0, node.size(), false, [&out](const ListNode::Element& e) {
    out.push_back(Text(e));
    return true;
  });
  return out;
}

Strings Backward(const ListNode& node) {
  Strings out;
  if (node.empty()) return out;
  node.Visit(node.size() - 1, node.size(), true, [&out](const ListNode::Element& e) {
    out.insert(out.begin(), Text(e));
    return true;
  });
  return out;
}

Strings ByIndex(const ListNode& node) {
  Strings out;
  for (size_t i = 0; i < node.size(); ++i) out.push_back(Text(node.Get(i)));
  return out;
}

Strings InListpack(const Listpack& listpack) {
  Strings out;
  for (size_t at = listpack.First(); at != Listpack::kNoEntry; at = listpack.Next(at)) {
    out.push_back(Text(listpack.Get(at)));
  }
  return out;
}

ListNode Of(const Strings& values) {
  ListNode node;
  for (const std::string& v : values) node.Insert(node.size(), v);
  return node;
}

TEST(ListNodeTest, ElementsOfOneLengthCostExactlyTheirBytes) {
  ListNode node;
  for (int i = 0; i < 100; ++i) node.Insert(node.size(), "element-" + std::to_string(10000000 + i));
  EXPECT_EQ(node.layout(), Layout::kUniform);
  EXPECT_EQ(node.size(), 100u);
  EXPECT_EQ(node.FillBytes(), 1600u);
  EXPECT_LE(node.HeapBytes(), ChunkBytes(1600 + 256));  // room kept for the next pushes
  node.Trim();
  EXPECT_EQ(node.HeapBytes(), ChunkBytes(1600));
  EXPECT_EQ(Text(node.Get(0)), "element-10000000");
  EXPECT_EQ(Text(node.Get(99)), "element-10000099");
}

TEST(ListNodeTest, AnElementOfAnotherLengthMakesTheNodeARedisListpack) {
  ListNode node = Of({"aaaa", "bbbb", "cccc"});
  ASSERT_EQ(node.layout(), Layout::kUniform);
  node.Insert(1, "xy");
  EXPECT_EQ(node.layout(), Layout::kListpack);
  EXPECT_EQ(Forward(node), (Strings{"aaaa", "xy", "bbbb", "cccc"}));
  Listpack expected;
  for (const char* v : {"aaaa", "xy", "bbbb", "cccc"}) expected.Append(v);
  EXPECT_EQ(node.ToListpack().bytes(), expected.bytes());
  EXPECT_EQ(node.FillBytes(), expected.bytes().size());
  EXPECT_EQ(node.HeapBytes(), expected.HeapBytes());
}

TEST(ListNodeTest, AUniformNodeSavesAsTheListpackRedisWouldHold) {
  // "12345" is a canonical integer: Redis's listpack stores it as one, so must ours.
  ListNode node = Of({"12345", "abcde", "-1234"});
  ASSERT_EQ(node.layout(), Layout::kUniform);
  Listpack expected;
  for (const char* v : {"12345", "abcde", "-1234"}) expected.Append(v);
  EXPECT_EQ(node.ToListpack().bytes(), expected.bytes());
  EXPECT_FALSE(node.Get(0).is_integer);  // uniform: the bytes as they came
  node.Replace(1, "xyz");                // another length: now a listpack
  EXPECT_TRUE(node.Get(0).is_integer);
  EXPECT_EQ(node.Get(0).integer, 12345);
  EXPECT_EQ(Forward(node), (Strings{"12345", "xyz", "-1234"}));
}

TEST(ListNodeTest, EmptyStringsAreElementsOfWidthZero) {
  ListNode node = Of({"", "", ""});
  EXPECT_EQ(node.layout(), Layout::kUniform);
  EXPECT_EQ(node.size(), 3u);
  EXPECT_EQ(node.HeapBytes(), 0u);
  EXPECT_EQ(Forward(node), (Strings{"", "", ""}));
  node.Insert(3, "x");
  EXPECT_EQ(node.layout(), Layout::kListpack);
  EXPECT_EQ(Forward(node), (Strings{"", "", "", "x"}));
}

TEST(ListNodeTest, InsertingACopyOfItsOwnElementIsSafe) {
  ListNode node = Of({"abcd", "efgh"});
  for (int i = 0; i < 50; ++i) node.Insert(0, node.Get(node.size() - 1).bytes);
  EXPECT_EQ(node.size(), 52u);
  EXPECT_EQ(Text(node.Get(0)), "efgh");
  node.Replace(1, node.Get(51).bytes);
  EXPECT_EQ(Text(node.Get(1)), "efgh");
}

TEST(ListNodeTest, SplitOffAndAbsorbKeepTheOrder) {
  for (const Strings& values :
       {Strings{"a1", "b2", "c3", "d4", "e5"}, Strings{"a", "bb", "ccc", "dddd", "eeeee"}}) {
    ListNode node = Of(values);
    ListNode tail = node.SplitOff(2);
    EXPECT_EQ(Forward(node), (Strings{values[0], values[1]}));
    EXPECT_EQ(Forward(tail), (Strings{values[2], values[3], values[4]}));
    node.Absorb(tail);
    EXPECT_TRUE(tail.empty());
    EXPECT_EQ(Forward(node), values);
  }
}

TEST(ListNodeTest, AbsorbingNodesOfAnotherWidthGivesAListpack) {
  ListNode a = Of({"aa", "bb"});
  ListNode b = Of({"ccc"});
  a.Absorb(b);
  EXPECT_EQ(a.layout(), Layout::kListpack);
  EXPECT_EQ(Forward(a), (Strings{"aa", "bb", "ccc"}));
}

TEST(ListNodeTest, CloneAndFromListpackHoldTheSameElements) {
  ListNode uniform = Of({"xx", "yy"});
  ListNode mixed = Of({"x", "yy", "42"});
  EXPECT_EQ(Forward(uniform.Clone()), Forward(uniform));
  EXPECT_EQ(uniform.Clone().HeapBytes(), uniform.HeapBytes());
  EXPECT_EQ(Forward(mixed.Clone()), Forward(mixed));
  ListNode loaded = ListNode::FromListpack(mixed.ToListpack());
  EXPECT_EQ(loaded.layout(), Layout::kListpack);
  EXPECT_EQ(loaded.size(), 3u);
  EXPECT_EQ(Forward(loaded), (Strings{"x", "yy", "42"}));
}

// Random edits against a std::deque model: every way of reading agrees with the model, and
// the Redis form holds the same elements, in both layouts and across the conversion.
// A queue fed or drained at the front: the uniform block keeps a bounded gap before its
// elements instead of moving them on every push and pop, and gives memory back as it drains.
TEST(ListNodeTest, FrontPushesAndPopsKeepOrderWithBoundedSlack) {
  ListNode node;
  std::deque<std::string> model;
  for (int i = 0; i < 2000; ++i) {
    const std::string v = std::to_string(100000 + i);
    node.Insert(0, v);
    model.push_front(v);
    const size_t used = node.FillBytes();
    ASSERT_LE(node.HeapBytes(), ChunkBytes(used + 256 + 6)) << i;
  }
  EXPECT_EQ(ByIndex(node), Strings(model.begin(), model.end()));
  EXPECT_EQ(node.layout(), Layout::kUniform);
  for (int i = 0; i < 1990; ++i) {
    node.Erase(0, 1);
    model.pop_front();
    ASSERT_EQ(Text(node.Get(0)), model.front()) << i;
    // At most a quarter of the block plus 64 bytes unused: capacity <= 4/3 (used + 64).
    ASSERT_LE(node.HeapBytes(), ChunkBytes((node.FillBytes() + 64) * 4 / 3 + 1)) << i;
  }
  EXPECT_EQ(ByIndex(node), Strings(model.begin(), model.end()));
  EXPECT_EQ(Backward(node), Strings(model.begin(), model.end()));
  node.Erase(0, 10);
  EXPECT_TRUE(node.empty());
  EXPECT_EQ(node.HeapBytes(), 0u);
}

// Mixed ends and a copy, a split and an absorb of a node whose elements sit after a gap.
TEST(ListNodeTest, ANodeWithAFrontGapCopiesSplitsAndAbsorbsCorrectly) {
  ListNode node;
  for (int i = 0; i < 50; ++i) node.Insert(0, "f" + std::to_string(10 + i));
  for (int i = 0; i < 50; ++i) node.Insert(node.size(), "b" + std::to_string(10 + i));
  node.Erase(0, 5);
  const Strings all = ByIndex(node);
  ASSERT_EQ(all.size(), 95u);
  EXPECT_EQ(ByIndex(node.Clone()), all);
  ListNode tail = node.SplitOff(40);
  EXPECT_EQ(ByIndex(node), Strings(all.begin(), all.begin() + 40));
  EXPECT_EQ(ByIndex(tail), Strings(all.begin() + 40, all.end()));
  node.Insert(0, "zz9");  // a front push into the kept half, then the tail back on
  node.Absorb(tail);
  Strings expected = {"zz9"};
  expected.insert(expected.end(), all.begin(), all.end());
  EXPECT_EQ(ByIndex(node), expected);
  EXPECT_TRUE(tail.empty());
}

TEST(ListNodeTest, RandomEditsMatchAModel) {
  std::mt19937 rng(7);
  for (int round = 0; round < 40; ++round) {
    ListNode node;
    std::deque<std::string> model;
    // Most rounds keep one width for a while, so the uniform layout is exercised too.
    const bool mostly_uniform = round % 2 == 0;
    auto value = [&] {
      if (mostly_uniform && rng() % 50 != 0) return std::string("v") + char('a' + rng() % 26);
      switch (rng() % 3) {
        case 0:
          return std::to_string(static_cast<int>(rng() % 2000) - 1000);
        case 1:
          return std::string(rng() % 70, 'z');
        default:
          return std::string("w") + std::to_string(rng() % 100);
      }
    };
    for (int step = 0; step < 300; ++step) {
      const size_t n = model.size();
      switch (rng() % 5) {
        case 0:
        case 1: {
          const size_t at = rng() % (n + 1);
          const std::string v = value();
          node.Insert(at, v);
          model.insert(model.begin() + static_cast<long>(at), v);
          break;
        }
        case 2:
          if (n > 0) {
            const size_t at = rng() % n;
            const std::string v = value();
            node.Replace(at, v);
            model[at] = v;
          }
          break;
        case 3:
          if (n > 0) {
            const size_t at = rng() % n;
            const size_t count = 1 + rng() % 3;
            node.Erase(at, count);
            model.erase(model.begin() + static_cast<long>(at),
                        model.begin() + static_cast<long>(std::min(n, at + count)));
          }
          break;
        default:
          if (n > 0) {
            const size_t at = rng() % (n + 1);
            ListNode tail = node.SplitOff(at);
            ASSERT_EQ(node.size() + tail.size(), n);
            node.Absorb(tail);
          }
          break;
      }
      const Strings expected(model.begin(), model.end());
      ASSERT_EQ(node.size(), model.size());
      ASSERT_EQ(Forward(node), expected) << "round " << round << " step " << step;
      if (step % 25 == 0) {
        ASSERT_EQ(Backward(node), expected);
        ASSERT_EQ(ByIndex(node), expected);
        ASSERT_EQ(InListpack(node.ToListpack()), expected);
      }
    }
  }
}

}  // namespace
}  // namespace ember::storage
