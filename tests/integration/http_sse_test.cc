// The HTTP adapter's pub/sub routes against the real binary, read over a raw socket so the
// stream's bytes (head, chunks, events) are checked as sent: messages published over HTTP
// and RESP, patterns, binary payloads, heartbeats, the subscriber as PUBSUB and CLIENT LIST
// see it, authentication, the output bound for a reader that never reads, and the clean
// end of the stream at shutdown.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/http_server.h"
#include "tests/support/process_probe.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_fixture.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;
constexpr int64_t kMiB = int64_t{1024} * 1024;

// One GET /subscribe connection: reads the response head, then de-chunks the body as it
// arrives. Every wait is bounded.
class SseClient {
 public:
  SseClient(int port, const std::string& target, const std::string& extra_headers = "")
      : connection_(port) {
    connection_.Send("GET " + target +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
                     extra_headers + "\r\n");
  }

  // The status line and headers, once the blank line after them has arrived ("" if not).
  std::string Head(milliseconds timeout = milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (head_.empty() && std::chrono::steady_clock::now() < deadline && !closed_) Pump();
    return head_;
  }
  // Waits until the de-chunked body contains `needle`.
  bool WaitFor(const std::string& needle, milliseconds timeout = milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (body_.find(needle) == std::string::npos) {
      if (closed_ || std::chrono::steady_clock::now() >= deadline) return false;
      Pump();
    }
    return true;
  }
  // Reads until the server closes; true when it did within `timeout`.
  bool WaitClosed(milliseconds timeout = milliseconds(10000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_ && std::chrono::steady_clock::now() < deadline) Pump();
    return closed_;
  }
  [[nodiscard]] const std::string& Body() const { return body_; }
  // Whether the last chunk (the clean end of a chunked body) arrived.
  [[nodiscard]] bool Ended() const { return ended_; }
  void Close() { connection_.Close(); }

 private:
  void Pump() {
    pollfd pfd{connection_.fd(), POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) return;
    char buffer[16384];
    const ssize_t n = recv(connection_.fd(), buffer, sizeof(buffer), 0);
    if (n <= 0) {
      closed_ = n == 0 || errno != EINTR;
      return;
    }
    raw_.append(buffer, static_cast<size_t>(n));
    if (head_.empty()) {
      const size_t end = raw_.find("\r\n\r\n");
      if (end == std::string::npos) return;
      head_ = raw_.substr(0, end + 4);
      raw_.erase(0, end + 4);
    }
    Dechunk();
  }
  // A body that is not chunked (an error response) is kept as it comes.
  void Dechunk() {
    if (head_.find("Transfer-Encoding: chunked\r\n") == std::string::npos) {
      body_ += raw_;
      raw_.clear();
      return;
    }
    for (;;) {
      const size_t line_end = raw_.find("\r\n");
      if (line_end == std::string::npos) return;
      const size_t size = std::strtoul(raw_.substr(0, line_end).c_str(), nullptr, 16);
      if (raw_.size() < line_end + 2 + size + 2) return;
      if (size == 0) ended_ = true;
      body_ += raw_.substr(line_end + 2, size);
      raw_.erase(0, line_end + 2 + size + 2);
    }
  }

  RawConnection connection_;
  std::string raw_;
  std::string head_;
  std::string body_;
  bool closed_ = false;
  bool ended_ = false;
};

int64_t NumSub(RedisClient& client, const std::string& channel) {
  const Reply reply = client.Command({"PUBSUB", "NUMSUB", channel});
  return reply.elements.size() == 2 ? reply.elements[1].integer : -1;
}

bool WaitForNumSub(RedisClient& client, const std::string& channel, int64_t count) {
  return WaitFor([&] { return NumSub(client, channel) == count; }, milliseconds(5000));
}

class HttpSseTest : public HttpServerSuite<HttpSseTest> {
 public:
  static std::vector<std::string> ServerArgs() { return {"--http-sse-heartbeat", "300"}; }
};

TEST_F(HttpSseTest, MessagesPublishedOverHttpAndRespArriveAsEventsInOrder) {
  SseClient stream(http_port(), "/subscribe/news");
  const std::string head = stream.Head();
  EXPECT_NE(head.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Cache-Control: no-cache\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  ASSERT_TRUE(WaitForNumSub(*resp_, "news", 1));

  HttpClient http(http_port());
  HttpResponse published = http.Request("POST", "/publish/news", "from-http");
  EXPECT_EQ(published.status, 200);
  EXPECT_EQ(published.body, "{\"receivers\":1}\n");
  EXPECT_EQ(resp_->Command({"PUBLISH", "news", "from-resp\nsecond line"}), Int(1));
  ASSERT_TRUE(stream.WaitFor("data: second line\n\n")) << stream.Body();
  const std::string& body = stream.Body();
  const size_t first = body.find("event: message\ndata: from-http\n\n");
  const size_t second = body.find("event: message\ndata: from-resp\ndata: second line\n\n");
  ASSERT_NE(first, std::string::npos) << body;
  ASSERT_NE(second, std::string::npos) << body;
  EXPECT_LT(first, second);
}

TEST_F(HttpSseTest, PatternMessagesCarryPatternAndChannelAndBinaryIsMarkedBase64) {
  SseClient stream(http_port(), "/subscribe?pattern=sport.*");
  ASSERT_NE(stream.Head().find("200 OK"), std::string::npos);
  ASSERT_TRUE(WaitFor(
      [&] {
        return resp_->Command({"PUBSUB", "NUMPAT"}).integer >= 1;
      },
      milliseconds(5000)));
  EXPECT_EQ(resp_->Command({"PUBLISH", "sport.tennis", "ace"}), Int(1));
  EXPECT_EQ(resp_->Command({"PUBLISH", "sport.raw", std::string("\x00\x01\xFFraw", 6)}), Int(1));
  EXPECT_TRUE(stream.WaitFor("event: pmessage\ndata: sport.*\ndata: sport.tennis\ndata: ace\n\n"))
      << stream.Body();
  EXPECT_TRUE(stream.WaitFor("data: sport.raw\ndata: base64:AAH/cmF3\n\n")) << stream.Body();
}

TEST_F(HttpSseTest, ABurstArrivesCompleteAndInPublishOrder) {
  SseClient stream(http_port(), "/subscribe/burst");
  ASSERT_NE(stream.Head().find("200 OK"), std::string::npos);
  ASSERT_TRUE(WaitForNumSub(*resp_, "burst", 1));
  const std::string padding(1000, 'p');
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    const std::string payload = std::to_string(i) + padding;
    ASSERT_EQ(resp_->Command({"PUBLISH", "burst", payload}), Int(1));
    expected += "event: message\ndata: " + payload + "\n\n";
  }
  ASSERT_TRUE(stream.WaitFor("data: 1999" + padding + "\n\n", milliseconds(20000)));
  std::string body = stream.Body();
  // Heartbeats (every 300 ms here) may fall between events.
  for (size_t at; (at = body.find(": keepalive\n\n")) != std::string::npos;) body.erase(at, 13);
  EXPECT_EQ(body, expected);
}

TEST_F(HttpSseTest, IdleStreamsReceiveHeartbeatComments) {
  SseClient stream(http_port(), "/subscribe/quiet");
  ASSERT_NE(stream.Head().find("200 OK"), std::string::npos);
  EXPECT_TRUE(stream.WaitFor(": keepalive\n\n")) << stream.Body();
}

TEST_F(HttpSseTest, TheHttpSubscriberCountsLikeARespOneUntilItLeaves) {
  SseClient stream(http_port(), "/subscribe/counted?pattern=cou*");
  ASSERT_NE(stream.Head().find("200 OK"), std::string::npos);
  ASSERT_TRUE(WaitForNumSub(*resp_, "counted", 1));
  const Reply list = resp_->Command({"CLIENT", "LIST"});
  EXPECT_NE(list.str.find("sub=1 psub=1"), std::string::npos) << list.str;
  // A channel and a matching pattern: two messages, as for a RESP subscriber.
  EXPECT_EQ(resp_->Command({"PUBLISH", "counted", "x"}), Int(2));
  stream.Close();
  EXPECT_TRUE(WaitForNumSub(*resp_, "counted", 0));
}

TEST_F(HttpSseTest, WrongRequestsAreRefusedWithJsonErrors) {
  HttpClient http(http_port());
  EXPECT_EQ(http.Request("GET", "/subscribe").status, 400);
  EXPECT_EQ(http.Request("POST", "/subscribe/c").status, 405);
  HttpResponse get_publish = http.Request("GET", "/publish/c");
  EXPECT_EQ(get_publish.status, 405);
  EXPECT_EQ(get_publish.Header("allow"), "POST");
}

TEST(HttpSseAuthTest, BothRoutesNeedTheBearerTokenWhenRequirepassIsSet) {
  HttpServer server = StartHttpServer({"--requirepass", "s3cret"});
  SseClient refused(server.http_port, "/subscribe/c");
  EXPECT_NE(refused.Head().find("401 Unauthorized"), std::string::npos) << refused.Head();
  HttpClient http(server.http_port);
  EXPECT_EQ(http.Request("POST", "/publish/c", "x").status, 401);
  SseClient admitted(server.http_port, "/subscribe/c", "Authorization: Bearer s3cret\r\n");
  EXPECT_NE(admitted.Head().find("200 OK"), std::string::npos) << admitted.Head();
  HttpResponse published =
      http.Request("POST", "/publish/c", "hi", {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(published.body, "{\"receivers\":1}\n");
  EXPECT_TRUE(admitted.WaitFor("data: hi\n\n")) << admitted.Body();
}

// The bound of a pubsub client: a stream whose reader never reads is closed at the hard
// limit with Redis's log line, and the server's memory stays bounded while far more is
// published.
TEST(HttpSseLimitTest, AReaderThatNeverReadsIsDisconnectedAtTheHardLimit) {
  HttpServer server = StartHttpServer();
  RedisClient resp(server.process.port());
  ASSERT_EQ(resp.Command({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 60"}),
            Status("OK"));
  const int64_t baseline = std::max(ProcStatusBytes(server.process.pid(), "VmRSS"),
                                    ProcStatusBytes(server.process.pid(), "VmHWM"));
  RawConnection stalled(server.http_port);
  ASSERT_TRUE(stalled.Send("GET /subscribe/flood HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(WaitForNumSub(resp, "flood", 1));

  const std::string payload(size_t{64} * 1024, 'm');
  int64_t last_receivers = -1;
  int errors = 0;
  for (int i = 0; i < 1024; ++i) {  // 64 MiB
    const Reply reply = resp.Command({"PUBLISH", "flood", payload});
    if (reply.type != Reply::Type::kInteger) ++errors;
    last_receivers = reply.integer;
  }
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(last_receivers, 0) << "the stalled stream should be gone";
  EXPECT_EQ(NumSub(resp, "flood"), 0);
  EXPECT_TRUE(stalled.PeerClosed(milliseconds(10000)));
  EXPECT_NE(server.process.ReadLog().find(
                "scheduled to be closed ASAP for overcoming of output buffer limits."),
            std::string::npos)
      << server.process.ReadLog();
  const int64_t growth = ProcStatusBytes(server.process.pid(), "VmHWM") - baseline;
  std::cout << "[ measure  ] peak RSS growth, 64 MiB published to a stalled stream: "
            << growth / kMiB << " MiB\n";
  EXPECT_LT(growth, 32 * kMiB * kSanitizerRssFactor + kSanitizerQuarantineBytes)
      << "peak RSS grew by " << growth / kMiB << " MiB";
}

TEST(HttpSseShutdownTest, ShutdownEndsTheStreamWithTheLastChunk) {
  HttpServer server = StartHttpServer();
  RedisClient resp(server.process.port());
  SseClient stream(server.http_port, "/subscribe/bye");
  ASSERT_NE(stream.Head().find("200 OK"), std::string::npos);
  ASSERT_TRUE(WaitForNumSub(resp, "bye", 1));
  EXPECT_EQ(resp.Command({"PUBLISH", "bye", "last words"}), Int(1));
  ASSERT_TRUE(stream.WaitFor("data: last words\n\n")) << stream.Body();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(server.process.Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_TRUE(stream.WaitClosed());
  EXPECT_TRUE(stream.Ended()) << "the chunked body should end with its last chunk";
}

}  // namespace
}  // namespace ember::test
