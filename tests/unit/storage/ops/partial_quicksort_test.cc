#include "storage/ops/partial_quicksort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <random>
#include <vector>

namespace ember::storage {
namespace {

// The contract: positions first..last hold what a full sort puts there (by value), and the
// result is a permutation.
TEST(PartialQuicksortTest, WantedPositionsHoldTheSortedValues) {
  std::mt19937 rng(7);
  for (size_t n : {0, 1, 5, 7, 8, 40, 41, 100, 1000}) {
    for (int round = 0; round < 20; ++round) {
      std::vector<int> values(n);
      for (int& v : values) v = static_cast<int>(rng() % 50);  // many ties
      if (n == 0) {
        EXPECT_TRUE(PartialQuicksort(0, 0, 0, [](size_t, size_t) { return 0; }).empty());
        continue;
      }
      const size_t first = rng() % n;
      const size_t last = first + rng() % (n - first);
      auto compare = [&values](size_t i, size_t j) {
        return values[i] < values[j] ? -1 : (values[i] == values[j] ? 0 : 1);
      };
      const std::vector<size_t> order = PartialQuicksort(n, first, last, compare);
      std::vector<size_t> seen = order;
      std::sort(seen.begin(), seen.end());
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], i);
      std::vector<int> sorted = values;
      std::sort(sorted.begin(), sorted.end());
      for (size_t k = first; k <= last; ++k) {
        EXPECT_EQ(values[order[k]], sorted[k]) << "n=" << n << " k=" << k;
      }
    }
  }
}

// Below seven elements pqsort is an insertion sort, so equal elements keep their input
// order; past that its partitioning decides where they go (why Ember reproduces it rather
// than using std::partial_sort).
TEST(PartialQuicksortTest, SmallInputsAreInsertionSortedStably) {
  const std::vector<int> values = {3, 1, 2, 1, 3, 1};
  auto compare = [&values](size_t i, size_t j) {
    return values[i] < values[j] ? -1 : (values[i] == values[j] ? 0 : 1);
  };
  EXPECT_EQ(PartialQuicksort(values.size(), 0, 5, compare),
            (std::vector<size_t>{1, 3, 5, 2, 0, 4}));
}

}  // namespace
}  // namespace ember::storage
