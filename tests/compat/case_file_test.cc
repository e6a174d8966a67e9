// The case-file reader and the reply comparison modes, checked without any server, so a
// mistake in the harness cannot pass silently as "both sides agree".
#include "tests/compat/case_file.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "tests/compat/reply_match.h"

namespace ember::test {
namespace {

std::vector<std::string> Split(std::string_view line) {
  std::vector<std::string> words;
  std::string error;
  EXPECT_TRUE(SplitWords(line, &words, &error)) << error;
  return words;
}

Reply Integer(long long value) {
  Reply reply;
  reply.type = Reply::Type::kInteger;
  reply.integer = value;
  return reply;
}

Reply Bulk(std::string text) {
  Reply reply;
  reply.type = Reply::Type::kString;
  reply.str = std::move(text);
  return reply;
}

Reply Array(std::vector<Reply> elements) {
  Reply reply;
  reply.type = Reply::Type::kArray;
  reply.elements = std::move(elements);
  return reply;
}

TEST(CaseFileTest, SplitsOnBlanksAndKeepsQuotedEmptyWords) {
  EXPECT_EQ(Split("  SET\tk   \"\" "), (std::vector<std::string>{"SET", "k", ""}));
}

TEST(CaseFileTest, DoubleQuotesDecodeEscapes) {
  EXPECT_EQ(Split(R"("a b\n\r\t\\\"\x00\xfF")"),
            (std::vector<std::string>{std::string("a b\n\r\t\\\"\0\xff", 10)}));
}

TEST(CaseFileTest, SingleQuotesAreLiteralExceptEscapedQuote) {
  EXPECT_EQ(Split(R"('a\n \'b')"), (std::vector<std::string>{"a\\n 'b"}));
}

TEST(CaseFileTest, MalformedQuotingIsRejected) {
  std::vector<std::string> words;
  std::string error;
  EXPECT_FALSE(SplitWords("\"open", &words, &error));
  EXPECT_FALSE(SplitWords("\"a\"b", &words, &error));
  EXPECT_FALSE(SplitWords("\"\\x4\"", &words, &error));
  EXPECT_FALSE(SplitWords("\"\\q\"", &words, &error));
}

TEST(CaseFileTest, MarkersSetModeAndLeaveTheCommand) {
  CaseLine line;
  std::string error;
  ASSERT_TRUE(ParseCaseLine("~near 5 PTTL k", 7, &line, &error)) << error;
  EXPECT_EQ(line.line, 7);
  EXPECT_EQ(line.mode, CompareMode::kNear);
  EXPECT_EQ(line.tolerance, 5);
  EXPECT_EQ(line.args, (std::vector<std::string>{"PTTL", "k"}));
  ASSERT_TRUE(ParseCaseLine("~sleep 20", 8, &line, &error)) << error;
  EXPECT_TRUE(line.is_sleep());
  EXPECT_FALSE(line.is_compared());
  ASSERT_TRUE(ParseCaseLine("~ignore RANDOMKEY", 9, &line, &error)) << error;
  EXPECT_FALSE(line.is_compared());
}

TEST(CaseFileTest, Resp2MarkerKeepsALineOutOfTheResp3Run) {
  CaseLine line;
  std::string error;
  ASSERT_TRUE(ParseCaseLine("~resp2 ~type HELLO 2", 3, &line, &error)) << error;
  EXPECT_TRUE(line.resp2_only);
  EXPECT_EQ(line.mode, CompareMode::kType);
  EXPECT_EQ(line.args, (std::vector<std::string>{"HELLO", "2"}));
  EXPECT_TRUE(line.is_compared_in(2));
  EXPECT_FALSE(line.is_compared_in(3));
  ASSERT_TRUE(ParseCaseLine("GET k", 4, &line, &error)) << error;
  EXPECT_FALSE(line.resp2_only);
  EXPECT_TRUE(line.is_compared_in(3));
  EXPECT_FALSE(ParseCaseLine("~resp2", 5, &line, &error));
  EXPECT_FALSE(ParseCaseLine("~resp2 ~sorted", 5, &line, &error));
}

TEST(CaseFileTest, BadMarkersAreRejected) {
  CaseLine line;
  std::string error;
  EXPECT_FALSE(ParseCaseLine("~bogus GET k", 1, &line, &error));
  EXPECT_FALSE(ParseCaseLine("~near x GET k", 1, &line, &error));
  EXPECT_FALSE(ParseCaseLine("~sorted", 1, &line, &error));
  EXPECT_FALSE(ParseCaseLine("~sleep 5 GET k", 1, &line, &error));
}

TEST(CaseFileTest, NamesBecomeValidTestNames) {
  EXPECT_EQ(CaseNameFromPath("/x/cases/keys-scan.v2.txt"), "keys_scan_v2");
}

TEST(ReplyMatchTest, ModesAllowOnlyTheirOwnSlack) {
  CaseLine line;
  line.mode = CompareMode::kExact;
  EXPECT_FALSE(RepliesMatch(line, Integer(1), Integer(2)));
  line.mode = CompareMode::kNear;
  line.tolerance = 1;
  EXPECT_TRUE(RepliesMatch(line, Integer(99), Integer(100)));
  EXPECT_FALSE(RepliesMatch(line, Integer(98), Integer(100)));
  EXPECT_FALSE(RepliesMatch(line, Integer(-1), Integer(0)));
  line.mode = CompareMode::kSign;
  EXPECT_TRUE(RepliesMatch(line, Integer(5), Integer(500)));
  EXPECT_FALSE(RepliesMatch(line, Integer(-1), Integer(-2)));
  EXPECT_FALSE(RepliesMatch(line, Integer(0), Integer(3)));
  line.mode = CompareMode::kSorted;
  EXPECT_TRUE(RepliesMatch(line, Array({Bulk("b"), Bulk("a")}), Array({Bulk("a"), Bulk("b")})));
  EXPECT_FALSE(RepliesMatch(line, Array({Bulk("a")}), Array({Bulk("a"), Bulk("a")})));
  line.mode = CompareMode::kType;
  EXPECT_TRUE(RepliesMatch(line, Array({Bulk("1"), Bulk("2")}), Array({Bulk("3"), Bulk("4")})));
  EXPECT_FALSE(RepliesMatch(line, Array({Bulk("1")}), Array({Bulk("3"), Bulk("4")})));
}

Reply Aggregate(Reply::Type type, std::initializer_list<Reply> elements) {
  Reply reply = Array(elements);
  reply.type = type;
  return reply;
}

TEST(ReplyMatchTest, Resp3TypesStayDistinct) {
  CaseLine line;
  EXPECT_FALSE(RepliesMatch(line, Aggregate(Reply::Type::kSet, {Bulk("a")}), Array({Bulk("a")})));
  EXPECT_FALSE(RepliesMatch(line, Aggregate(Reply::Type::kMap, {Bulk("k"), Bulk("v")}),
                            Array({Bulk("k"), Bulk("v")})));
  Reply legacy_null = Nil();
  legacy_null.str = "$-1";
  EXPECT_FALSE(RepliesMatch(line, legacy_null, Nil()));
  EXPECT_EQ(legacy_null.ToString(), "(nil $-1)");
  line.mode = CompareMode::kType;
  EXPECT_FALSE(RepliesMatch(line, Aggregate(Reply::Type::kSet, {Bulk("a")}), Array({Bulk("a")})));
}

TEST(ReplyMatchTest, SortedMapsKeepPairsTogether) {
  CaseLine line;
  line.mode = CompareMode::kSorted;
  Reply a = Aggregate(Reply::Type::kMap, {Bulk("b"), Int(1), Bulk("a"), Int(2)});
  Reply b = Aggregate(Reply::Type::kMap, {Bulk("a"), Int(2), Bulk("b"), Int(1)});
  Reply swapped = Aggregate(Reply::Type::kMap, {Bulk("a"), Int(1), Bulk("b"), Int(2)});
  EXPECT_TRUE(RepliesMatch(line, a, b));
  EXPECT_FALSE(RepliesMatch(line, a, swapped));
  EXPECT_EQ(SortedReply(a).ToString(), "{\"a\"=>:2,\"b\"=>:1}");
  line.mode = CompareMode::kNear;
  line.tolerance = 1;
  EXPECT_TRUE(RepliesMatch(line, Aggregate(Reply::Type::kMap, {Bulk("k"), Int(9)}),
                           Aggregate(Reply::Type::kMap, {Bulk("k"), Int(10)})));
}

}  // namespace
}  // namespace ember::test
