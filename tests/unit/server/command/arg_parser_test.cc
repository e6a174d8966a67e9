#include "server/command/arg_parser.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "server/command/error_replies.h"

namespace ember::server {
namespace {

std::vector<std::string_view> Args(std::initializer_list<std::string_view> args) { return args; }

TEST(ArgParserTest, StartsAtTheGivenArgument) {
  const auto args = Args({"SET", "k", "v", "NX"});
  ArgParser parser(args, 3);
  ASSERT_TRUE(parser.HasNext());
  EXPECT_EQ(parser.Peek(), "NX");
  EXPECT_EQ(parser.remaining(), 1u);
}

TEST(ArgParserTest, CheckMatchesAnyLetterCaseAndConsumesOnlyOnAMatch) {
  const auto args = Args({"nX", "xx"});
  ArgParser parser(args);
  EXPECT_FALSE(parser.Check("XX"));
  EXPECT_TRUE(parser.Check("NX"));
  EXPECT_TRUE(parser.Check("XX"));
  EXPECT_FALSE(parser.HasNext());
  EXPECT_TRUE(parser.ok());
}

TEST(ArgParserTest, ValueReturnsTheArgumentAfterItsKeyword) {
  const auto args = Args({"MATCH", "a*", "COUNT", "5"});
  ArgParser parser(args);
  EXPECT_FALSE(parser.Value("COUNT").has_value());  // not next: nothing consumed
  EXPECT_EQ(parser.Value("match"), "a*");
  EXPECT_EQ(parser.Value("count"), "5");
  EXPECT_TRUE(parser.ok());
}

TEST(ArgParserTest, KeywordWithoutItsValueIsASyntaxError) {
  const auto args = Args({"COUNT"});
  ArgParser parser(args);
  EXPECT_FALSE(parser.Value("COUNT").has_value());
  ASSERT_FALSE(parser.ok());
  EXPECT_EQ(parser.error(), kErrSyntax);
}

TEST(ArgParserTest, NextInt64AppliesRedisIntegerRules) {
  const auto args = Args({"12", "-3", "+4", "007", "x"});
  ArgParser parser(args);
  EXPECT_EQ(parser.NextInt64(kErrNotInteger), 12);
  EXPECT_EQ(parser.NextInt64(kErrNotInteger), -3);
  EXPECT_FALSE(parser.NextInt64(kErrNotInteger).has_value());  // "+4" is not canonical
  EXPECT_EQ(parser.error(), kErrNotInteger);
}

TEST(ArgParserTest, MissingIntegerIsASyntaxErrorNotAnIntegerError) {
  const auto args = Args({"LIMIT"});
  ArgParser parser(args, 1);
  EXPECT_FALSE(parser.NextInt64(kErrNotInteger).has_value());
  EXPECT_EQ(parser.error(), kErrSyntax);
}

TEST(ArgParserTest, FirstFailureWinsAndEndsTheParse) {
  const auto args = Args({"BOGUS", "NX"});
  ArgParser parser(args);
  parser.Fail("ERR first");
  parser.Fail("ERR second");
  EXPECT_EQ(parser.error(), "ERR first");
  EXPECT_FALSE(parser.HasNext());
  EXPECT_FALSE(parser.Check("BOGUS"));  // nothing is consumed after a failure
  EXPECT_FALSE(parser.Next().has_value());
  EXPECT_EQ(parser.error(), "ERR first");
}

TEST(ArgParserTest, OptionLoopReportsTheLeftmostProblem) {
  // The shape every handler uses: a loop over keywords, an unknown one failing.
  const auto args = Args({"NX", "PX", "100", "BOGUS", "EX"});
  ArgParser parser(args);
  bool nx = false;
  std::string_view px;
  while (parser.HasNext()) {
    if (parser.Check("NX")) {
      nx = true;
    } else if (auto value = parser.Value("PX")) {
      px = *value;
    } else {
      parser.Fail(kErrSyntax);
    }
  }
  EXPECT_TRUE(nx);
  EXPECT_EQ(px, "100");
  ASSERT_FALSE(parser.ok());
  EXPECT_EQ(parser.error(), kErrSyntax);
  EXPECT_EQ(parser.Peek(), "");  // stopped at BOGUS; EX never read
}

}  // namespace
}  // namespace ember::server
