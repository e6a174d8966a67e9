// SSE framing: pub/sub messages as the registry renders them (RESP2 arrays and RESP3
// pushes) become the events sse_framing.h promises, binary fields carry the base64 marker,
// and chunks are sized in hex.
#include "server/http/sse_framing.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/reply_writer.h"

namespace ember::server::http {
namespace {

// A message as PubSubRegistry renders it for a client of `protocol_version`.
std::string Rendered(const std::vector<std::string>& fields, int protocol_version = 3) {
  std::string out;
  protocol::ReplyWriter writer(&out, protocol_version);
  writer.PushHeader(static_cast<int64_t>(fields.size()));
  for (const std::string& field : fields) writer.Bulk(field);
  return out;
}

std::string Events(std::string_view resp) {
  std::string sse;
  EXPECT_TRUE(AppendEvents(resp, &sse));
  return sse;
}

TEST(SseFramingTest, ChannelMessageIsOneEventWithTheEventName) {
  EXPECT_EQ(Events(Rendered({"message", "news", "hello"})), "event: message\ndata: hello\n\n");
  EXPECT_EQ(Events(Rendered({"message", "news", "hello"}, 2)), "event: message\ndata: hello\n\n");
}

TEST(SseFramingTest, PatternMessageCarriesPatternAndChannelFirst) {
  EXPECT_EQ(Events(Rendered({"pmessage", "n*", "news", "hi"})),
            "event: pmessage\ndata: n*\ndata: news\ndata: hi\n\n");
}

TEST(SseFramingTest, NewlinesSplitIntoDataLinesThatEventSourceRejoins) {
  EXPECT_EQ(Events(Rendered({"message", "c", "a\nb\n"})),
            "event: message\ndata: a\ndata: b\ndata: \n\n");
  EXPECT_EQ(Events(Rendered({"message", "c", ""})), "event: message\ndata: \n\n");
  EXPECT_EQ(Events(Rendered({"message", "c", " lead"})), "event: message\ndata:  lead\n\n");
}

TEST(SseFramingTest, BinaryPayloadsTravelAsMarkedBase64) {
  const std::string binary("\x00\x01\xFFraw", 6);
  EXPECT_EQ(Events(Rendered({"message", "c", binary})),
            "event: message\ndata: base64:AAH/cmF3\n\n");
  // A carriage return is a line break in SSE; a text that starts with the marker would be
  // taken for base64.
  EXPECT_EQ(Events(Rendered({"message", "c", "a\rb"})), "event: message\ndata: base64:YQ1i\n\n");
  EXPECT_EQ(Events(Rendered({"message", "c", "base64:x"})),
            "event: message\ndata: base64:YmFzZTY0Ong=\n\n");
  EXPECT_EQ(Events(Rendered({"message", "c", "caf\xC3\xA9"})),
            "event: message\ndata: caf\xC3\xA9\n\n");
}

TEST(SseFramingTest, PatternAndChannelWithANewlineAreEncodedToStayOneLine) {
  EXPECT_EQ(Events(Rendered({"pmessage", "*", "a\nb", "x\ny"})),
            "event: pmessage\ndata: *\ndata: base64:YQpi\ndata: x\ndata: y\n\n");
}

TEST(SseFramingTest, SeveralMessagesBecomeSeveralEventsAndOtherRepliesAreSkipped) {
  std::string resp = Rendered({"message", "c", "1"});
  resp += Rendered({"subscribe", "c"});  // not a message
  resp += Rendered({"message", "c", "2"});
  EXPECT_EQ(Events(resp), "event: message\ndata: 1\n\nevent: message\ndata: 2\n\n");
}

TEST(SseFramingTest, TruncatedInputIsReportedAfterWhatCameBefore) {
  std::string resp = Rendered({"message", "c", "1"}) + Rendered({"message", "c", "2"});
  resp.pop_back();
  std::string sse;
  EXPECT_FALSE(AppendEvents(resp, &sse));
  EXPECT_EQ(sse, "event: message\ndata: 1\n\n");
}

TEST(SseFramingTest, ChunksAreSizedInHexAndEmptyDataAddsNone) {
  std::string out;
  AppendChunk(std::string(26, 'x'), &out);
  EXPECT_EQ(out, "1a\r\n" + std::string(26, 'x') + "\r\n");
  AppendChunk("", &out);
  EXPECT_EQ(out.size(), 4u + 26u + 2u);
  EXPECT_EQ(kLastChunk, "0\r\n\r\n");
}

}  // namespace
}  // namespace ember::server::http
