#include "protocol/inline_splitter.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace ember::protocol {
namespace {

using Args = std::vector<std::string>;

TEST(InlineSplitterTest, BlanksSeparateArguments) {
  EXPECT_EQ(SplitInlineArgs("  SET\tkey \r\n value \f\v"), Args({"SET", "key", "value"}));
}

TEST(InlineSplitterTest, BlankLineHasNoArguments) {
  EXPECT_EQ(SplitInlineArgs(""), Args());
  EXPECT_EQ(SplitInlineArgs(" \t\v\f "), Args());
}

TEST(InlineSplitterTest, VerticalTabAndFormFeedInsideABareArgumentAreKept) {
  EXPECT_EQ(SplitInlineArgs("a\vb c\fd"), Args({"a\vb", "c\fd"}));
}

TEST(InlineSplitterTest, DoubleQuotesKeepBlanksAndDecodeEscapes) {
  EXPECT_EQ(SplitInlineArgs(R"("a b" "\n\r\t\b\a\\\"")"), Args({"a b", "\n\r\t\b\a\\\""}));
}

TEST(InlineSplitterTest, HexEscapesNeedTwoHexDigits) {
  EXPECT_EQ(SplitInlineArgs(R"("\x41\x4a\x4A\x00z")"), Args({std::string("AJJ\0z", 5)}));
  EXPECT_EQ(SplitInlineArgs(R"("\xzz\x4")"), Args({"xzzx4"}));
}

TEST(InlineSplitterTest, UnknownEscapeStandsForTheCharacter) {
  EXPECT_EQ(SplitInlineArgs(R"("\q\'")"), Args({"q'"}));
}

TEST(InlineSplitterTest, SingleQuotesOnlyUnescapeAQuote) {
  EXPECT_EQ(SplitInlineArgs(R"('it\'s \n "raw"')"), Args({R"(it's \n "raw")"}));
}

TEST(InlineSplitterTest, QuoteMayStartInsideAnArgument) {
  EXPECT_EQ(SplitInlineArgs(R"(foo"bar baz" x'y')"), Args({"foobar baz", "xy"}));
}

TEST(InlineSplitterTest, EmptyQuotesAreAnEmptyArgument) {
  EXPECT_EQ(SplitInlineArgs(R"(SET k "")"), Args({"SET", "k", ""}));
  EXPECT_EQ(SplitInlineArgs("''"), Args({""}));
}

TEST(InlineSplitterTest, UnterminatedQuotesAreUnbalanced) {
  EXPECT_EQ(SplitInlineArgs(R"(SET a "foo)"), std::nullopt);
  EXPECT_EQ(SplitInlineArgs("SET a 'foo"), std::nullopt);
  EXPECT_EQ(SplitInlineArgs(R"("foo\")"), std::nullopt);
  EXPECT_EQ(SplitInlineArgs(R"("foo\)"), std::nullopt);
}

TEST(InlineSplitterTest, ClosingQuoteFollowedByTextIsUnbalanced) {
  EXPECT_EQ(SplitInlineArgs(R"("foo"bar)"), std::nullopt);
  EXPECT_EQ(SplitInlineArgs("'foo'bar"), std::nullopt);
}

TEST(InlineSplitterTest, ClosingQuoteMayBeFollowedByAnyBlank) {
  EXPECT_EQ(SplitInlineArgs("\"a\"\vb"), Args({"a", "b"}));
  EXPECT_EQ(SplitInlineArgs("'a'\tb"), Args({"a", "b"}));
}

TEST(InlineSplitterTest, NulEndsTheLineLikeACString) {
  EXPECT_EQ(SplitInlineArgs(std::string("GET a\0b c", 9)), Args({"GET", "a"}));
  EXPECT_EQ(SplitInlineArgs(std::string("\"a\"\0b", 5)), Args({"a"}));
}

TEST(InlineSplitterTest, SplitIntoReusesTheVectorAndDropsStaleArguments) {
  std::vector<std::string> args;
  ASSERT_TRUE(SplitInlineArgsInto("SET key value", &args));
  EXPECT_EQ(args, Args({"SET", "key", "value"}));
  ASSERT_TRUE(SplitInlineArgsInto("GET k", &args));
  EXPECT_EQ(args, Args({"GET", "k"}));
  EXPECT_FALSE(SplitInlineArgsInto("GET \"k", &args));
}

}  // namespace
}  // namespace ember::protocol
