#include "storage/value/number_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace ember::storage {
namespace {

TEST(ParseInt64Test, AcceptsCanonicalIntegers) {
  EXPECT_EQ(ParseInt64("0"), 0);
  EXPECT_EQ(ParseInt64("1"), 1);
  EXPECT_EQ(ParseInt64("-1"), -1);
  EXPECT_EQ(ParseInt64("99"), 99);
  EXPECT_EQ(ParseInt64("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseInt64("-9223372036854775808"), std::numeric_limits<int64_t>::min());
}

TEST(ParseInt64Test, RejectsWhatRedisRejects) {
  for (const char* text : {"", "-", "+1", " 1", "1 ", "01", "-0", "-01", "00", "1a", "0x10", "1.0",
                           "9223372036854775808", "-9223372036854775809", "18446744073709551616",
                           "99999999999999999999"}) {
    EXPECT_FALSE(ParseInt64(text).has_value()) << text;
  }
}

TEST(ParseInt64Test, RejectsMoreThanTwentyBytes) {
  EXPECT_FALSE(ParseInt64("000000000000000000001").has_value());
  EXPECT_FALSE(ParseInt64("-00000000000000000001").has_value());
}

TEST(ParseInt64Test, RejectsEmbeddedNul) {
  EXPECT_FALSE(ParseInt64(std::string("12\0", 3)).has_value());
}

TEST(FormatInt64Test, RoundTripsExtremes) {
  char buf[24];
  EXPECT_EQ(std::string(buf, FormatInt64(std::numeric_limits<int64_t>::min(), buf)),
            "-9223372036854775808");
  EXPECT_EQ(Int64ToString(std::numeric_limits<int64_t>::max()), "9223372036854775807");
  EXPECT_EQ(Int64ToString(0), "0");
  EXPECT_EQ(Int64ToString(-42), "-42");
}

TEST(ParseLongDoubleTest, AcceptsWhatStrtoldParsesWhole) {
  EXPECT_EQ(ParseLongDouble("10.5"), 10.5L);
  EXPECT_EQ(ParseLongDouble("3.0e3"), 3000.0L);
  EXPECT_EQ(ParseLongDouble("+1"), 1.0L);
  EXPECT_EQ(ParseLongDouble("-.5"), -0.5L);
  EXPECT_EQ(ParseLongDouble("0x10"), 16.0L);
  auto inf = ParseLongDouble("inf");
  ASSERT_TRUE(inf.has_value());
  EXPECT_TRUE(std::isinf(*inf));
}

TEST(ParseLongDoubleTest, RejectsSpacesNanGarbageAndLostRange) {
  for (const char* text : {"", " 1", "\t1", "1 ", "nan", "NaN", "-nan", "abc", "1.5x", "1e",
                           "1e99999", "-1e99999", "1e-99999"}) {
    EXPECT_FALSE(ParseLongDouble(text).has_value()) << text;
  }
}

TEST(ParseLongDoubleTest, StopsAtEmbeddedNulAsRedisDoes) {
  EXPECT_EQ(ParseLongDouble(std::string("1.5\0zz", 6)), 1.5L);
}

TEST(FormatLongDoubleHumanTest, StripsTrailingZerosAndDot) {
  EXPECT_EQ(FormatLongDoubleHuman(10.5L), "10.5");
  EXPECT_EQ(FormatLongDoubleHuman(3.0e3L), "3000");
  EXPECT_EQ(FormatLongDoubleHuman(5.0e-3L), "0.005");
  EXPECT_EQ(FormatLongDoubleHuman(0.0L), "0");
  EXPECT_EQ(FormatLongDoubleHuman(-0.0L), "0");
  EXPECT_EQ(FormatLongDoubleHuman(-1.25L), "-1.25");
  EXPECT_EQ(FormatLongDoubleHuman(100.0L), "100");
}

TEST(FormatLongDoubleHumanTest, MatchesIncrByFloatExamples) {
  // Redis's INCRBYFLOAT documentation: 10.50 + 0.1 = 10.6; 5.0e3 + 2.0e2 = 5200.
  EXPECT_EQ(FormatLongDoubleHuman(*ParseLongDouble("10.50") + *ParseLongDouble("0.1")), "10.6");
  EXPECT_EQ(FormatLongDoubleHuman(*ParseLongDouble("5.0e3") + *ParseLongDouble("2.0e2")), "5200");
}

TEST(FormatLongDoubleHumanTest, RendersInfinitiesAndHugeValuesInFull) {
  EXPECT_EQ(FormatLongDoubleHuman(std::numeric_limits<long double>::infinity()), "inf");
  EXPECT_EQ(FormatLongDoubleHuman(-std::numeric_limits<long double>::infinity()), "-inf");
  std::string big = FormatLongDoubleHuman(1e30L);
  EXPECT_EQ(big.size(), 31u);
  EXPECT_EQ(big.substr(0, 1), "1");
  EXPECT_EQ(big.find('.'), std::string::npos);
}

TEST(ParseDoubleTest, AcceptsAndRejectsLikeString2d) {
  EXPECT_EQ(ParseDouble("1.5"), 1.5);
  EXPECT_EQ(ParseDouble("-2e2"), -200.0);
  EXPECT_EQ(ParseDouble("+3"), 3.0);
  ASSERT_TRUE(ParseDouble("-inf").has_value());
  EXPECT_TRUE(std::isinf(*ParseDouble("-inf")));
  for (const char* text : {"", " 1", "1 ", "nan", "x", "1e400", "1e-400"}) {
    EXPECT_FALSE(ParseDouble(text).has_value()) << text;
  }
  EXPECT_FALSE(ParseDouble(std::string("1\0", 2)).has_value());
}

// zzlInsertAt asks double2ll before d2string, so -0.0 is stored as the integer 0.
TEST(FormatScoreTest, WritesInfinitiesAndBothZerosAsRedisListpackStoresThem) {
  EXPECT_EQ(FormatScore(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatScore(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(FormatScore(0.0), "0");
  EXPECT_EQ(FormatScore(-0.0), "0");
}

TEST(FormatScoreTest, WritesIntegralValuesWithinTwoToThe62AsIntegers) {
  EXPECT_EQ(FormatScore(3.0), "3");
  EXPECT_EQ(FormatScore(-3.0), "-3");
  EXPECT_EQ(FormatScore(1e15), "1000000000000000");
  EXPECT_EQ(FormatScore(9007199254740992.0), "9007199254740992");        // 2^53
  EXPECT_EQ(FormatScore(4611686018427387904.0), "4611686018427387904");  // 2^62
  EXPECT_EQ(FormatScore(-4611686018427387904.0), "-4611686018427387904");
}

TEST(FormatScoreTest, WritesIntegralValuesBeyondTwoToThe62WithPercent17g) {
  const double above = std::nextafter(4611686018427387904.0, 1e300);
  EXPECT_EQ(FormatScore(above), "4.6116860184273889e+18");
  EXPECT_EQ(FormatScore(-above), "-4.6116860184273889e+18");
  EXPECT_EQ(FormatScore(1e20), "1e+20");
  EXPECT_EQ(FormatScore(9223372036854775808.0), "9.2233720368547758e+18");  // 2^63
}

TEST(FormatScoreTest, WritesFractionsWithSeventeenSignificantDigits) {
  EXPECT_EQ(FormatScore(0.1), "0.10000000000000001");
  EXPECT_EQ(FormatScore(-0.1), "-0.10000000000000001");
  EXPECT_EQ(FormatScore(1.5), "1.5");
  EXPECT_EQ(FormatScore(-2.25), "-2.25");
  EXPECT_EQ(FormatScore(1e300), "1.0000000000000001e+300");
  EXPECT_EQ(FormatScore(1e-300), "1e-300");
  EXPECT_EQ(FormatScore(2.5e-5), "2.5000000000000001e-05");
}

// What FormatScore writes reads back as the same double (the packed sorted set relies on it).
// Every score but -0.0 (stored as 0, see above) reads back bit for bit.
TEST(FormatScoreTest, RoundTripsThroughParseDouble) {
  const double values[] = {0.1,
                           -0.1,
                           1.0 / 3.0,
                           std::nextafter(1.0, 2.0),
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::lowest(),
                           std::numeric_limits<double>::min(),
                           std::numeric_limits<double>::denorm_min(),
                           4611686018427387904.0,
                           std::nextafter(4611686018427387904.0, 1e300),
                           123456789.125,
                           std::numeric_limits<double>::infinity()};
  for (const double value : values) {
    const std::optional<double> parsed = ParseDouble(FormatScore(value));
    ASSERT_TRUE(parsed.has_value()) << FormatScore(value);
    EXPECT_EQ(*parsed, value) << FormatScore(value);
    EXPECT_EQ(std::signbit(*parsed), std::signbit(value)) << FormatScore(value);
  }
}

}  // namespace
}  // namespace ember::storage
