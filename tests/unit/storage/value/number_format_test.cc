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

}  // namespace
}  // namespace ember::storage
