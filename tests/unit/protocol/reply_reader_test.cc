// ReplyReader decodes what ReplyWriter renders, in both protocol versions, and refuses
// truncated or malformed input instead of guessing.
#include "protocol/reply_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "protocol/reply_writer.h"

namespace ember::protocol {
namespace {

using Type = ReplyValue::Type;

ReplyValue Decode(std::string_view bytes) {
  auto result = ReadReply(bytes);
  EXPECT_TRUE(result.has_value()) << bytes;
  if (!result) return {};
  EXPECT_EQ(result->consumed, bytes.size()) << bytes;
  return result->value;
}

TEST(ReplyReaderTest, ScalarsDecodeWithTheirTypes) {
  EXPECT_EQ(Decode("+OK\r\n").type, Type::kSimpleString);
  ReplyValue error = Decode("-WRONGTYPE Operation against a key\r\n");
  EXPECT_TRUE(error.is_error());
  EXPECT_EQ(error.text, "WRONGTYPE Operation against a key");
  EXPECT_EQ(Decode(":-42\r\n").integer, -42);
  EXPECT_EQ(Decode("#t\r\n").integer, 1);
  EXPECT_EQ(Decode(",1.5\r\n").text, "1.5");
  EXPECT_EQ(Decode("(12345678901234567890\r\n").text, "12345678901234567890");
}

// A RESP3 attribute map is read with the value that follows it, attached to that value;
// what ReplyWriter::AttributeHeader writes round-trips, and RESP2 gets no map at all.
TEST(ReplyReaderTest, AttributesAttachToTheFollowingValue) {
  for (int version : {2, 3}) {
    std::string out;
    ReplyWriter writer(&out, version);
    writer.AttributeHeader(1);
    if (version == 3) {
      writer.Bulk("key-popularity");
      writer.Integer(90);
    }
    writer.Bulk("reply");
    const ReplyValue value = Decode(out);
    EXPECT_EQ(value.type, Type::kBulk);
    EXPECT_EQ(value.text, "reply");
    ASSERT_EQ(value.attributes.size(), version == 3 ? 2u : 0u) << out;
    if (version == 3) {
      EXPECT_EQ(value.attributes[0].text, "key-popularity");
      EXPECT_EQ(value.attributes[1].integer, 90);
    }
  }
  EXPECT_FALSE(ReadReply("|1\r\n+k\r\n:1\r\n").has_value());  // no value after the map
  EXPECT_FALSE(ReadReply("|-1\r\n+v\r\n").has_value());
}

TEST(ReplyReaderTest, BulkIsBinarySafeAndDistinctFromNull) {
  ReplyValue bulk = Decode(std::string("$5\r\na\r\n\0b\r\n", 11));
  EXPECT_EQ(bulk.type, Type::kBulk);
  EXPECT_EQ(bulk.text, std::string("a\r\n\0b", 5));
  EXPECT_EQ(Decode("$0\r\n\r\n").type, Type::kBulk);
  EXPECT_EQ(Decode("_\r\n").type, Type::kNull);
  EXPECT_EQ(Decode("$-1\r\n").type, Type::kNull);
  EXPECT_EQ(Decode("*-1\r\n").type, Type::kNull);
}

TEST(ReplyReaderTest, VerbatimDropsItsFormatPrefix) {
  std::string out;
  ReplyWriter writer(&out, 3);
  writer.Verbatim("txt", "a:b\r\nc");
  ReplyValue value = Decode(out);
  EXPECT_EQ(value.type, Type::kBulk);
  EXPECT_EQ(value.text, "a:b\r\nc");
}

TEST(ReplyReaderTest, AggregatesNestAsWritten) {
  for (int version : {2, 3}) {
    std::string out;
    ReplyWriter writer(&out, version);
    writer.MapHeader(1);
    writer.Bulk("k");
    writer.ArrayHeader(2);
    writer.Integer(1);
    writer.Null();
    ReplyValue value = Decode(out);
    ASSERT_EQ(value.elements.size(), 2u) << version;
    EXPECT_EQ(value.type, version == 3 ? Type::kMap : Type::kArray);
    EXPECT_EQ(value.elements[0].text, "k");
    ASSERT_EQ(value.elements[1].elements.size(), 2u);
    EXPECT_EQ(value.elements[1].elements[0].integer, 1);
    EXPECT_EQ(value.elements[1].elements[1].type, Type::kNull);
  }
}

TEST(ReplyReaderTest, WireByteKeepsWhatMergedTypesHide) {
  ReplyValue set = Decode("~1\r\n:1\r\n");
  EXPECT_EQ(set.type, Type::kArray);
  EXPECT_EQ(set.wire, '~');
  EXPECT_EQ(Decode(">1\r\n+x\r\n").wire, '>');
  EXPECT_EQ(Decode("*0\r\n").wire, '*');
  EXPECT_EQ(Decode("=5\r\ntxt:a\r\n").wire, '=');
  EXPECT_EQ(Decode("$1\r\na\r\n").wire, '$');
  EXPECT_EQ(Decode("_\r\n").wire, '_');
  EXPECT_EQ(Decode("$-1\r\n").wire, '$');
  EXPECT_EQ(Decode("*-1\r\n").wire, '*');
}

TEST(ReplyReaderTest, ReadsOnlyTheFirstReply) {
  auto result = ReadReply("+OK\r\n:1\r\n");
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->consumed, 5u);
}

TEST(ReplyReaderTest, TruncatedRepliesAreRejectedAtEveryLength) {
  const std::string full = "*2\r\n$3\r\nabc\r\n%1\r\n+k\r\n:7\r\n";
  ASSERT_TRUE(ReadReply(full).has_value());
  for (size_t n = 0; n < full.size(); ++n) {
    EXPECT_FALSE(ReadReply(full.substr(0, n)).has_value()) << n;
  }
}

TEST(ReplyReaderTest, MalformedRepliesAreRejected) {
  EXPECT_FALSE(ReadReply("?x\r\n").has_value());
  EXPECT_FALSE(ReadReply(":12a\r\n").has_value());
  EXPECT_FALSE(ReadReply("$3\r\nabcd\r\n").has_value());
  EXPECT_FALSE(ReadReply("*999999\r\n").has_value());
  EXPECT_FALSE(ReadReply("#x\r\n").has_value());
  EXPECT_FALSE(ReadReply("=2\r\nab\r\n").has_value());
}

}  // namespace
}  // namespace ember::protocol
