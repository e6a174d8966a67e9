#include "persistence/read_ahead.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace ember::persistence {
namespace {

struct Numbers {
  std::vector<int> values;
};

TEST(ReadAheadTest, BatchesArriveInFillOrderUpToTheLast) {
  int next = 0;
  ReadAhead<Numbers> read_ahead(
      [&next](Numbers& batch) {
        batch.values.clear();
        for (int i = 0; i < 10 && next < 1000; ++i) batch.values.push_back(next++);
        return next < 1000;
      },
      3);
  std::vector<int> seen;
  for (;;) {
    Numbers* batch = read_ahead.Take();
    seen.insert(seen.end(), batch->values.begin(), batch->values.end());
    if (seen.size() == 1000) break;
    read_ahead.Recycle(batch);
  }
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(seen[static_cast<size_t>(i)], i);
}

TEST(ReadAheadTest, FillsNoMoreThanItsBatchesAheadOfTheConsumer) {
  std::atomic<int> fills{0};
  {
    ReadAhead<Numbers> read_ahead(
        [&fills](Numbers&) {
          ++fills;
          return true;  // endless input
        },
        4);
    Numbers* first = read_ahead.Take();
    read_ahead.Recycle(first);
    read_ahead.Take();  // kept: at most the 4 batches can be filled before the consumer
  }                     // destroying it stops the endless thread; a hang fails the test by timeout
  EXPECT_GE(fills.load(), 2);
  EXPECT_LE(fills.load(), 5);
}

}  // namespace
}  // namespace ember::persistence
