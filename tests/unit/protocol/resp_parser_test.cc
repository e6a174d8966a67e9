#include "protocol/resp_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace ember::protocol {
namespace {

// One observable outcome of Parse(): a command, an empty request, or an error.
struct Event {
  ParseStatus status;
  std::vector<std::string> args;  // kComplete only
  std::string error;              // kError only

  bool operator==(const Event&) const = default;
};

Event Command(std::vector<std::string> args) { return {ParseStatus::kComplete, args, ""}; }
Event Empty() { return {ParseStatus::kEmpty, {}, ""}; }
Event Error(std::string text) { return {ParseStatus::kError, {}, text}; }

void PrintTo(const Event& e, std::ostream* os) {
  switch (e.status) {
    case ParseStatus::kComplete:
      *os << "Command(";
      for (const std::string& a : e.args) *os << '"' << a << "\" ";
      *os << ")";
      break;
    case ParseStatus::kEmpty:
      *os << "Empty";
      break;
    case ParseStatus::kError:
      *os << "Error(" << e.error << ")";
      break;
    case ParseStatus::kNeedMore:
      *os << "NeedMore";
      break;
  }
}

// Everything a caller saw for one input stream, plus whether it ended waiting for bytes.
struct Transcript {
  std::vector<Event> events;
  bool waiting = false;  // the stream ended inside a request
};

// Simulates a connection: fragments are appended to a std::string read buffer; every
// complete request is taken from its front and erased. When `move_buffer` is set, every
// read moves the bytes to a fresh allocation and scribbles over the old one (kept alive),
// so a parser that held pointers across reads returns garbage instead of the right bytes.
class FakeConnection {
 public:
  FakeConnection(ParserLimits limits, bool move_buffer)
      : parser_(limits), move_buffer_(move_buffer) {}

  // Returns false once the parser has reported an error.
  bool Read(std::string_view fragment) {
    if (failed_) return false;
    if (move_buffer_) {
      std::string moved;
      moved.reserve(buffer_.size() + fragment.size() + 16);
      moved.append(buffer_).append(fragment);
      std::fill(buffer_.begin(), buffer_.end(), '#');
      graveyard_ = std::move(buffer_);
      buffer_ = std::move(moved);
    } else {
      buffer_.append(fragment);
    }
    while (true) {
      const ParseResult result = parser_.Parse(buffer_);
      if (result.status == ParseStatus::kNeedMore) {
        EXPECT_EQ(result.consumed, 0u);
        return true;
      }
      if (result.status == ParseStatus::kError) {
        EXPECT_EQ(result.consumed, 0u);
        transcript_.events.push_back(Error(parser_.error()));
        failed_ = true;
        return false;
      }
      EXPECT_GT(result.consumed, 0u);
      EXPECT_LE(result.consumed, buffer_.size());
      Event event{result.status, {}, ""};
      for (std::string_view arg : parser_.Args()) event.args.emplace_back(arg);
      transcript_.events.push_back(std::move(event));
      buffer_.erase(0, result.consumed);
    }
  }

  Transcript Finish() {
    transcript_.waiting = !failed_ && !buffer_.empty();
    return transcript_;
  }

 private:
  RespParser parser_;
  bool move_buffer_;
  bool failed_ = false;
  std::string buffer_;
  std::string graveyard_;
  Transcript transcript_;
};

Transcript ParseInFragments(std::string_view input, const std::vector<size_t>& cuts,
                            ParserLimits limits) {
  FakeConnection connection(limits, input.size() <= 8192);
  size_t start = 0;
  for (size_t cut : cuts) {
    if (!connection.Read(input.substr(start, cut - start))) return connection.Finish();
    start = cut;
  }
  connection.Read(input.substr(start));
  return connection.Finish();
}

std::vector<size_t> EveryNBytes(size_t size, size_t n) {
  std::vector<size_t> cuts;
  for (size_t cut = n; cut < size; cut += n) cuts.push_back(cut);
  return cuts;
}

// Feeds `input` whole, in two pieces at every cut (sampled for long inputs), one byte at a
// time and in fragments of 2, 5, 10, 100 and 1000 bytes; every way must give `expected`.
void ExpectAtEverySplit(std::string_view input, const std::vector<Event>& expected,
                        bool ends_waiting = false, ParserLimits limits = {}) {
  auto check = [&](const std::vector<size_t>& cuts, const std::string& how) {
    const Transcript got = ParseInFragments(input, cuts, limits);
    EXPECT_EQ(got.events, expected) << how;
    EXPECT_EQ(got.waiting, ends_waiting) << how;
    return got.events == expected && got.waiting == ends_waiting;
  };
  if (!check({}, "whole")) return;
  const size_t stride = input.size() <= 4096 ? 1 : input.size() / 512;
  for (size_t cut = 1; cut < input.size(); ++cut) {
    const bool near_edge = cut < 64 || input.size() - cut < 64;
    if (!near_edge && cut % stride != 0) continue;
    if (!check({cut}, "cut at " + std::to_string(cut))) return;
  }
  for (size_t n : {1, 2, 5, 10, 100, 1000}) {
    if (!check(EveryNBytes(input.size(), n), "fragments of " + std::to_string(n))) return;
  }
}

std::string Multibulk(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& arg : args) {
    out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  }
  return out;
}

ParserLimits Unauthenticated() {
  ParserLimits limits;
  limits.unauthenticated = true;
  return limits;
}

TEST(RespParserTest, MultibulkCommandIsParsedAtEverySplit) {
  ExpectAtEverySplit("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n", {Command({"GET", "key"})});
}

TEST(RespParserTest, BulkSplitAcrossReadsIsReassembled) {
  const std::string value(3000, 'v');
  ExpectAtEverySplit(Multibulk({"SET", "k", value}), {Command({"SET", "k", value})});
}

TEST(RespParserTest, PipelinedCommandsInOneBufferComeOutInOrder) {
  const std::string input = Multibulk({"SET", "a", "1"}) + Multibulk({"GET", "a"}) + "PING\r\n" +
                            Multibulk({"INCR", "counter"}) + "ECHO hi\n";
  ExpectAtEverySplit(input, {Command({"SET", "a", "1"}), Command({"GET", "a"}), Command({"PING"}),
                             Command({"INCR", "counter"}), Command({"ECHO", "hi"})});
}

TEST(RespParserTest, BinaryBulkWithCrlfAndNulInsideIsKeptWhole) {
  const std::string value("a\r\nb\0c\r\n*1\r\n$", 14);
  ExpectAtEverySplit(Multibulk({"SET", "bin", value}), {Command({"SET", "bin", value})});
}

TEST(RespParserTest, EmptyBulkIsAnEmptyArgument) {
  ExpectAtEverySplit("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", {Command({"ECHO", ""})});
}

TEST(RespParserTest, ZeroAndNegativeCountsAreEmptyRequests) {
  ExpectAtEverySplit("*0\r\n*-1\r\n*-5\r\n" + Multibulk({"PING"}),
                     {Empty(), Empty(), Empty(), Command({"PING"})});
}

TEST(RespParserTest, PartialCommandEndsWaitingForMoreBytes) {
  ExpectAtEverySplit(Multibulk({"GET", "a"}) + "*2\r\n$3\r\nGET\r\n$1\r\n", {Command({"GET", "a"})},
                     /*ends_waiting=*/true);
}

TEST(RespParserTest, HeaderCrIsFollowedByAnyByteAsInRedis) {
  // Redis checks only that a byte follows '\r' in a header and that two bytes follow a
  // payload; it does not look at them.
  ExpectAtEverySplit("*1\rX$4\r\nPINGXY*1\r\n$4\r\nPING\r\n",
                     {Command({"PING"}), Command({"PING"})});
}

// A whole plain command takes the one-pass path; the next one, not plain, falls back to the
// state machine from its first byte, and both agree with every split of the stream.
TEST(RespParserTest, PlainAndUnusualCommandsInOnePipelineParseAlike) {
  ExpectAtEverySplit(Multibulk({"GET", "k"}) + "*1\r\n$0\r\n\r\n" + Multibulk({"SET", "a", ""}) +
                         "*1\r\n$04\r\nPING\r\n",
                     {Command({"GET", "k"}), Command({""}), Command({"SET", "a", ""}),
                      Error("ERR Protocol error: invalid bulk length")});
}

TEST(RespParserTest, CountLineWithCrButNoFollowingByteWaits) {
  ExpectAtEverySplit("*1\r", {}, /*ends_waiting=*/true);
}

TEST(RespParserTest, InlineCommandsAreSplitOnBlanks) {
  ExpectAtEverySplit("SET  key\tvalue\r\nGET key\n",
                     {Command({"SET", "key", "value"}), Command({"GET", "key"})});
}

TEST(RespParserTest, InlineQuotesAndEscapesAreDecoded) {
  ExpectAtEverySplit("SET \"a b\\r\\n\\x41\" 'it\\'s' foo\"bar\"\r\n",
                     {Command({"SET", "a b\r\nA", "it's", "foobar"})});
}

TEST(RespParserTest, InlineArgumentMayContainCarriageReturnInsideQuotes) {
  ExpectAtEverySplit("ECHO \"a\rb\"\r\n", {Command({"ECHO", "a\rb"})});
}

TEST(RespParserTest, BlankInlineLinesAreEmptyRequests) {
  ExpectAtEverySplit("\r\n\n   \t\r\nPING\r\n", {Empty(), Empty(), Empty(), Command({"PING"})});
}

TEST(RespParserTest, InlineUnbalancedQuotesAreRejected) {
  ExpectAtEverySplit(
      "PING\r\nECHO \"abc\r\nPING\r\n",
      {Command({"PING"}), Error("ERR Protocol error: unbalanced quotes in request")});
}

TEST(RespParserTest, InlineClosingQuoteFollowedByTextIsRejected) {
  ExpectAtEverySplit("ECHO \"a\"b\r\n",
                     {Error("ERR Protocol error: unbalanced quotes in request")});
}

TEST(RespParserTest, InlineLineAtTheLimitIsAccepted) {
  ParserLimits limits;
  limits.max_inline_len = 16;
  const std::string line = "ECHO 0123456789\r";  // 16 bytes before '\n'
  ExpectAtEverySplit(line + "\n", {Command({"ECHO", "0123456789"})}, false, limits);
}

TEST(RespParserTest, InlineLineOverTheLimitIsRejectedEvenWithItsNewline) {
  ParserLimits limits;
  limits.max_inline_len = 16;
  ExpectAtEverySplit("PING\r\nECHO 01234567890\r\n",
                     {Command({"PING"}), Error("ERR Protocol error: too big inline request")},
                     false, limits);
}

TEST(RespParserTest, InlineWithoutNewlineWaitsUntilTheDefaultLimitThenFails) {
  ExpectAtEverySplit(std::string(64 * 1024, 'a'), {}, /*ends_waiting=*/true);
  ExpectAtEverySplit(std::string(64 * 1024 + 1, 'a'),
                     {Error("ERR Protocol error: too big inline request")});
}

TEST(RespParserTest, NulHidesTheInlineNewlineUntilTheLimit) {
  ParserLimits limits;
  limits.max_inline_len = 16;
  ExpectAtEverySplit(std::string("PING\0\r\n", 7), {}, /*ends_waiting=*/true, limits);
  ExpectAtEverySplit(std::string("PING\0\r\nPING\r\nPING\r\n", 19),
                     {Error("ERR Protocol error: too big inline request")}, false, limits);
}

TEST(RespParserTest, CountLineOverTheLimitIsTooBig) {
  ExpectAtEverySplit("*" + std::string(64 * 1024 - 1, '1'), {}, /*ends_waiting=*/true);
  ExpectAtEverySplit("*" + std::string(64 * 1024, '1'),
                     {Error("ERR Protocol error: too big mbulk count string")});
  ParserLimits limits;
  limits.max_inline_len = 8;
  ExpectAtEverySplit("*00000000\r\n", {Error("ERR Protocol error: too big mbulk count string")},
                     false, limits);
}

TEST(RespParserTest, BulkHeaderOverTheLimitIsTooBig) {
  ExpectAtEverySplit("*1\r\n$" + std::string(64 * 1024, '1'),
                     {Error("ERR Protocol error: too big bulk count string")});
  ParserLimits limits;
  limits.max_inline_len = 8;
  ExpectAtEverySplit("*1\r\n$1234567\r\n", {}, /*ends_waiting=*/true, limits);
  ExpectAtEverySplit("*1\r\n$12345678\r\n",
                     {Error("ERR Protocol error: too big bulk count string")}, false, limits);
}

TEST(RespParserTest, NulHidesTheBulkHeaderCrUntilTheLimit) {
  ParserLimits limits;
  limits.max_inline_len = 8;
  ExpectAtEverySplit(std::string("*1\r\n$4\0\r\nPI", 11), {}, /*ends_waiting=*/true, limits);
  ExpectAtEverySplit(std::string("*1\r\n$4\0\r\nPING\r\n", 15),
                     {Error("ERR Protocol error: too big bulk count string")}, false, limits);
}

TEST(RespParserTest, MalformedCountsAreInvalidMultibulkLength) {
  for (const char* count : {"", "+1", "01", "-0", "1 ", "x", "2147483648", "9223372036854775807",
                            "99999999999999999999"}) {
    SCOPED_TRACE(count);
    ExpectAtEverySplit(std::string("*") + count + "\r\n",
                       {Error("ERR Protocol error: invalid multibulk length")});
  }
}

TEST(RespParserTest, CountUpToIntMaxIsAcceptedAndWaits) {
  ExpectAtEverySplit("*2147483647\r\n$4\r\nPING\r\n", {}, /*ends_waiting=*/true);
}

TEST(RespParserTest, MalformedBulkLengthsAreInvalidBulkLength) {
  for (const char* length : {"", "-1", "+4", "04", "4 ", "abc", "9223372036854775808"}) {
    SCOPED_TRACE(length);
    ExpectAtEverySplit(std::string("*1\r\n$") + length + "\r\nPING\r\n",
                       {Error("ERR Protocol error: invalid bulk length")});
  }
}

TEST(RespParserTest, BulkLongerThanProtoMaxBulkLenIsInvalid) {
  ExpectAtEverySplit("*1\r\n$536870913\r\n", {Error("ERR Protocol error: invalid bulk length")});
  ExpectAtEverySplit("*1\r\n$536870912\r\n", {}, /*ends_waiting=*/true);
  ParserLimits limits;
  limits.max_bulk_len = 3;
  ExpectAtEverySplit("*1\r\n$4\r\nPING\r\n", {Error("ERR Protocol error: invalid bulk length")},
                     false, limits);
}

TEST(RespParserTest, BulkHeaderWithoutDollarNamesTheByte) {
  ExpectAtEverySplit("*1\r\nx\r\n", {Error("ERR Protocol error: expected '$', got 'x'")});
  ExpectAtEverySplit("*2\r\n$4\r\nECHO\r\n:1\r\n",
                     {Error("ERR Protocol error: expected '$', got ':'")});
}

TEST(RespParserTest, BulkHeaderStartingWithCrOrLfShowsASpace) {
  ExpectAtEverySplit("*1\r\n\r\n", {Error("ERR Protocol error: expected '$', got ' '")});
  ExpectAtEverySplit("*1\r\n\n\r\n", {Error("ERR Protocol error: expected '$', got ' '")});
}

TEST(RespParserTest, UnauthenticatedClientIsLimitedToTenArguments) {
  const std::vector<std::string> ten(10, "a");
  ExpectAtEverySplit(Multibulk(ten), {Command(ten)}, false, Unauthenticated());
  ExpectAtEverySplit("*11\r\n", {Error("ERR Protocol error: unauthenticated multibulk length")},
                     false, Unauthenticated());
}

TEST(RespParserTest, UnauthenticatedClientIsLimitedTo16KiBBulks) {
  ExpectAtEverySplit("*1\r\n$16384\r\n", {}, /*ends_waiting=*/true, Unauthenticated());
  ExpectAtEverySplit("*1\r\n$16385\r\n", {Error("ERR Protocol error: unauthenticated bulk length")},
                     false, Unauthenticated());
}

TEST(RespParserTest, InvalidLengthsAreReportedBeforeUnauthenticatedLimits) {
  ExpectAtEverySplit("*3000000000\r\n", {Error("ERR Protocol error: invalid multibulk length")},
                     false, Unauthenticated());
  ExpectAtEverySplit("*1\r\n$600000000\r\n", {Error("ERR Protocol error: invalid bulk length")},
                     false, Unauthenticated());
}

TEST(RespParserTest, UnauthenticatedLimitsDoNotApplyToInlineOrEmptyRequests) {
  ExpectAtEverySplit("*-1\r\nECHO " + std::string(20000, 'x') + "\r\n",
                     {Empty(), Command({"ECHO", std::string(20000, 'x')})}, false,
                     Unauthenticated());
}

TEST(RespParserTest, LimitsChangedBetweenCommandsApplyToTheNextCommand) {
  RespParser parser(Unauthenticated());
  const std::string input =
      Multibulk({"AUTH", "pw"}) + Multibulk({"SET", "k", std::string(20000, 'x')});
  ParseResult result = parser.Parse(input);
  ASSERT_EQ(result.status, ParseStatus::kComplete);
  ParserLimits authenticated = parser.limits();
  authenticated.unauthenticated = false;
  parser.set_limits(authenticated);
  result = parser.Parse(std::string_view(input).substr(result.consumed));
  ASSERT_EQ(result.status, ParseStatus::kComplete);
  EXPECT_EQ(parser.Args()[2].size(), 20000u);
}

TEST(RespParserTest, MultibulkArgsAreViewsIntoTheCallersBuffer) {
  RespParser parser;
  const std::string input = Multibulk({"GET", "key"});
  ASSERT_EQ(parser.Parse(input).status, ParseStatus::kComplete);
  ASSERT_EQ(parser.Args().size(), 2u);
  EXPECT_EQ(parser.Args()[1].data(), input.data() + input.find("key"));
}

TEST(RespParserTest, ErrorIsStickyAndConsumesNothing) {
  RespParser parser;
  EXPECT_EQ(parser.Parse("*x\r\n").status, ParseStatus::kError);
  const ParseResult again = parser.Parse(Multibulk({"PING"}));
  EXPECT_EQ(again.status, ParseStatus::kError);
  EXPECT_EQ(again.consumed, 0u);
  EXPECT_EQ(parser.error(), "ERR Protocol error: invalid multibulk length");
}

TEST(RespParserTest, EmptyBufferNeedsMore) {
  RespParser parser;
  const ParseResult result = parser.Parse("");
  EXPECT_EQ(result.status, ParseStatus::kNeedMore);
  EXPECT_EQ(result.consumed, 0u);
}

TEST(RespParserTest, BytesWantedCountsTheRestOfALargeBulk) {
  RespParser parser;
  std::string buffer = "*2\r\n$3\r\nSET\r\n$100000\r\n" + std::string(1000, 'x');
  EXPECT_EQ(parser.Parse(buffer).status, ParseStatus::kNeedMore);
  EXPECT_EQ(parser.BytesWanted(), 100000u - 1000u + 2u);
  buffer += std::string(99000, 'x');
  EXPECT_EQ(parser.Parse(buffer).status, ParseStatus::kNeedMore);
  EXPECT_EQ(parser.BytesWanted(), 2u);
  buffer += "\r\n";
  EXPECT_EQ(parser.Parse(buffer).status, ParseStatus::kComplete);
  EXPECT_EQ(parser.BytesWanted(), 0u);
}

TEST(RespParserTest, BytesWantedIsZeroWhileReadingHeaders) {
  RespParser parser;
  EXPECT_EQ(parser.Parse("*2\r\n$3").status, ParseStatus::kNeedMore);
  EXPECT_EQ(parser.BytesWanted(), 0u);
  RespParser inline_parser;
  EXPECT_EQ(inline_parser.Parse("GET k").status, ParseStatus::kNeedMore);
  EXPECT_EQ(inline_parser.BytesWanted(), 0u);
}

}  // namespace
}  // namespace ember::protocol
