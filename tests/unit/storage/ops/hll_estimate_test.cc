#include "storage/ops/hll_estimate.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

#include "storage/ops/hll_format.h"
#include "storage/ops/hll_sparse.h"

namespace ember::storage::hll {
namespace {

// A dense HLL of "e<first>".."e<last - 1>".
std::string DenseOf(int first, int last) {
  std::string dense;
  EXPECT_TRUE(SparseToDense(NewSparseHll(), &dense));
  auto* registers = reinterpret_cast<uint8_t*>(dense.data() + kHeaderSize);
  for (int i = first; i < last; ++i) {
    const Observation seen = Observe("e" + std::to_string(i));
    if (seen.count > DenseRegister(registers, seen.index)) {
      SetDenseRegister(registers, seen.index, seen.count);
    }
  }
  return dense;
}

uint64_t Estimate(std::string_view hll) {
  uint64_t cardinality = 0;
  EXPECT_TRUE(EstimateHll(hll, &cardinality));
  return cardinality;
}

TEST(HllEstimateTest, EmptyIsZero) {
  EXPECT_EQ(Estimate(NewSparseHll()), 0u);
  EXPECT_EQ(Estimate(DenseOf(0, 0)), 0u);
  Histogram histogram{};
  histogram[0] = kRegisters;
  EXPECT_EQ(EstimateCardinality(histogram), 0u);
}

// PFCOUNT on redis-server 7.0.15 after PFADD of "e0".."e<n-1>".
TEST(HllEstimateTest, EstimatesMatchRedis) {
  const std::pair<int, uint64_t> kRedis[] = {
      {1, 1}, {10, 10}, {100, 100}, {1000, 1008}, {2000, 2000}, {5000, 4968}, {100000, 100853}};
  for (const auto& [n, expected] : kRedis) {
    EXPECT_EQ(Estimate(DenseOf(0, n)), expected) << n << " elements";
  }
}

TEST(HllEstimateTest, SparseAndDenseAgree) {
  std::string sparse = NewSparseHll();
  for (int i = 0; i < 1000; ++i) {
    const Observation seen = Observe("e" + std::to_string(i));
    ASSERT_NE(SetSparseRegister(sparse, seen.index, seen.count, 100000), SetOutcome::kCorrupt);
  }
  ASSERT_EQ(EncodingOf(sparse), Encoding::kSparse);
  const std::string dense = DenseOf(0, 1000);
  EXPECT_EQ(DenseHistogram(dense), [&] {
    Histogram h{};
    EXPECT_TRUE(SparseHistogram(sparse, &h));
    return h;
  }());
  EXPECT_EQ(Estimate(sparse), Estimate(dense));
}

// PFCOUNT n1000 n5000 n100000 on redis-server 7.0.15 (a union of nested sets).
TEST(HllEstimateTest, UnionOfMergedRegistersMatchesRedis) {
  std::array<uint8_t, kRegisters> max{};
  ASSERT_TRUE(MergeInto(DenseOf(0, 1000), &max));
  ASSERT_TRUE(MergeInto(DenseOf(0, 5000), &max));
  ASSERT_TRUE(MergeInto(DenseOf(0, 100000), &max));
  EXPECT_EQ(EstimateCardinality(ByteHistogram(max)), 100853u);
}

TEST(HllEstimateTest, MergingSparseAndDenseTakesTheMaximum) {
  std::string sparse = NewSparseHll();
  ASSERT_EQ(SetSparseRegister(sparse, 5, 7, 3000), SetOutcome::kUpdated);
  std::array<uint8_t, kRegisters> max{};
  max[5] = 3;
  max[6] = 9;
  ASSERT_TRUE(MergeInto(sparse, &max));
  EXPECT_EQ(max[5], 7);
  EXPECT_EQ(max[6], 9);
  sparse.pop_back();  // the XZERO after register 5 loses its second byte: runs fall short
  EXPECT_FALSE(MergeInto(sparse, &max));
}

// redis-server 7.0.15 answers these PFCOUNTs of hand-made dense strings.
TEST(HllEstimateTest, RegistersAboveTheLongestRunAreIgnoredAsInRedis) {
  std::string dense = DenseOf(0, 0);
  auto* registers = reinterpret_cast<uint8_t*>(dense.data() + kHeaderSize);
  SetDenseRegister(registers, 0, 63);
  const Histogram histogram = DenseHistogram(dense);
  EXPECT_EQ(histogram[63], 1u);
  EXPECT_EQ(histogram[0], kRegisters - 1);
  EXPECT_EQ(Estimate(dense), 1u);
}

TEST(HllEstimateTest, AllRegistersAtTheLongestRunGiveRedisOverflowPattern) {
  Histogram histogram{};
  histogram[kRunBits + 1] = kRegisters;
  EXPECT_EQ(EstimateCardinality(histogram), uint64_t{1} << 63);
}

}  // namespace
}  // namespace ember::storage::hll
