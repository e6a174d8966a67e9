// Framing over a real socket: 10,000 pipelined commands in one write, requests delivered
// one byte at a time, and inline commands typed like a human.
#include <chrono>
#include <string>
#include <thread>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ProtocolTest = ServerTest;

std::string BulkReply(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}

// Compares two long byte streams and reports the first difference with some context,
// instead of dumping hundreds of kilobytes.
void ExpectSameStream(const std::string& actual, const std::string& expected) {
  if (actual == expected) return;
  size_t i = 0;
  while (i < actual.size() && i < expected.size() && actual[i] == expected[i]) ++i;
  const size_t from = i > 40 ? i - 40 : 0;
  ADD_FAILURE() << "streams differ at byte " << i << " (got " << actual.size() << " of "
                << expected.size()
                << " bytes)\n  expected: " << ::testing::PrintToString(expected.substr(from, 100))
                << "\n  actual:   " << ::testing::PrintToString(actual.substr(from, 100));
}

void SendSlowly(RawConnection& conn, const std::string& bytes) {
  for (char c : bytes) {
    ASSERT_TRUE(conn.Send(std::string_view(&c, 1)));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TEST_F(ProtocolTest, TenThousandPipelinedCommandsInOneWrite) {
  constexpr int kCommands = 10000;
  std::string request;
  std::string expected;
  long long counter = 0;
  for (int i = 0; i < kCommands; ++i) {
    const std::string key = "key:" + std::to_string(i / 3);
    const std::string value = "value:" + std::to_string(i / 3);
    switch (i % 3) {
      case 0:
        request += RespRequest({"SET", key, value});
        expected += "+OK\r\n";
        break;
      case 1:
        request += RespRequest({"GET", key});
        expected += BulkReply(value);
        break;
      default:
        request += RespRequest({"INCR", "counter"});
        expected += ":" + std::to_string(++counter) + "\r\n";
        break;
    }
  }
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send(request));
  ExpectSameStream(conn.Read(expected.size(), std::chrono::seconds(30)), expected);
  EXPECT_EQ(Run({"GET", "counter"}), Bulk(std::to_string(counter)));
  EXPECT_EQ(Run({"DBSIZE"}), Int((kCommands + 2) / 3 + 1));
}

TEST_F(ProtocolTest, PipelinedRepliesKeepOrderAcrossErrors) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send(RespRequest({"SET", "k", "abc"}) + RespRequest({"INCR", "k"}) +
                        RespRequest({"GET", "k"}) + RespRequest({"NOSUCHCMD"}) +
                        RespRequest({"PING"})));
  const std::string expected =
      "+OK\r\n-ERR value is not an integer or out of range\r\n$3\r\nabc\r\n"
      "-ERR unknown command 'NOSUCHCMD', with args beginning with: \r\n+PONG\r\n";
  EXPECT_EQ(conn.Read(expected.size()), expected);
}

TEST_F(ProtocolTest, RequestDeliveredOneByteAtATime) {
  RawConnection conn(port());
  SendSlowly(conn, RespRequest({"SET", "foo", "bar"}));
  EXPECT_EQ(conn.Read(5), "+OK\r\n");
  SendSlowly(conn, RespRequest({"GET", "foo"}));
  EXPECT_EQ(conn.Read(9), "$3\r\nbar\r\n");
}

TEST_F(ProtocolTest, InlineCommandDeliveredOneByteAtATime) {
  RawConnection conn(port());
  SendSlowly(conn, "SET slow \"a b\"\r\nGET slow\r\n");
  EXPECT_EQ(conn.Read(14), "+OK\r\n$3\r\na b\r\n");
}

TEST_F(ProtocolTest, InlineCommandWithQuotes) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send("SET foo \"bar baz\"\r\n"));
  EXPECT_EQ(conn.Read(5), "+OK\r\n");
  EXPECT_EQ(Run({"GET", "foo"}), Bulk("bar baz"));
  ASSERT_TRUE(conn.Send("set single 'it\\'s'\r\n"));
  EXPECT_EQ(conn.Read(5), "+OK\r\n");
  EXPECT_EQ(Run({"GET", "single"}), Bulk("it's"));
  ASSERT_TRUE(conn.Send("SET esc \"tab\\there\\x41\\n\"\r\n"));
  EXPECT_EQ(conn.Read(5), "+OK\r\n");
  EXPECT_EQ(Run({"GET", "esc"}), Bulk("tab\there\x41\n"));
}

TEST_F(ProtocolTest, InlineAcceptsBareNewlineAndIgnoresEmptyLines) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send("\r\n\r\nPING\nSET   spaced    out \r\n"));
  EXPECT_EQ(conn.Read(7 + 5), "+PONG\r\n+OK\r\n");
  EXPECT_EQ(Run({"GET", "spaced"}), Bulk("out"));
}

TEST_F(ProtocolTest, InlineArgumentsAreCountedForArity) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send("GET\r\n"));
  const std::string expected = "-ERR wrong number of arguments for 'get' command\r\n";
  EXPECT_EQ(conn.Read(expected.size()), expected);
}

TEST_F(ProtocolTest, EmptyAndNullMultibulkAreIgnored) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send("*0\r\n*-1\r\n" + RespRequest({"PING"})));
  EXPECT_EQ(conn.Read(100, std::chrono::milliseconds(500)), "+PONG\r\n");
}

TEST_F(ProtocolTest, TopLevelBulkHeaderIsReadAsInlineCommand) {
  // Without a leading '*' a line is an inline command, so "$3" is a command name.
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send("$3\r\nfoo\r\n"));
  const std::string expected =
      "-ERR unknown command '$3', with args beginning with: \r\n"
      "-ERR unknown command 'foo', with args beginning with: \r\n";
  EXPECT_EQ(conn.Read(expected.size()), expected);
  ASSERT_TRUE(conn.Send(RespRequest({"PING"})));
  EXPECT_EQ(conn.Read(7), "+PONG\r\n");
}

TEST_F(ProtocolTest, LargeBulkValueSplitAcrossWrites) {
  const std::string value(1 << 20, 'x');
  const std::string request = RespRequest({"SET", "big", value});
  RawConnection conn(port());
  for (size_t pos = 0; pos < request.size(); pos += 65536) {
    ASSERT_TRUE(conn.Send(std::string_view(request).substr(pos, 65536)));
  }
  EXPECT_EQ(conn.Read(5), "+OK\r\n");
  EXPECT_EQ(Run({"STRLEN", "big"}), Int(1 << 20));
  EXPECT_EQ(Run({"GET", "big"}), Bulk(value));
}

}  // namespace
}  // namespace ember::test
