#include "storage/ops/hll_format.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/unit/storage/ops/hll_test_util.h"

namespace ember::storage::hll {
namespace {

TEST(HllFormatTest, NewSparseHllIsTheHeaderAndOneXZeroOfEveryRegister) {
  EXPECT_EQ(NewSparseHll(), FromHex("48594c4c010000000000000000000000"
                                    "7fff"));
  EXPECT_TRUE(IsHllString(NewSparseHll()));
  EXPECT_EQ(EncodingOf(NewSparseHll()), Encoding::kSparse);
  EXPECT_EQ(CachedCardinality(NewSparseHll()), 0u);
}

// redis-server 7.0.15: PFADD k e0 leaves XZERO:1318 VAL:1,1 XZERO:15065, and PFADD h a b c
// d e f g, decoded, "Z:1646 v:1,1 Z:5645 v:1,1 Z:1085 v:2,1 z:57 v:1,1 Z:4274 v:2,1
// Z:2445 v:1,1 Z:622 v:1,1 Z:603": the registers and runs below.
TEST(HllFormatTest, ObserveMatchesRedisRegistersAndRuns) {
  EXPECT_EQ(Observe("e0").index, 1318u);
  EXPECT_EQ(Observe("e0").count, 1);
  std::set<std::pair<uint32_t, int>> seen;
  for (std::string_view element : {"a", "b", "c", "d", "e", "f", "g"}) {
    seen.emplace(Observe(element).index, Observe(element).count);
  }
  const std::set<std::pair<uint32_t, int>> expected = {{1646, 1},  {7292, 1},  {8378, 2}, {8436, 1},
                                                       {12711, 2}, {15157, 1}, {15780, 1}};
  EXPECT_EQ(seen, expected);
}

TEST(HllFormatTest, MurmurHashOfTheEmptyStringIsTheSeedMixed) {
  // h = seed ^ 0, then the final mix only: a fixed, endian-neutral value.
  const uint64_t h = MurmurHash64A("", kHashSeed);
  EXPECT_EQ(h, MurmurHash64A(std::string_view(), kHashSeed));
  EXPECT_NE(MurmurHash64A("a", kHashSeed), MurmurHash64A("b", kHashSeed));
  // Eight bytes and more go through the word loop; the tail bytes count too.
  EXPECT_NE(MurmurHash64A("abcdefgh", kHashSeed),
            MurmurHash64A(std::string_view("abcdefgh\0", 9), kHashSeed));
}

TEST(HllFormatTest, ObserveRunIsBoundedByTheSentinelBit) {
  for (int i = 0; i < 10000; ++i) {
    const Observation seen = Observe(std::to_string(i));
    EXPECT_LT(seen.index, kRegisters);
    EXPECT_GE(seen.count, 1);
    EXPECT_LE(seen.count, kRunBits + 1);
  }
}

TEST(HllFormatTest, HeaderCheckFollowsRedis) {
  std::string dense(kDenseSize, '\0');
  dense.replace(0, 4, "HYLL");
  EXPECT_TRUE(IsHllString(dense));
  EXPECT_FALSE(IsHllString(dense.substr(0, kDenseSize - 1)));
  EXPECT_FALSE(IsHllString(dense + "x"));
  std::string sparse = NewSparseHll();
  EXPECT_TRUE(IsHllString(sparse.substr(0, kHeaderSize)));  // opcodes are not checked here
  EXPECT_FALSE(IsHllString(sparse.substr(0, kHeaderSize - 1)));
  sparse[kEncodingOffset] = 2;
  EXPECT_FALSE(IsHllString(sparse));
  sparse = NewSparseHll();
  sparse[0] = 'h';
  EXPECT_FALSE(IsHllString(sparse));
  sparse = NewSparseHll();
  sparse[5] = 'x';  // reserved bytes are never checked
  EXPECT_TRUE(IsHllString(sparse));
}

TEST(HllFormatTest, CacheIsLittleEndianWithAStaleBit) {
  std::string hll = NewSparseHll();
  const std::array<char, 8> bytes = CardinalityBytes(0x0102030405060708ULL);
  std::copy(bytes.begin(), bytes.end(), hll.begin() + kCardinalityOffset);
  EXPECT_EQ(hll.substr(kCardinalityOffset, 8), FromHex("0807060504030201"));
  EXPECT_EQ(CachedCardinality(hll), 0x0102030405060708ULL);
  MarkStale(hll);
  EXPECT_EQ(static_cast<uint8_t>(hll[15]), 0x81);
  EXPECT_EQ(CachedCardinality(hll), std::nullopt);
}

TEST(HllFormatTest, DenseRegistersDoNotDisturbTheirNeighbours) {
  std::vector<uint8_t> registers(kDenseRegisterBytes, 0);
  std::vector<uint8_t> expected(kRegisters, 0);
  uint32_t state = 12345;
  for (int round = 0; round < 3; ++round) {
    for (uint32_t i = 0; i < kRegisters; ++i) {
      state = state * 1103515245 + 12345;
      expected[i] = static_cast<uint8_t>((state >> 16) & kRegisterMax);
      SetDenseRegister(registers.data(), i, expected[i]);
    }
    for (uint32_t i = 0; i < kRegisters; ++i) {
      ASSERT_EQ(DenseRegister(registers.data(), i), expected[i]) << "register " << i;
    }
  }
}

TEST(HllFormatTest, DenseRegistersPackLeastSignificantBitFirst) {
  std::vector<uint8_t> registers(kDenseRegisterBytes, 0);
  SetDenseRegister(registers.data(), 0, 0x3f);
  EXPECT_EQ(registers[0], 0x3f);
  SetDenseRegister(registers.data(), 1, 0x3f);
  EXPECT_EQ(registers[0], 0xff);
  EXPECT_EQ(registers[1], 0x0f);
  SetDenseRegister(registers.data(), kRegisters - 1, 0x21);
  EXPECT_EQ(registers[kDenseRegisterBytes - 1], 0x21 << 2);
  EXPECT_EQ(DenseRegisterSpan(0).length, 1u);
  EXPECT_EQ(DenseRegisterSpan(1).length, 2u);
  EXPECT_EQ(DenseRegisterSpan(2).length, 2u);
  EXPECT_EQ(DenseRegisterSpan(3).length, 1u);
  EXPECT_EQ(DenseRegisterSpan(kRegisters - 1).offset, kDenseRegisterBytes - 1);
}

}  // namespace
}  // namespace ember::storage::hll
