// list-compress-depth: interior nodes LZF-compressed as Redis's quicklist compresses them,
// end nodes raw, every read and edit unchanged by it, and the memory it saves counted.
#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/list_value.h"
#include "storage/value/number_format.h"
#include "tests/unit/storage/value/list_test_util.h"

namespace ember::storage {
namespace {

using Strings = std::vector<std::string>;
using End = ListValue::End;

std::string Text(const ListNode::Element& element) {
  NumberBuffer scratch;
  return std::string(element.View(scratch));
}

Strings All(const ListValue& list) {
  Strings out;
  list.Visit(0, list.Size(), false, [&out](const ListValue::Element& e) {
    out.push_back(Text(e));
    return true;
  });
  return out;
}

Strings NodeElements(const ListNode& node) {
  Strings out;
  for (size_t i = 0; i < node.size(); ++i) out.push_back(Text(node.Get(i)));
  return out;
}

// The nodes within `depth` of either end are raw; the others are compressed unless LZF
// cannot shrink them (checked by compressing a copy).
void ExpectDepthRespected(const ListValue& list, size_t depth) {
  const size_t n = list.node_count();
  for (size_t i = 0; i < n; ++i) {
    const bool interior = depth > 0 && i >= depth && i + depth < n;
    if (!interior) {
      ASSERT_FALSE(list.node(i).compressed()) << "end node " << i << " of " << n;
    } else if (!list.node(i).compressed()) {
      ListNode copy = list.node(i).Clone();
      ASSERT_FALSE(copy.Compress()) << "interior node " << i << " left raw though it compresses";
    }
  }
}

TEST(ListCompressionTest, NodesRoundTripThroughCompression) {
  for (bool uniform : {true, false}) {
    ListNode node;
    for (int i = 0; i < 200; ++i) {
      node.Insert(node.size(), uniform ? "aaaa" + std::to_string(1000 + i)
                                       : std::string(i % 7 + 1, 'x') + std::to_string(i));
    }
    const Strings before = NodeElements(node);
    const std::string listpack(node.ToListpack().bytes());
    const size_t raw_heap = node.HeapBytes();
    ASSERT_TRUE(node.Compress());
    EXPECT_TRUE(node.compressed());
    EXPECT_LT(node.HeapBytes(), raw_heap);
    EXPECT_EQ(node.size(), 200u);
    EXPECT_EQ(node.ToListpack().bytes(), listpack);
    EXPECT_EQ(NodeElements(node.Decompressed()), before);
    ListNode copy = node.Clone();
    EXPECT_TRUE(copy.compressed());
    node.Decompress();
    EXPECT_FALSE(node.compressed());
    EXPECT_EQ(NodeElements(node), before);
    copy.Decompress();
    EXPECT_EQ(NodeElements(copy), before);
  }
}

TEST(ListCompressionTest, SmallOrIncompressibleNodesStayRaw) {
  ListNode small;
  small.Insert(0, "short");
  EXPECT_FALSE(small.Compress());
  ListNode noisy;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 50; ++i) {
    std::string bytes(16, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    noisy.Insert(noisy.size(), bytes);
  }
  EXPECT_FALSE(noisy.Compress());
  EXPECT_FALSE(noisy.compressed());
}

TEST(ListCompressionTest, InteriorNodesCompressAndTheMemoryIsCounted) {
  ListValue plain;
  ListValue packed;
  packed.set_compress_depth(1);
  for (int i = 0; i < 100'000; ++i) {
    const std::string v = "element-" + std::to_string(10'000'000 + i % 1000);
    plain.Push(End::kBack, v, -2);
    packed.Push(End::kBack, v, -2);
  }
  ExpectDepthRespected(packed, 1);
  EXPECT_LT(packed.heap_bytes() * 2, plain.heap_bytes())
      << "compressed " << packed.heap_bytes() << " raw " << plain.heap_bytes();
  EXPECT_EQ(All(packed), All(plain));
  EXPECT_EQ(Text(packed.Get(50'000)), Text(plain.Get(50'000)));
  // Back to raw at depth 0, with every byte accounted as for a list never compressed.
  packed.set_compress_depth(0);
  ExpectDepthRespected(packed, 0);
  EXPECT_EQ(packed.heap_bytes(), plain.heap_bytes());
}

// Random edits at depths 1 and 2 against a model, with small nodes so that nodes move in
// and out of the ends all the time.
TEST(ListCompressionTest, RandomEditsMatchAModelAtEveryDepth) {
  std::mt19937 rng(17);
  for (int depth : {1, 2}) {
    for (int fill : {8, -1}) {
      ListValue list;
      list.set_compress_depth(depth);
      std::deque<std::string> model;
      size_t compressed_seen = 0;
      auto value = [&] {
        if (rng() % 5 == 0) return std::string(1 + rng() % 200, 'q');
        return std::string("job:pending:") + std::to_string(rng() % 40);
      };
      for (int step = 0; step < 2500; ++step) {
        RandomListEdit(list, model, rng, value, fill, /*max_erase=*/2);
        if (HasFatalFailure()) return;
        if (step % 100 == 0) {
          ASSERT_EQ(All(list), Strings(model.begin(), model.end()));
          ExpectDepthRespected(list, static_cast<size_t>(depth));
          for (size_t i = 0; i < list.node_count(); ++i)
            compressed_seen += list.node(i).compressed();
          const auto copy = list.Clone();
          ASSERT_EQ(All(static_cast<const ListValue&>(*copy)), Strings(model.begin(), model.end()));
        }
      }
      EXPECT_GT(compressed_seen, 0u) << "no node was ever compressed";
      list.Erase(0, list.Size());
      EXPECT_EQ(list.heap_bytes(), ChunkBytes(sizeof(ListValue)));
    }
  }
}

}  // namespace
}  // namespace ember::storage
