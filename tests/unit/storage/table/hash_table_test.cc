#include "storage/table/hash_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

namespace ember::storage {
namespace {

struct TestNode {
  TestNode* next = nullptr;
  uint64_t key = 0;
};

struct TestTraits {
  using Key = uint64_t;
  static uint64_t Hash(uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    return key ^ (key >> 33);
  }
  static uint64_t HashNode(const TestNode& node) { return Hash(node.key); }
  static bool Matches(const TestNode& node, uint64_t key) { return node.key == key; }
};

using Table = HashTable<TestNode, TestTraits>;

std::vector<TestNode> MakeNodes(size_t count, uint64_t first_key = 0) {
  std::vector<TestNode> nodes(count);
  for (size_t i = 0; i < count; ++i) nodes[i].key = first_key + i;
  return nodes;
}

void FinishRehash(Table& table) {
  while (table.RehashSteps(100)) {
  }
}

TEST(HashTableTest, FindsInsertedAndForgetsUnlinked) {
  Table table;
  auto nodes = MakeNodes(1000);
  for (auto& node : nodes) table.Insert(&node);
  EXPECT_EQ(table.size(), 1000u);
  for (auto& node : nodes) EXPECT_EQ(table.Find(node.key), &node);
  EXPECT_EQ(table.Find(5000), nullptr);
  for (size_t i = 0; i < nodes.size(); i += 2) EXPECT_EQ(table.Unlink(nodes[i].key), &nodes[i]);
  EXPECT_EQ(table.Unlink(0), nullptr);
  EXPECT_EQ(table.size(), 500u);
  for (size_t i = 0; i < nodes.size(); ++i) {
    EXPECT_EQ(table.Find(nodes[i].key), i % 2 ? &nodes[i] : nullptr);
  }
}

// The claim of incremental rehashing: growing from empty to two million nodes, no single
// Insert moves more than one bucket or looks at more than a few, while the table still
// ends up with a bucket per node.
TEST(HashTableTest, GrowthToTwoMillionDoesBoundedWorkPerInsert) {
  constexpr size_t kCount = 2'000'000;
  Table table;
  auto nodes = MakeNodes(kCount);
  size_t max_moved = 0;
  size_t max_visited = 0;
  size_t inserts_that_rehashed = 0;
  for (auto& node : nodes) {
    table.Insert(&node);
    max_moved = std::max(max_moved, table.last_op_moved_buckets());
    max_visited = std::max(max_visited, table.last_op_visited_buckets());
    if (table.last_op_moved_buckets() > 0) ++inserts_that_rehashed;
  }
  EXPECT_LE(max_moved, 1u);
  EXPECT_LE(max_visited, 11u);
  EXPECT_GT(inserts_that_rehashed, kCount / 4);
  FinishRehash(table);
  EXPECT_EQ(table.size(), kCount);
  EXPECT_GE(table.bucket_count(), kCount);
  EXPECT_LE(table.bucket_count(), 4 * kCount);
  for (size_t i = 0; i < kCount; i += 9973) EXPECT_EQ(table.Find(nodes[i].key), &nodes[i]);
}

TEST(HashTableTest, ShrinkIsIncrementalToo) {
  Table table;
  auto nodes = MakeNodes(200'000);
  for (auto& node : nodes) table.Insert(&node);
  FinishRehash(table);
  size_t big = table.bucket_count();
  for (size_t i = 0; i < 199'000; ++i) ASSERT_EQ(table.Unlink(nodes[i].key), &nodes[i]);
  table.ShrinkIfSparse();
  ASSERT_TRUE(table.rehashing());
  size_t max_visited = 0;
  for (size_t i = 199'000; i < nodes.size(); ++i) {
    ASSERT_EQ(table.Find(nodes[i].key), &nodes[i]);
    max_visited = std::max(max_visited, table.last_op_visited_buckets());
  }
  EXPECT_LE(max_visited, 11u);
  FinishRehash(table);
  EXPECT_LT(table.bucket_count(), big / 64);
  EXPECT_GE(table.bucket_count(), 1000u);
  for (size_t i = 199'000; i < nodes.size(); ++i) EXPECT_EQ(table.Find(nodes[i].key), &nodes[i]);
}

// A load that knows its key count (RDB's RESIZEDB) sizes the table once: no rehash at all.
TEST(HashTableTest, ReserveSizesAnEmptyTableSoInsertsNeverRehash) {
  Table table;
  table.Reserve(1000);
  EXPECT_EQ(table.bucket_count(), 1024u);
  auto nodes = MakeNodes(1000);
  for (auto& node : nodes) {
    table.Insert(&node);
    ASSERT_FALSE(table.rehashing());
  }
  EXPECT_EQ(table.bucket_count(), 1024u);
  for (auto& node : nodes) EXPECT_EQ(table.Find(node.key), &node);
  table.Reserve(100000);  // not empty: no-op
  EXPECT_EQ(table.bucket_count(), 1024u);
}

TEST(HashTableTest, ShrinkWaitsForTenPercentFill) {
  Table table;
  auto nodes = MakeNodes(65);
  for (auto& node : nodes) table.Insert(&node);
  FinishRehash(table);
  ASSERT_EQ(table.bucket_count(), 128u);
  for (size_t i = 0; i < 52; ++i) table.Unlink(nodes[i].key);  // 13 left: 10.2% full
  table.ShrinkIfSparse();
  EXPECT_FALSE(table.rehashing());
  table.Unlink(nodes[52].key);  // 12 left: 9.4% full
  table.ShrinkIfSparse();
  EXPECT_TRUE(table.rehashing());
  FinishRehash(table);
  EXPECT_EQ(table.bucket_count(), 16u);
}

TEST(HashTableTest, PausedResizeGrowsOnlyPastForceRatio) {
  Table table;
  table.set_resize_allowed(false);
  auto nodes = MakeNodes(100);
  for (size_t i = 0; i < 24; ++i) table.Insert(&nodes[i]);
  EXPECT_EQ(table.bucket_count(), 4u);  // the 24th insert saw 23 / 4 == 5 nodes per bucket
  table.Insert(&nodes[24]);             // sees 24 / 4 == 6 > 5
  EXPECT_TRUE(table.rehashing());
  table.set_resize_allowed(true);
  for (size_t i = 25; i < nodes.size(); ++i) table.Insert(&nodes[i]);
  for (auto& node : nodes) EXPECT_EQ(table.Find(node.key), &node);
}

// Runs a full scan while `mutate(step)` changes the table between steps; returns the keys
// seen.
template <typename Mutate>
std::multiset<uint64_t> ScanAll(Table& table, Mutate mutate) {
  std::multiset<uint64_t> seen;
  uint64_t cursor = 0;
  int step = 0;
  do {
    cursor = table.Scan(cursor, [&seen](TestNode* node) { seen.insert(node->key); });
    mutate(step++);
  } while (cursor != 0);
  return seen;
}

TEST(HashTableTest, ScanReturnsEveryNodeAcrossGrowth) {
  Table table;
  auto stable = MakeNodes(1000);
  auto added = MakeNodes(20'000, 1'000'000);
  for (auto& node : stable) table.Insert(&node);
  FinishRehash(table);
  size_t next_added = 0;
  auto seen = ScanAll(table, [&](int step) {
    // Grow in bursts so that scans happen before, during and after each rehash.
    for (int i = 0; i < 300 && next_added < added.size(); ++i) table.Insert(&added[next_added++]);
    if (step % 3 == 0) table.RehashSteps(5);
  });
  EXPECT_GT(table.bucket_count(), 16'000u);
  for (auto& node : stable) EXPECT_GE(seen.count(node.key), 1u) << node.key;
}

TEST(HashTableTest, ScanReturnsEveryNodeAcrossShrink) {
  Table table;
  auto stable = MakeNodes(100);
  auto doomed = MakeNodes(50'000, 1'000'000);
  for (auto& node : stable) table.Insert(&node);
  for (auto& node : doomed) table.Insert(&node);
  FinishRehash(table);
  size_t big = table.bucket_count();
  size_t next_doomed = 0;
  auto seen = ScanAll(table, [&](int step) {
    for (int i = 0; i < 2000 && next_doomed < doomed.size(); ++i) {
      table.Unlink(doomed[next_doomed++].key);
    }
    table.ShrinkIfSparse();
    if (step % 2 == 0) table.RehashSteps(3);
  });
  EXPECT_LT(table.bucket_count(), big);
  for (auto& node : stable) EXPECT_GE(seen.count(node.key), 1u) << node.key;
}

TEST(HashTableTest, ScanOfAQuietTableReturnsEachNodeOnce) {
  Table table;
  auto nodes = MakeNodes(5000);
  for (auto& node : nodes) table.Insert(&node);
  FinishRehash(table);
  auto seen = ScanAll(table, [](int) {});
  EXPECT_EQ(seen.size(), nodes.size());
  EXPECT_EQ(std::set<uint64_t>(seen.begin(), seen.end()).size(), nodes.size());
}

TEST(HashTableTest, RandomAndSampledNodesAreLinkedAndDistinct) {
  Table table;
  std::mt19937_64 rng(7);
  EXPECT_EQ(table.RandomNode(rng), nullptr);
  auto nodes = MakeNodes(3000);
  for (auto& node : nodes) table.Insert(&node);  // leaves a rehash in progress
  std::set<uint64_t> drawn;
  for (int i = 0; i < 20000; ++i) {
    TestNode* node = table.RandomNode(rng);
    ASSERT_NE(node, nullptr);
    ASSERT_EQ(table.Lookup(node->key), node);
    drawn.insert(node->key);
  }
  EXPECT_GT(drawn.size(), 2000u);  // reaches most of the table
  TestNode* sample[20];
  for (int i = 0; i < 1000; ++i) {
    size_t n = table.SampleNodes(rng, sample, 20);
    ASSERT_GT(n, 0u);
    std::set<TestNode*> distinct(sample, sample + n);
    ASSERT_EQ(distinct.size(), n);
    for (size_t j = 0; j < n; ++j) ASSERT_EQ(table.Lookup(sample[j]->key), sample[j]);
  }
  Table small;
  TestNode lone;
  small.Insert(&lone);
  EXPECT_EQ(small.SampleNodes(rng, sample, 20), 1u);
}

// A node whose memory moved (as a realloc'd entry does) is swapped into its old link,
// in whichever array holds it while a resize is under way.
TEST(HashTableTest, RelinkReplacesTheLinkDuringARehash) {
  Table table;
  auto nodes = MakeNodes(64);
  for (auto& node : nodes) table.Insert(&node);
  FinishRehash(table);
  // Stop inserting as soon as a resize starts, so most buckets are still in the old array.
  auto more = MakeNodes(256, 1000);
  size_t inserted = 0;
  while (!table.rehashing()) table.Insert(&more[inserted++]);
  more.resize(inserted);
  auto moved = MakeNodes(64);
  for (size_t i = 0; i < nodes.size(); ++i) {
    moved[i].next = nodes[i].next;
    table.Relink(&nodes[i], &moved[i]);
    // Poison the old node: the table must not reach it any more.
    nodes[i].key = UINT64_MAX;
    nodes[i].next = nullptr;
  }
  EXPECT_TRUE(table.rehashing());
  for (auto& node : moved) EXPECT_EQ(table.Lookup(node.key), &node);
  for (auto& node : more) EXPECT_EQ(table.Lookup(node.key), &node);
  FinishRehash(table);
  for (auto& node : moved) EXPECT_EQ(table.Find(node.key), &node);
  EXPECT_EQ(table.size(), 64u + inserted);
}

TEST(HashTableTest, ClearReleasesEveryNodeAndBuckets) {
  Table table;
  auto nodes = MakeNodes(777);
  for (auto& node : nodes) table.Insert(&node);
  size_t released = 0;
  table.Clear([&released](TestNode*) { ++released; });
  EXPECT_EQ(released, nodes.size());
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.BucketBytes(), 0u);
  EXPECT_FALSE(table.rehashing());
  EXPECT_EQ(table.Scan(0, [](TestNode*) { FAIL(); }), 0u);
}

TEST(HashTableTest, MovedFromTableIsEmpty) {
  Table table;
  auto nodes = MakeNodes(100);
  for (auto& node : nodes) table.Insert(&node);
  Table other(std::move(table));
  EXPECT_EQ(table.size(), 0u);  // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_FALSE(table.rehashing());
  EXPECT_EQ(other.size(), 100u);
  for (auto& node : nodes) EXPECT_EQ(other.Find(node.key), &node);
  size_t visited = 0;
  other.ForEach([&visited](TestNode*) { ++visited; });
  EXPECT_EQ(visited, 100u);
}

}  // namespace
}  // namespace ember::storage
