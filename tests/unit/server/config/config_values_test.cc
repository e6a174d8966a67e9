#include "server/config/config_values.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace ember::server {
namespace {

TEST(ConfigValuesTest, MemorySizesFollowRedisUnits) {
  EXPECT_EQ(ParseMemorySize("1024"), 1024);
  EXPECT_EQ(ParseMemorySize("1k"), 1000);
  EXPECT_EQ(ParseMemorySize("1KB"), 1024);
  EXPECT_EQ(ParseMemorySize("512mb"), 512LL * 1024 * 1024);
  EXPECT_EQ(ParseMemorySize("1gb"), 1LL << 30);
  EXPECT_EQ(ParseMemorySize("007"), 7);  // Redis reads sizes with strtoull
  EXPECT_EQ(ParseMemorySize("12xb"), -1);
  EXPECT_EQ(ParseMemorySize(""), -1);
  EXPECT_EQ(ParseMemorySize("-1"), -1);
  EXPECT_EQ(ParseMemorySize("1 kb"), -1);
}

TEST(ConfigValuesTest, MemorySizeThatOverflowsIsMalformed) {
  EXPECT_EQ(ParseMemorySize("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseMemorySize("9223372036854775808"), -1);
  EXPECT_EQ(ParseMemorySize("8589934592gb"), -1);  // 2^33 GiB is 2^63 bytes
  EXPECT_EQ(ParseMemorySize("8589934591gb"), int64_t{8589934591} * 1024 * 1024 * 1024);
}

TEST(ConfigValuesTest, IntegersFollowRedisString2ll) {
  EXPECT_EQ(ParseConfigInteger("42"), 42);
  EXPECT_EQ(ParseConfigInteger("-1"), -1);
  EXPECT_EQ(ParseConfigInteger("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(ParseConfigInteger("007"));
  EXPECT_FALSE(ParseConfigInteger("+5"));
  EXPECT_FALSE(ParseConfigInteger(" 5"));
  EXPECT_FALSE(ParseConfigInteger("5.0"));
  EXPECT_FALSE(ParseConfigInteger(""));
  EXPECT_FALSE(ParseConfigInteger("9223372036854775808"));
}

TEST(ConfigValuesTest, YesNoIgnoresLetterCase) {
  EXPECT_EQ(ParseYesNo("yes"), true);
  EXPECT_EQ(ParseYesNo("YES"), true);
  EXPECT_EQ(ParseYesNo("nO"), false);
  EXPECT_FALSE(ParseYesNo("y"));
  EXPECT_FALSE(ParseYesNo("1"));
  EXPECT_EQ(FormatYesNo(true), "yes");
  EXPECT_EQ(FormatYesNo(false), "no");
}

TEST(ConfigValuesTest, WordsSplitOnSpacesAndJoinBack) {
  EXPECT_EQ(SplitWords(" a  b c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitWords("").empty());
  EXPECT_EQ(JoinWords({"127.0.0.1", "::1"}), "127.0.0.1 ::1");
  EXPECT_EQ(JoinWords({}), "");
}

TEST(ConfigValuesTest, AddressListsHoldOneToSixteenAddresses) {
  EXPECT_EQ(ValidateAddressList("127.0.0.1 ::1", false), "");
  EXPECT_EQ(ValidateAddressList("", true), "");
  EXPECT_NE(ValidateAddressList("", false), "");
  std::string seventeen;
  for (int i = 0; i < 17; ++i) seventeen += "10.0.0." + std::to_string(i) + " ";
  EXPECT_EQ(ValidateAddressList(seventeen, true), "Too many bind addresses specified.");
}

}  // namespace
}  // namespace ember::server
