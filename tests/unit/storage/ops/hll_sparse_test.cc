#include "storage/ops/hll_sparse.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/ops/hll_estimate.h"
#include "storage/ops/hll_format.h"
#include "tests/unit/storage/ops/hll_test_util.h"

namespace ember::storage::hll {
namespace {

constexpr size_t kDefaultMaxBytes = 3000;

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : bytes) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  return h;
}

// PFADD of "e0".."e<n-1>" then PFCOUNT, as redis-server does it.
std::string BuildLikeRedis(int n, size_t max_bytes = kDefaultMaxBytes) {
  std::string hll = NewSparseHll();
  for (int i = 0; i < n; ++i) {
    const Observation seen = Observe("e" + std::to_string(i));
    if (EncodingOf(hll) == Encoding::kSparse) {
      EXPECT_NE(SetSparseRegister(hll, seen.index, seen.count, max_bytes), SetOutcome::kCorrupt);
    } else {
      auto* registers = reinterpret_cast<uint8_t*>(hll.data() + kHeaderSize);
      if (seen.count > DenseRegister(registers, seen.index)) {
        SetDenseRegister(registers, seen.index, seen.count);
      }
    }
  }
  uint64_t cardinality = 0;
  EXPECT_TRUE(EstimateHll(hll, &cardinality));
  const auto cache = CardinalityBytes(cardinality);
  hll.replace(kCardinalityOffset, 8, cache.data(), cache.size());
  return hll;
}

std::string WithOps(std::string_view hex_ops) {
  return FromHex("48594c4c010000000000000000000000") + FromHex(hex_ops);
}

// Golden strings: GET after PFADD and PFCOUNT on redis-server 7.0.15.
TEST(HllSparseTest, TenElementsGiveRedisBytes) {
  EXPECT_EQ(BuildLikeRedis(1), FromHex("48594c4c0100000001000000000000004525807ad8"));
  EXPECT_EQ(BuildLikeRedis(10),
            FromHex("48594c4c010000000a00000000000000452580472e844fc9804412844a5184430d8441"
                    "03844eb984408880406a8441b1"));
}

TEST(HllSparseTest, LargerSetsGiveRedisBytesAndPromoteAtTheLimit) {
  EXPECT_EQ(Fnv1a(BuildLikeRedis(100)), 0x40dec5e3b1513cfaULL);
  const std::string thousand = BuildLikeRedis(1000);
  EXPECT_EQ(thousand.size(), 1906u);
  EXPECT_EQ(Fnv1a(thousand), 0x4ded8ea0046b668dULL);
  const std::string two_thousand = BuildLikeRedis(2000);
  EXPECT_EQ(EncodingOf(two_thousand), Encoding::kDense);
  EXPECT_EQ(Fnv1a(two_thousand), 0xdd4d26f186b57d33ULL);
  EXPECT_EQ(Fnv1a(BuildLikeRedis(5000)), 0x9219c5a2921db657ULL);
}

TEST(HllSparseTest, NeverGrowsPastTheLimit) {
  for (size_t limit : {0, 17, 100, 500}) {
    std::string hll = NewSparseHll();
    for (int i = 0; i < 400 && EncodingOf(hll) == Encoding::kSparse; ++i) {
      const Observation seen = Observe("x" + std::to_string(i));
      ASSERT_NE(SetSparseRegister(hll, seen.index, seen.count, limit), SetOutcome::kCorrupt);
      if (EncodingOf(hll) == Encoding::kSparse) {
        EXPECT_LE(hll.size(), std::max<size_t>(limit, 18));
      }
    }
  }
}

TEST(HllSparseTest, SplitsAZeroRunAndMergesEqualNeighbours) {
  std::string hll = NewSparseHll();
  EXPECT_EQ(SetSparseRegister(hll, 100, 3, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "Z:100 v:3,1 Z:16283");
  EXPECT_EQ(SetSparseRegister(hll, 100, 2, kDefaultMaxBytes), SetOutcome::kUnchanged);
  EXPECT_EQ(SetSparseRegister(hll, 101, 3, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "Z:100 v:3,2 Z:16282");
  EXPECT_EQ(SetSparseRegister(hll, 103, 3, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "Z:100 v:3,2 z:1 v:3,1 Z:16280");
  EXPECT_EQ(SetSparseRegister(hll, 102, 3, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "Z:100 v:3,4 Z:16280");
  EXPECT_EQ(SetSparseRegister(hll, 101, 5, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "Z:100 v:3,1 v:5,1 v:3,2 Z:16280");
  EXPECT_EQ(static_cast<uint8_t>(hll[15]) & kStaleBit, kStaleBit);
}

TEST(HllSparseTest, ShortZeroRunsUseTheOneByteOpcode) {
  std::string hll = NewSparseHll();
  ASSERT_EQ(SetSparseRegister(hll, 64, 1, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "z:64 v:1,1 Z:16319");
  ASSERT_EQ(SetSparseRegister(hll, 0, 1, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "v:1,1 z:63 v:1,1 Z:16319");
  ASSERT_EQ(SetSparseRegister(hll, kRegisters - 1, 2, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "v:1,1 z:63 v:1,1 Z:16318 v:2,1");
}

TEST(HllSparseTest, AValueAbove32MakesItDense) {
  std::string hll = NewSparseHll();
  ASSERT_EQ(SetSparseRegister(hll, 7, 2, kDefaultMaxBytes), SetOutcome::kUpdated);
  ASSERT_EQ(SetSparseRegister(hll, 9, 33, kDefaultMaxBytes), SetOutcome::kUpdated);
  ASSERT_EQ(EncodingOf(hll), Encoding::kDense);
  ASSERT_TRUE(IsHllString(hll));
  const auto* registers = reinterpret_cast<const uint8_t*>(hll.data() + kHeaderSize);
  EXPECT_EQ(DenseRegister(registers, 7), 2);
  EXPECT_EQ(DenseRegister(registers, 9), 33);
  EXPECT_EQ(DenseRegister(registers, 8), 0);
}

TEST(HllSparseTest, ToDenseKeepsTheWholeHeader) {
  std::string hll = WithOps(
      "4000"
      "80"
      "7ffd");  // Z:1 v:1,1 Z:16382
  hll[5] = 'r';
  hll[9] = 0x12;
  std::string dense;
  ASSERT_TRUE(SparseToDense(hll, &dense));
  EXPECT_EQ(dense.size(), kDenseSize);
  EXPECT_EQ(dense.substr(0, 4), "HYLL");
  EXPECT_EQ(dense[kEncodingOffset], 0);
  EXPECT_EQ(dense[5], 'r');
  EXPECT_EQ(dense[9], 0x12);
  EXPECT_EQ(DenseRegister(reinterpret_cast<const uint8_t*>(dense.data() + kHeaderSize), 1), 1);
}

// Corruption: runs that fall short of or pass 16384 registers.
TEST(HllSparseTest, RunsNotAddingUpAreCorrupt) {
  std::string dense;
  EXPECT_FALSE(SparseToDense(WithOps(""), &dense));
  EXPECT_FALSE(SparseToDense(WithOps("7ffe"), &dense));  // 16383
  EXPECT_FALSE(SparseToDense(WithOps("7fff"
                                     "00"),
                             &dense));  // 16385
  EXPECT_FALSE(SparseToDense(WithOps("7ffe"
                                     "83"),
                             &dense));  // a VAL past the end
  EXPECT_TRUE(SparseToDense(WithOps("7ffe"
                                    "80"),
                            &dense));
  Histogram histogram;
  EXPECT_FALSE(SparseHistogram(WithOps("7ffe"), &histogram));
  EXPECT_TRUE(SparseHistogram(WithOps("7ffe"
                                      "80"),
                              &histogram));
  EXPECT_EQ(histogram[0], kRegisters - 1);
  EXPECT_EQ(histogram[1], 1u);
}

TEST(HllSparseTest, ASetPastTheLastRunIsCorruptAndChangesNothing) {
  std::string hll = WithOps("4063");  // XZERO of 100 registers only
  const std::string before = hll;
  EXPECT_EQ(SetSparseRegister(hll, 100, 1, kDefaultMaxBytes), SetOutcome::kCorrupt);
  EXPECT_EQ(hll, before);
  // A register the short runs do cover is set, as Redis does, without noticing.
  EXPECT_EQ(SetSparseRegister(hll, 50, 1, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "z:50 v:1,1 z:49");
  // Promotion checks the whole string.
  EXPECT_EQ(SetSparseRegister(hll, 10, 40, kDefaultMaxBytes), SetOutcome::kCorrupt);
  EXPECT_EQ(EncodingOf(hll), Encoding::kSparse);
}

TEST(HllSparseTest, AnXZeroCutShortReadsItsMissingByteAsZero) {
  EXPECT_EQ(DescribeSparse(WithOps("7f")), "Z:16129");
  EXPECT_EQ(DescribeSparse(WithOps("40")), "Z:1");
  EXPECT_EQ(DescribeSparse(WithOps("")), "");
  // Redis splices as if the opcode had both bytes: the split's last byte falls off.
  std::string hll = WithOps("40");
  ASSERT_EQ(SetSparseRegister(hll, 0, 1, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(hll.size(), kHeaderSize);
  hll = WithOps("41");  // 257 registers, cut short
  ASSERT_EQ(SetSparseRegister(hll, 0, 1, kDefaultMaxBytes), SetOutcome::kUpdated);
  EXPECT_EQ(DescribeSparse(hll), "v:1,1 Z:1");  // the XZERO of 256 lost its second byte
}

TEST(HllSparseTest, DescribeNamesEveryOpcode) {
  EXPECT_EQ(DescribeSparse(WithOps("00"
                                   "3f"
                                   "4000"
                                   "7fff"
                                   "80"
                                   "ff")),
            "z:1 z:64 Z:1 Z:16384 v:1,1 v:32,4");
}

}  // namespace
}  // namespace ember::storage::hll
