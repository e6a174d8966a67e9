#include "protocol/reply_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace ember::protocol {
namespace {

class ReplyWriterTest : public ::testing::TestWithParam<int> {
 protected:
  bool resp3() const { return GetParam() >= 3; }
  // What `resp2` or `resp3` bytes the current protocol must produce.
  std::string Expect(std::string resp2, std::string resp3_bytes) const {
    return resp3() ? resp3_bytes : resp2;
  }

  std::string out_;
  ReplyWriter writer_{&out_, GetParam()};
};

INSTANTIATE_TEST_SUITE_P(Protocols, ReplyWriterTest, ::testing::Values(2, 3),
                         [](const ::testing::TestParamInfo<int>& p) {
                           return "Resp" + std::to_string(p.param);
                         });

TEST_P(ReplyWriterTest, SimpleStringAndOk) {
  writer_.SimpleString("PONG");
  writer_.Ok();
  EXPECT_EQ(out_, "+PONG\r\n+OK\r\n");
}

TEST_P(ReplyWriterTest, ErrorGetsOneDashAndNoLineBreaks) {
  writer_.Error("ERR bad\r\nthing\n");
  writer_.Error("-WRONGTYPE Operation");
  EXPECT_EQ(out_, "-ERR bad  thing \r\n-WRONGTYPE Operation\r\n");
}

TEST_P(ReplyWriterTest, IntegersCoverTheWholeRange) {
  writer_.Integer(0);
  writer_.Integer(-42);
  writer_.Integer(std::numeric_limits<int64_t>::max());
  writer_.Integer(std::numeric_limits<int64_t>::min());
  EXPECT_EQ(out_, ":0\r\n:-42\r\n:9223372036854775807\r\n:-9223372036854775808\r\n");
}

TEST_P(ReplyWriterTest, BulkIsBinarySafe) {
  writer_.Bulk(std::string("a\r\n\0b", 5));
  writer_.Bulk("");
  EXPECT_EQ(out_, std::string("$5\r\na\r\n\0b\r\n$0\r\n\r\n", 17));
}

TEST_P(ReplyWriterTest, NullIsUnderscoreOnlyInResp3) {
  writer_.Null();
  EXPECT_EQ(out_, Expect("$-1\r\n", "_\r\n"));
}

TEST_P(ReplyWriterTest, NullArrayIsUnderscoreOnlyInResp3) {
  writer_.NullArray();
  EXPECT_EQ(out_, Expect("*-1\r\n", "_\r\n"));
}

TEST_P(ReplyWriterTest, ArrayHeaderIsTheSameInBothProtocols) {
  writer_.ArrayHeader(3);
  writer_.ArrayHeader(0);
  EXPECT_EQ(out_, "*3\r\n*0\r\n");
}

TEST_P(ReplyWriterTest, MapHeaderCountsPairsInResp3AndElementsInResp2) {
  writer_.MapHeader(2);
  EXPECT_EQ(out_, Expect("*4\r\n", "%2\r\n"));
}

TEST_P(ReplyWriterTest, SetHeaderIsTildeInResp3) {
  writer_.SetHeader(5);
  EXPECT_EQ(out_, Expect("*5\r\n", "~5\r\n"));
}

TEST_P(ReplyWriterTest, PushHeaderIsAngleInResp3) {
  writer_.PushHeader(3);
  EXPECT_EQ(out_, Expect("*3\r\n", ">3\r\n"));
}

TEST_P(ReplyWriterTest, DoubleUsesSeventeenSignificantDigits) {
  writer_.Double(1.5);
  writer_.Double(0.1);
  writer_.Double(1e300);
  writer_.Double(-2.5e-10);
  EXPECT_EQ(out_, Expect("$3\r\n1.5\r\n$19\r\n0.10000000000000001\r\n"
                         "$23\r\n1.0000000000000001e+300\r\n$23\r\n-2.5000000000000002e-10\r\n",
                         ",1.5\r\n,0.10000000000000001\r\n,1.0000000000000001e+300\r\n"
                         ",-2.5000000000000002e-10\r\n"));
}

TEST_P(ReplyWriterTest, WholeDoubleHasNoFraction) {
  writer_.Double(1.0);
  writer_.Double(-0.0);
  writer_.Double(123456789.0);
  EXPECT_EQ(out_,
            Expect("$1\r\n1\r\n$2\r\n-0\r\n$9\r\n123456789\r\n", ",1\r\n,-0\r\n,123456789\r\n"));
}

TEST_P(ReplyWriterTest, InfinitiesAndNanAreSpelledOut) {
  writer_.Double(std::numeric_limits<double>::infinity());
  writer_.Double(-std::numeric_limits<double>::infinity());
  writer_.Double(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(out_, Expect("$3\r\ninf\r\n$4\r\n-inf\r\n$3\r\nnan\r\n", ",inf\r\n,-inf\r\n,nan\r\n"));
}

TEST_P(ReplyWriterTest, BooleanIsIntegerInResp2) {
  writer_.Boolean(true);
  writer_.Boolean(false);
  EXPECT_EQ(out_, Expect(":1\r\n:0\r\n", "#t\r\n#f\r\n"));
}

TEST_P(ReplyWriterTest, BigNumberIsBulkInResp2) {
  writer_.BigNumber("1234567890123456789012345");
  EXPECT_EQ(out_, Expect("$25\r\n1234567890123456789012345\r\n", "(1234567890123456789012345\r\n"));
}

TEST_P(ReplyWriterTest, VerbatimCarriesItsFormatOnlyInResp3) {
  writer_.Verbatim("txt", "Some string");
  EXPECT_EQ(out_, Expect("$11\r\nSome string\r\n", "=15\r\ntxt:Some string\r\n"));
}

TEST_P(ReplyWriterTest, RawIsAppendedUnchanged) {
  writer_.Raw("+QUEUED\r\n");
  EXPECT_EQ(out_, "+QUEUED\r\n");
}

TEST_P(ReplyWriterTest, RepliesAppendToExistingBytes) {
  out_ = "+PONG\r\n";
  writer_.Integer(7);
  EXPECT_EQ(out_, "+PONG\r\n:7\r\n");
}

TEST(ReplyWriterVersionTest, ProtocolVersionCanChangeMidStream) {
  std::string out;
  ReplyWriter writer(&out);
  EXPECT_EQ(writer.protocol_version(), 2);
  EXPECT_FALSE(writer.resp3());
  writer.Null();
  writer.set_protocol_version(3);
  EXPECT_TRUE(writer.resp3());
  writer.Null();
  EXPECT_EQ(out, "$-1\r\n_\r\n");
  EXPECT_EQ(writer.buffer(), &out);
}

}  // namespace
}  // namespace ember::protocol
