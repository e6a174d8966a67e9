// ZSetIndex::Scan (ZSCAN's walk of the member map): a full scan returns every member with
// its score; members present for a whole scan are returned even while the map grows or
// shrinks (an incremental migration between two arrays) in the middle of it.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "storage/value/zset_index.h"

namespace ember::storage {
namespace {

std::string Member(int i) { return "member:" + std::to_string(i); }

// Scans from cursor 0 to the end, calling between(step) after each step.
template <typename Between>
std::map<std::string, double> ScanAll(const ZSetIndex& index, Between between) {
  std::map<std::string, double> seen;
  uint64_t cursor = 0;
  int steps = 0;
  do {
    cursor = index.Scan(cursor, [&seen](std::string_view member, double score) {
      seen[std::string(member)] = score;
    });
    between(steps++);
  } while (cursor != 0 && steps < 1'000'000);
  EXPECT_EQ(cursor, 0u) << "the scan did not finish";
  return seen;
}

TEST(ZSetIndexScanTest, EmptyIndexEndsAtOnce) {
  ZSetIndex index;
  bool called = false;
  EXPECT_EQ(index.Scan(0, [&called](std::string_view, double) { called = true; }), 0u);
  EXPECT_FALSE(called);
}

TEST(ZSetIndexScanTest, FullScanReturnsEveryMemberWithItsScore) {
  ZSetIndex index;
  for (int i = 0; i < 5000; ++i) index.Insert(Member(i), i * 0.5);
  const auto seen = ScanAll(index, [](int) {});
  ASSERT_EQ(seen.size(), 5000u);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(seen.at(Member(i)), i * 0.5) << i;
}

TEST(ZSetIndexScanTest, StableMembersSurviveGrowthDuringTheScan) {
  ZSetIndex index;
  for (int i = 0; i < 1000; ++i) index.Insert(Member(i), i);
  int next = 1000;
  // Inserts between steps start several resizes whose migrations span many steps.
  const auto seen = ScanAll(index, [&](int) {
    for (int k = 0; k < 40 && next < 20000; ++k, ++next) index.Insert(Member(next), next);
  });
  ASSERT_GT(next, 4000) << "the scan ended before the map grew";
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.count(Member(i))) << Member(i);
  EXPECT_EQ(index.CheckInvariants(), "");
}

TEST(ZSetIndexScanTest, StableMembersSurviveShrinkingDuringTheScan) {
  ZSetIndex index;
  for (int i = 0; i < 20000; ++i) index.Insert(Member(i), i);
  int next_erased = 1000;  // members 0..999 stay
  const auto seen = ScanAll(index, [&](int) {
    for (int k = 0; k < 100 && next_erased < 20000; ++k, ++next_erased) {
      index.Erase(Member(next_erased));
    }
  });
  ASSERT_EQ(next_erased, 20000) << "the scan ended before the map shrank";
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.count(Member(i))) << Member(i);
  EXPECT_EQ(index.Size(), 1000u);
  EXPECT_EQ(index.CheckInvariants(), "");
}

TEST(ZSetIndexScanTest, ScanningAStableIndexTwiceGivesTheSameSteps) {
  ZSetIndex index;
  for (int i = 0; i < 300; ++i) index.Insert(Member(i), -i);
  std::vector<uint64_t> first;
  std::vector<uint64_t> second;
  for (auto* cursors : {&first, &second}) {
    uint64_t cursor = 0;
    do {
      cursor = index.Scan(cursor, [](std::string_view, double) {});
      cursors->push_back(cursor);
    } while (cursor != 0);
  }
  EXPECT_EQ(first, second);
  EXPECT_GT(first.size(), 1u);
}

}  // namespace
}  // namespace ember::storage
