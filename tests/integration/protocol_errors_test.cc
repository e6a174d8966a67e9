// Malformed input: the offending connection gets "-ERR Protocol error: ..." and is closed,
// while other connections keep being served.
#include <string>
#include <vector>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ProtocolErrorsTest = ServerTest;

struct MalformedCase {
  const char* name;
  std::string input;
  std::string reply;
};

std::vector<MalformedCase> MalformedCases() {
  return {
      {"non-numeric bulk length", "*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"negative bulk length", "*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"bulk longer than 512 MB", "*1\r\n$536870913\r\n",
       "-ERR Protocol error: invalid bulk length\r\n"},
      {"non-numeric multibulk length", "*abc\r\n",
       "-ERR Protocol error: invalid multibulk length\r\n"},
      {"garbage where a bulk header belongs", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n!garbage\r\n",
       "-ERR Protocol error: expected '$', got '!'\r\n"},
      {"nested array instead of bulk", "*2\r\n*5\r\nhello\r\n",
       "-ERR Protocol error: expected '$', got '*'\r\n"},
      {"unbalanced inline quotes", "SET foo \"bar\r\n",
       "-ERR Protocol error: unbalanced quotes in request\r\n"},
      {"closing quote followed by text", "SET a \"b\"c\r\n",
       "-ERR Protocol error: unbalanced quotes in request\r\n"},
  };
}

TEST_F(ProtocolErrorsTest, MalformedInputGetsProtocolErrorAndClose) {
  for (const auto& c : MalformedCases()) {
    SCOPED_TRACE(c.name);
    RawConnection conn(port());
    ASSERT_TRUE(conn.Send(c.input));
    EXPECT_EQ(conn.ReadUntilClosed(), c.reply);
    EXPECT_TRUE(conn.PeerClosed());
  }
}

TEST_F(ProtocolErrorsTest, CommandsBeforeTheErrorAreAnswered) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send("*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n"));
  EXPECT_EQ(conn.ReadUntilClosed(), "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
}

TEST_F(ProtocolErrorsTest, OtherConnectionsKeepWorking) {
  RedisClient other(port());
  ASSERT_EQ(other.Command({"SET", "k", "before"}), Status("OK"));
  for (const auto& c : MalformedCases()) {
    SCOPED_TRACE(c.name);
    RawConnection bad(port());
    ASSERT_TRUE(bad.Send(c.input));
    EXPECT_TRUE(bad.PeerClosed());
    EXPECT_EQ(other.Command({"PING"}), Status("PONG"));
  }
  EXPECT_EQ(other.Command({"GET", "k"}), Bulk("before"));
  EXPECT_EQ(other.Command({"SET", "k", "after"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("after"));
}

TEST_F(ProtocolErrorsTest, HalfSentCommandDoesNotBlockOthers) {
  RawConnection stalled(port());
  ASSERT_TRUE(stalled.Send("*3\r\n$3\r\nSET\r\n$1\r\n"));
  RedisClient other(port());
  EXPECT_EQ(other.Command({"PING"}), Status("PONG"));
  // Completing the stalled command later still works.
  ASSERT_TRUE(stalled.Send("k\r\n$1\r\nv\r\n"));
  EXPECT_EQ(stalled.Read(5), "+OK\r\n");
  EXPECT_EQ(other.Command({"GET", "k"}), Bulk("v"));
}

}  // namespace
}  // namespace ember::test
