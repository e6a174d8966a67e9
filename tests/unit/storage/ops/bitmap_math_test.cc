#include "storage/ops/bitmap_math.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::storage::bitmap {
namespace {

constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();

// A reference popcount, one bit at a time.
uint64_t SlowCount(std::string_view bytes, uint64_t first, uint64_t last) {
  uint64_t count = 0;
  for (uint64_t pos = first; pos <= last; ++pos) count += BitAt(bytes, pos) ? 1 : 0;
  return count;
}

std::optional<uint64_t> SlowFind(std::string_view bytes, bool bit, uint64_t first, uint64_t last) {
  for (uint64_t pos = first; pos <= last; ++pos) {
    if (BitAt(bytes, pos) == bit) return pos;
  }
  return std::nullopt;
}

// Bytes with a recognisable, uneven pattern, longer than a few words.
std::string Pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 37 + 11) ^ (i >> 2));
  return bytes;
}

TEST(BitmapMathTest, BitZeroIsTheMostSignificantBitOfTheFirstByte) {
  const std::string bytes = "\x80\x01";
  EXPECT_TRUE(BitAt(bytes, 0));
  EXPECT_FALSE(BitAt(bytes, 1));
  EXPECT_FALSE(BitAt(bytes, 8));
  EXPECT_TRUE(BitAt(bytes, 15));
}

TEST(BitmapMathTest, BitsPastTheEndReadAsZero) {
  EXPECT_FALSE(BitAt("\xff", 8));
  EXPECT_FALSE(BitAt("", 0));
  EXPECT_FALSE(BitAt("\xff", std::numeric_limits<uint64_t>::max()));
}

TEST(BitmapMathTest, PopCountCountsWordsAndTailBytes) {
  EXPECT_EQ(PopCount(""), 0u);
  EXPECT_EQ(PopCount("foobar"), 26u);
  const std::string ones(19, '\xff');
  EXPECT_EQ(PopCount(ones), 19u * 8);
  const std::string pattern = Pattern(101);
  EXPECT_EQ(PopCount(pattern), SlowCount(pattern, 0, 101 * 8 - 1));
}

TEST(BitmapMathTest, ResolveRangeFollowsRedisStartEndRules) {
  auto range = ResolveRange(6, 0, -1, false);
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->first, 0u);
  EXPECT_EQ(range->last, 47u);
  range = ResolveRange(6, -2, 100, false);
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->first, 32u);
  EXPECT_EQ(range->last, 47u);
  range = ResolveRange(6, 5, 30, true);
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->first, 5u);
  EXPECT_EQ(range->last, 30u);
  range = ResolveRange(6, -100, -200, false);  // clamped to [0, 0]: BITCOUNT special-cases it
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->last, 7u);
}

TEST(BitmapMathTest, ResolveRangeIsEmptyWhenInvertedOrOnAnEmptyString) {
  EXPECT_FALSE(ResolveRange(6, 3, 2, false).has_value());
  EXPECT_FALSE(ResolveRange(6, 100, 200, false).has_value());
  EXPECT_FALSE(ResolveRange(0, 0, -1, false).has_value());
  EXPECT_FALSE(ResolveRange(0, 0, 0, true).has_value());
  EXPECT_FALSE(ResolveRange(6, kMax64, kMax64, true).has_value());
  EXPECT_TRUE(ResolveRange(6, kMin64, kMax64, true).has_value());
}

TEST(BitmapMathTest, CountOnesMatchesBitByBitCountingOnEveryEdge) {
  const std::string bytes = Pattern(40);
  for (uint64_t first = 0; first < 80; first += 3) {
    for (uint64_t last = first; last < 320; last += 7) {
      EXPECT_EQ(CountOnes(bytes, {first, last}), SlowCount(bytes, first, last))
          << first << ".." << last;
    }
  }
}

TEST(BitmapMathTest, FindFirstMatchesBitByBitSearchForBothBits) {
  std::string bytes(48, '\0');
  bytes[29] = '\x10';
  std::string inverted(48, '\xff');
  inverted[29] = '\xef';
  for (uint64_t first = 0; first < 260; first += 5) {
    for (uint64_t last = first; last < 384; last += 11) {
      EXPECT_EQ(FindFirst(bytes, true, {first, last}), SlowFind(bytes, true, first, last));
      EXPECT_EQ(FindFirst(inverted, false, {first, last}), SlowFind(inverted, false, first, last));
    }
  }
  const std::string pattern = Pattern(64);
  EXPECT_EQ(FindFirst(pattern, true, {3, 500}), SlowFind(pattern, true, 3, 500));
  EXPECT_EQ(FindFirst(pattern, false, {3, 500}), SlowFind(pattern, false, 3, 500));
}

TEST(BitmapMathTest, FindFirstReportsNoMatchWithinTheRange) {
  const std::string_view bytes("\x00\x00\x01", 3);
  EXPECT_EQ(FindFirst(bytes, true, {0, 22}), std::nullopt);
  EXPECT_EQ(FindFirst(bytes, true, {0, 23}), std::optional<uint64_t>(23));
  EXPECT_EQ(FindFirst("\xff", false, {0, 7}), std::nullopt);
}

TEST(BitmapMathTest, CombineReadsShortInputsAsZeroPadded) {
  const std::vector<std::string_view> inputs = {std::string_view("\xff\xf0\x0f", 3),
                                                std::string_view("\x0f", 1)};
  EXPECT_EQ(Combine(BitOperation::kAnd, inputs), std::string("\x0f\x00\x00", 3));
  EXPECT_EQ(Combine(BitOperation::kOr, inputs), std::string("\xff\xf0\x0f", 3));
  EXPECT_EQ(Combine(BitOperation::kXor, inputs), std::string("\xf0\xf0\x0f", 3));
  const std::vector<std::string_view> one = {inputs[0]};
  EXPECT_EQ(Combine(BitOperation::kNot, one), std::string("\x00\x0f\xf0", 3));
}

TEST(BitmapMathTest, CombineWordPathAgreesWithBytes) {
  const std::string a = Pattern(77);
  const std::string b = Pattern(90).substr(5);
  const std::vector<std::string_view> inputs = {a, b};
  const std::string anded = Combine(BitOperation::kAnd, inputs);
  const std::string xored = Combine(BitOperation::kXor, inputs);
  ASSERT_EQ(anded.size(), 85u);
  for (size_t i = 0; i < anded.size(); ++i) {
    const char x = i < a.size() ? a[i] : '\0';
    EXPECT_EQ(anded[i], static_cast<char>(x & b[i])) << i;
    EXPECT_EQ(xored[i], static_cast<char>(x ^ b[i])) << i;
  }
}

TEST(BitmapMathTest, FieldsReadBigEndianAcrossBytes) {
  // Redis's example: u5 23 at offset 7 is 00000001 01110000.
  const std::string bytes("\x01\x70", 2);
  EXPECT_EQ(ReadField(bytes, 7, 5), 23u);
  EXPECT_EQ(ReadField(bytes, 0, 16), 0x0170u);
  EXPECT_EQ(ReadField(bytes, 12, 8), 0u);  // past the end reads zero
  const std::string ones(9, '\xff');
  EXPECT_EQ(ReadField(ones, 7, 64), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(ReadField(ones, 3, 1), 1u);
}

TEST(BitmapMathTest, WriteFieldTouchesOnlyItsBits) {
  std::string bytes(2, '\0');
  WriteField(bytes, 7, 5, 23);
  EXPECT_EQ(bytes, std::string("\x01\x70", 2));
  std::string ones(9, '\xff');
  WriteField(ones, 4, 64, 0);
  EXPECT_EQ(ones, std::string("\xf0\x00\x00\x00\x00\x00\x00\x00\x0f", 9));
  EXPECT_EQ(FieldSpan(4, 64), 9u);
  EXPECT_EQ(FieldSpan(0, 64), 8u);
  EXPECT_EQ(FieldSpan(7, 1), 1u);
  EXPECT_EQ(FieldSpan(7, 2), 2u);
}

TEST(BitmapMathTest, SignExtendUsesTheFieldsTopBit) {
  EXPECT_EQ(SignExtend(1, 1), -1);
  EXPECT_EQ(SignExtend(0x80, 8), -128);
  EXPECT_EQ(SignExtend(0x7f, 8), 127);
  EXPECT_EQ(SignExtend(std::numeric_limits<uint64_t>::max(), 64), -1);
}

TEST(BitmapMathTest, UnsignedSumsWrapSaturateOrFail) {
  EXPECT_EQ(AddUnsigned(250, 10, 8, Overflow::kWrap).stored, 4u);
  EXPECT_TRUE(AddUnsigned(250, 10, 8, Overflow::kWrap).overflowed);
  EXPECT_EQ(AddUnsigned(250, 10, 8, Overflow::kSat).stored, 255u);
  EXPECT_EQ(AddUnsigned(5, -10, 8, Overflow::kSat).stored, 0u);
  EXPECT_EQ(AddUnsigned(5, -10, 8, Overflow::kWrap).stored, 251u);
  EXPECT_TRUE(AddUnsigned(5, -10, 8, Overflow::kFail).overflowed);
  EXPECT_FALSE(AddUnsigned(5, -5, 8, Overflow::kFail).overflowed);
  EXPECT_EQ(AddUnsigned(5, 250, 8, Overflow::kFail).stored, 255u);
}

TEST(BitmapMathTest, UnsignedSetOfANegativeValueSaturatesToTheMaximum) {
  // A SET is value + 0: -1 is 2^64 - 1 as unsigned, above any field's maximum.
  EXPECT_EQ(AddUnsigned(static_cast<uint64_t>(-1), 0, 8, Overflow::kSat).stored, 255u);
  EXPECT_EQ(AddUnsigned(static_cast<uint64_t>(-1), 0, 8, Overflow::kWrap).stored, 255u);
  EXPECT_EQ(AddUnsigned(256, 0, 8, Overflow::kWrap).stored, 0u);
  EXPECT_EQ(AddUnsigned(static_cast<uint64_t>(-1), 0, 63, Overflow::kSat).stored,
            static_cast<uint64_t>(kMax64));
}

TEST(BitmapMathTest, SignedSumsWrapSaturateOrFail) {
  EXPECT_EQ(static_cast<int64_t>(AddSigned(127, 1, 8, Overflow::kWrap).stored), -128);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(127, 1, 8, Overflow::kSat).stored), 127);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(-128, -1, 8, Overflow::kSat).stored), -128);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(-128, -1, 8, Overflow::kWrap).stored), 127);
  EXPECT_TRUE(AddSigned(-128, -1, 8, Overflow::kFail).overflowed);
  EXPECT_FALSE(AddSigned(-128, 255, 8, Overflow::kFail).overflowed);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(0, -1, 1, Overflow::kWrap).stored), -1);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(-1, -1, 1, Overflow::kWrap).stored), 0);
}

TEST(BitmapMathTest, SixtyFourBitSignedSumsDetectOverflowWithoutUndefinedArithmetic) {
  EXPECT_EQ(static_cast<int64_t>(AddSigned(kMax64, 1, 64, Overflow::kWrap).stored), kMin64);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(kMax64, 1, 64, Overflow::kSat).stored), kMax64);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(kMin64, -1, 64, Overflow::kSat).stored), kMin64);
  EXPECT_FALSE(AddSigned(kMin64, kMax64, 64, Overflow::kFail).overflowed);
  EXPECT_FALSE(AddSigned(kMax64, kMin64, 64, Overflow::kFail).overflowed);
}

TEST(BitmapMathTest, SignedSetNearInt64MinSaturatesToTheMaximumAsRedisDoes) {
  // Redis's max - value wraps for these values, sending them down the overflow branch.
  EXPECT_EQ(static_cast<int64_t>(AddSigned(kMin64, 0, 8, Overflow::kSat).stored), 127);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(kMin64 + 127, 0, 8, Overflow::kSat).stored), 127);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(kMin64 + 128, 0, 8, Overflow::kSat).stored), -128);
  EXPECT_EQ(static_cast<int64_t>(AddSigned(-129, 0, 8, Overflow::kSat).stored), -128);
}

}  // namespace
}  // namespace ember::storage::bitmap
