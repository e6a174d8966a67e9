// Connection and server commands: PING, ECHO, QUIT, SELECT, TIME, SHUTDOWN.
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ServerCommandsTest = ServerTest;
using std::chrono::milliseconds;

TEST_F(ServerCommandsTest, PingRepliesPongOrEchoesItsArgument) {
  EXPECT_EQ(Run({"PING"}), Status("PONG"));
  EXPECT_EQ(Run({"ping"}), Status("PONG"));
  EXPECT_EQ(Run({"PING", "hello world"}), Bulk("hello world"));
  EXPECT_EQ(Run({"PING", "a", "b"}), Error("ERR wrong number of arguments for 'ping' command"));
}

TEST_F(ServerCommandsTest, EchoReturnsItsArgumentAsBulk) {
  EXPECT_EQ(Run({"ECHO", "hi"}), Bulk("hi"));
  EXPECT_EQ(Run({"ECHO", ""}), Bulk(""));
  EXPECT_EQ(Run({"ECHO", std::string("a\0b", 3)}), Bulk(std::string("a\0b", 3)));
  EXPECT_EQ(Run({"ECHO"}), Error("ERR wrong number of arguments for 'echo' command"));
}

TEST_F(ServerCommandsTest, QuitRepliesOkThenCloses) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send("*1\r\n$4\r\nQUIT\r\n"));
  EXPECT_EQ(conn.ReadUntilClosed(), "+OK\r\n");
  EXPECT_TRUE(conn.PeerClosed());
  EXPECT_EQ(Run({"PING"}), Status("PONG"));
}

TEST_F(ServerCommandsTest, CommandsPipelinedAfterQuitAreNotExecuted) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send("QUIT\r\nSET after-quit 1\r\n"));
  EXPECT_EQ(conn.ReadUntilClosed(), "+OK\r\n");
  EXPECT_EQ(Run({"EXISTS", "after-quit"}), Int(0));
}

TEST_F(ServerCommandsTest, SelectSwitchesDatabasePerConnection) {
  ASSERT_EQ(Run({"SET", "k", "db0"}), Status("OK"));
  EXPECT_EQ(Run({"SELECT", "15"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "k"}), Nil());
  ASSERT_EQ(Run({"SET", "k", "db15"}), Status("OK"));
  RedisClient other(port());
  EXPECT_EQ(other.Command({"GET", "k"}), Bulk("db0"));
  EXPECT_EQ(Run({"SELECT", "0"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("db0"));
}

TEST_F(ServerCommandsTest, SelectRejectsBadIndexes) {
  EXPECT_EQ(Run({"SELECT", "16"}), Error("ERR DB index is out of range"));
  EXPECT_EQ(Run({"SELECT", "-1"}), Error("ERR DB index is out of range"));
  EXPECT_EQ(Run({"SELECT", "x"}), Error("ERR value is not an integer or out of range"));
  EXPECT_EQ(Run({"SELECT"}), Error("ERR wrong number of arguments for 'select' command"));
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v"));  // still on db 0
}

TEST_F(ServerCommandsTest, TimeReturnsSecondsAndMicroseconds) {
  Reply r = Run({"TIME"});
  ASSERT_EQ(r.type, Reply::Type::kArray) << r.ToString();
  ASSERT_EQ(r.elements.size(), 2u) << r.ToString();
  ASSERT_EQ(r.elements[0].type, Reply::Type::kString);
  ASSERT_EQ(r.elements[1].type, Reply::Type::kString);
  const long long seconds = std::stoll(r.elements[0].str);
  const long long micros = std::stoll(r.elements[1].str);
  const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  // Same machine, same clock: the server's time is the test's time give or take a moment.
  EXPECT_LE(std::llabs(seconds - now), 5);
  EXPECT_GE(micros, 0);
  EXPECT_LE(micros, 999999);
  EXPECT_EQ(Run({"TIME", "x"}), Error("ERR wrong number of arguments for 'time' command"));
}

TEST(ShutdownTest, ShutdownStopsTheServer) {
  ServerProcess server = ServerProcess::StartEmber();
  ASSERT_TRUE(server.running());
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Send("*1\r\n$8\r\nSHUTDOWN\r\n"));
  EXPECT_TRUE(conn.PeerClosed(milliseconds(10000)));
  std::optional<int> status = server.WaitForExit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "server still running after SHUTDOWN";
  EXPECT_EQ(*status, 0) << server.ReadLog();
}

TEST(ShutdownTest, ShutdownNoSaveStopsTheServer) {
  ServerProcess server = ServerProcess::StartEmber();
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  ASSERT_EQ(client.Command({"SET", "k", "v"}), Status("OK"));
  Reply r = client.Command({"SHUTDOWN", "NOSAVE"});
  // The server exits without replying, so the client sees the connection drop.
  EXPECT_EQ(r.type, Reply::Type::kError);
  EXPECT_EQ(r.str.rfind("IOERR", 0), 0u) << r.ToString();
  std::optional<int> status = server.WaitForExit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "server still running after SHUTDOWN NOSAVE";
  EXPECT_EQ(*status, 0) << server.ReadLog();
}

}  // namespace
}  // namespace ember::test
