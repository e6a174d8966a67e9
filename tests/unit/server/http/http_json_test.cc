// The adapter's JSON layer: Redis error replies mapped to HTTP statuses, error bodies that
// are always valid JSON, and bytes carried as UTF-8 or base64.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "server/http/json_replies.h"
#include "server/http/text_encoding.h"

namespace ember::server::http {
namespace {

TEST(HttpJsonTest, ErrorRepliesMapToStatusesByTheirCode) {
  EXPECT_EQ(StatusForError("WRONGTYPE Operation against a key holding the wrong kind of value"),
            409u);
  EXPECT_EQ(StatusForError("OOM command not allowed when used memory > 'maxmemory'."), 503u);
  EXPECT_EQ(StatusForError("MISCONF Redis is configured to save RDB snapshots"), 503u);
  EXPECT_EQ(StatusForError("LOADING Redis is loading the dataset in memory"), 503u);
  EXPECT_EQ(StatusForError("NOAUTH Authentication required."), 401u);
  EXPECT_EQ(StatusForError("-NOPERM no permission"), 403u);
  EXPECT_EQ(StatusForError("ERR invalid expire time in 'set' command"), 400u);
  EXPECT_EQ(StatusForError("WRONGTYPEX not the same code"), 400u);
}

TEST(HttpJsonTest, ErrorResponseIsJsonWithTheMessage) {
  Response response = ErrorReplyResponse("WRONGTYPE Operation against a key");
  EXPECT_EQ(response.result_int(), 409u);
  EXPECT_EQ(response[boost::beast::http::field::content_type], "application/json");
  boost::json::value body = boost::json::parse(response.body());
  EXPECT_EQ(body.at("error").as_string(), "WRONGTYPE Operation against a key");
}

TEST(HttpJsonTest, ErrorMessagesThatAreNotUtf8AreMasked) {
  Response response = ErrorResponse(400, "ERR bad \xFF byte");
  EXPECT_EQ(boost::json::parse(response.body()).at("error").as_string(), "ERR bad ? byte");
}

TEST(HttpJsonTest, PutBytesUsesBase64OnlyForInvalidUtf8) {
  boost::json::object object;
  PutBytes(object, "value", "h\xC3\xA9llo", "encoding");
  EXPECT_EQ(object.at("value").as_string(), "h\xC3\xA9llo");
  EXPECT_FALSE(object.contains("encoding"));
  PutBytes(object, "value", std::string("\x00\xFF", 2), "encoding");
  EXPECT_EQ(object.at("value").as_string(), "AP8=");
  EXPECT_EQ(object.at("encoding").as_string(), "base64");
}

TEST(HttpJsonTest, Utf8ValidationRejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("ascii \x7F"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));   // U+1F600
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));
}

TEST(HttpJsonTest, Base64RoundTripsEveryLengthAndRejectsBadInput) {
  std::string bytes;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes) << i;
    bytes += static_cast<char>(i * 37);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_FALSE(Base64Decode("Zg=").has_value());
  EXPECT_FALSE(Base64Decode("Z===").has_value());
  EXPECT_FALSE(Base64Decode("Zg==Zg==").has_value());
  EXPECT_FALSE(Base64Decode("Zm9v YmFy").has_value());
  EXPECT_FALSE(Base64Decode("Zm9*").has_value());
}

}  // namespace
}  // namespace ember::server::http
