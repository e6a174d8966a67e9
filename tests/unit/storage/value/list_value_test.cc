#include "storage/value/list_value.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/number_format.h"
#include "tests/unit/storage/value/list_test_util.h"

namespace ember::storage {
namespace {

using Strings = std::vector<std::string>;
using End = ListValue::End;

std::string Text(const ListValue::Element& element) {
  NumberBuffer scratch;
  return std::string(element.View(scratch));
}

Strings Range(const ListValue& list, size_t from, size_t count, bool reverse) {
  Strings out;
  list.Visit(from, count, reverse, [&out](const ListValue::Element& e) {
    out.push_back(Text(e));
    return true;
  });
  return out;
}

size_t NodeBytes(const ListValue& list) {
  size_t bytes = 0;
  for (size_t i = 0; i < list.node_count(); ++i) bytes += list.node(i).HeapBytes();
  return bytes;
}

TEST(ListValueTest, ReportsQuicklistAsRedis70Does) {
  ListValue list;
  EXPECT_EQ(list.type(), ValueType::kList);
  EXPECT_EQ(list.encoding(), CollectionEncoding::kQuicklist);
  EXPECT_EQ(list.heap_bytes(), ChunkBytes(sizeof(ListValue)));
}

TEST(ListValueTest, PushAndPopAtBothEnds) {
  ListValue list;
  list.Push(End::kBack, "b", ListValue::kDefaultFill);
  list.Push(End::kFront, "a", ListValue::kDefaultFill);
  list.Push(End::kBack, "100", ListValue::kDefaultFill);
  EXPECT_EQ(Range(list, 0, 3, false), (Strings{"a", "b", "100"}));
  EXPECT_EQ(list.Pop(End::kBack), "100");
  EXPECT_EQ(list.Pop(End::kFront), "a");
  EXPECT_EQ(list.Pop(End::kFront), "b");
  EXPECT_EQ(list.Size(), 0u);
  EXPECT_EQ(list.node_count(), 0u);
  EXPECT_EQ(list.heap_bytes(), ChunkBytes(sizeof(ListValue)));
}

TEST(ListValueTest, NodesFollowTheFillLimits) {
  ListValue by_count;
  for (int i = 0; i < 10; ++i) by_count.Push(End::kBack, "x", 4);
  EXPECT_EQ(by_count.node_count(), 3u);  // 4 + 4 + 2
  ListValue by_bytes;                    // -1: 4 KiB per node
  for (int i = 0; i < 1000; ++i) by_bytes.Push(End::kBack, std::string(100, 'y'), -1);
  for (size_t i = 0; i < by_bytes.node_count(); ++i) {
    EXPECT_LE(by_bytes.node(i).FillBytes(), 4096u);
  }
  // 40 uniform elements per node: 39 x 100 bytes + the next 100 + Redis's 8-byte estimate
  // stay within 4096.
  EXPECT_EQ(by_bytes.node_count(), 25u);
}

// The target is a million 16-byte elements at <= 0.9x Redis's ~18.1 bytes each.
TEST(ListValueTest, SixteenByteElementsCostLittleMoreThanTheirBytes) {
  ListValue list;
  constexpr int kElements = 100000;
  for (int i = 0; i < kElements; ++i) {
    list.Push(End::kBack, "element-" + std::to_string(10000000 + i), ListValue::kDefaultFill);
  }
  EXPECT_LT(static_cast<double>(list.heap_bytes()) / kElements, 16.3);
  EXPECT_EQ(Text(list.Get(54321)), "element-10054321");
}

TEST(ListValueTest, InsertIntoFullNodesSplitsThem) {
  ListValue list;
  std::deque<std::string> model;
  for (int i = 0; i < 12; ++i) {
    list.Push(End::kBack, "e" + std::to_string(i), 3);
    model.push_back("e" + std::to_string(i));
  }
  for (size_t at : {3u, 4u, 1u, 7u, 0u, 16u}) {
    list.Insert(at, "new", 3);
    model.insert(model.begin() + static_cast<long>(at), "new");
  }
  EXPECT_EQ(Range(list, 0, list.Size(), false), Strings(model.begin(), model.end()));
  for (size_t i = 0; i < list.node_count(); ++i) EXPECT_LE(list.node(i).size(), 3u);
}

// Random edits against a std::deque model, with small nodes so that every operation
// crosses node boundaries; heap_bytes() stays the sum of what the list owns.
TEST(ListValueTest, RandomEditsMatchAModel) {
  std::mt19937 rng(11);
  for (int fill : {2, 5, -1}) {
    ListValue list;
    std::deque<std::string> model;
    auto value = [&] {
      switch (rng() % 4) {
        case 0:
          return std::to_string(static_cast<int>(rng() % 500));
        case 1:
          return std::string(1 + rng() % 300, 'q');
        default:
          return std::string("item") + char('a' + rng() % 26);
      }
    };
    for (int step = 0; step < 3000; ++step) {
      RandomListEdit(list, model, rng, value, fill, /*max_erase=*/11);
      if (HasFatalFailure()) return;
      if (step % 50 == 0 || model.size() < 3) {
        const Strings expected(model.begin(), model.end());
        ASSERT_EQ(Range(list, 0, model.size(), false), expected) << "fill " << fill;
        if (!model.empty()) {
          const Strings backwards = Range(list, model.size() - 1, model.size(), true);
          ASSERT_EQ(Strings(backwards.rbegin(), backwards.rend()), expected);
        }
        ASSERT_GE(list.heap_bytes(), ChunkBytes(sizeof(ListValue)) + NodeBytes(list));
        const auto copy = list.Clone();
        ASSERT_EQ(Range(static_cast<const ListValue&>(*copy), 0, model.size(), false), expected);
      }
    }
    list.Erase(0, list.Size());
    EXPECT_EQ(list.heap_bytes(), ChunkBytes(sizeof(ListValue)));
  }
}

}  // namespace
}  // namespace ember::storage
