// Connection state across real connections: WATCH invalidated by another client and by
// expiry, CLIENT KILL of another connection, CLIENT PAUSE holding another client's writes,
// CLIENT REPLY OFF on the wire, HELLO 3's RESP3 bytes, transactions split across reads, and
// requirepass with the unauthenticated request limits.
#include <chrono>
#include <string>
#include <thread>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ConnectionStateTest = ServerTest;
using std::chrono::milliseconds;

TEST_F(ConnectionStateTest, WatchedKeyChangedByAnotherClientAbortsExec) {
  RedisClient other(port());
  EXPECT_EQ(Run({"WATCH", "balance"}), Status("OK"));
  EXPECT_EQ(other.Command({"SET", "balance", "100"}), Status("OK"));
  EXPECT_EQ(Run({"MULTI"}), Status("OK"));
  EXPECT_EQ(Run({"SET", "balance", "0"}), Status("QUEUED"));
  EXPECT_EQ(Run({"EXEC"}), Nil());
  EXPECT_EQ(Run({"GET", "balance"}), Bulk("100"));

  EXPECT_EQ(Run({"WATCH", "balance"}), Status("OK"));
  EXPECT_EQ(Run({"MULTI"}), Status("OK"));
  EXPECT_EQ(Run({"INCRBY", "balance", "5"}), Status("QUEUED"));
  EXPECT_EQ(Run({"EXEC"}), Array({Int(105)}));
}

TEST_F(ConnectionStateTest, WatchedKeyRemovedByActiveExpiryAbortsExec) {
  ASSERT_EQ(Run({"SET", "session", "x", "PX", "50"}), Status("OK"));
  EXPECT_EQ(Run({"WATCH", "session"}), Status("OK"));
  RedisClient other(port());
  // The cron's active expiry reclaims the key without any client touching it.
  EXPECT_TRUE(WaitFor([&] { return other.Command({"DBSIZE"}) == Int(0); }, milliseconds(5000)));
  EXPECT_EQ(Run({"MULTI"}), Status("OK"));
  EXPECT_EQ(Run({"PING"}), Status("QUEUED"));
  EXPECT_EQ(Run({"EXEC"}), Nil());
}

TEST_F(ConnectionStateTest, TransactionSurvivesBatchBoundaries) {
  RawConnection conn(port());
  ASSERT_TRUE(
      conn.Send(RespRequest({"MULTI"}) + RespRequest({"SET", "k", std::string(5000, 'v')})));
  EXPECT_EQ(conn.Read(14), "+OK\r\n+QUEUED\r\n");
  // Fill and reuse the connection's buffer before EXEC runs the queued copy.
  ASSERT_TRUE(conn.Send(RespRequest({"ECHO", std::string(20000, 'z')})));
  EXPECT_EQ(conn.Read(9), "+QUEUED\r\n");
  ASSERT_TRUE(conn.Send(RespRequest({"EXEC"})));
  const std::string echoed = "$20000\r\n" + std::string(20000, 'z') + "\r\n";
  EXPECT_EQ(conn.Read(4 + 5 + echoed.size()), "*2\r\n+OK\r\n" + echoed);
  EXPECT_EQ(Run({"STRLEN", "k"}), Int(5000));
}

TEST_F(ConnectionStateTest, ClientKillClosesAnotherConnection) {
  RedisClient victim(port());
  Reply id = victim.Command({"CLIENT", "ID"});
  ASSERT_EQ(id.type, Reply::Type::kInteger);
  EXPECT_EQ(Run({"CLIENT", "KILL", "ID", std::to_string(id.integer)}), Int(1));
  Reply after = victim.Command({"PING"});
  EXPECT_EQ(after.type, Reply::Type::kError);
  EXPECT_EQ(after.str.rfind("IOERR", 0), 0u) << after.str;
  EXPECT_EQ(Run({"CLIENT", "KILL", "ID", std::to_string(id.integer)}), Int(0));
  EXPECT_EQ(Run({"PING"}), Status("PONG"));
}

TEST_F(ConnectionStateTest, ClientKillSkipmeNoClosesTheCallerAfterItsReply) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send(RespRequest({"CLIENT", "KILL", "USER", "default", "SKIPME", "no"})));
  std::string reply = conn.ReadUntilClosed();
  EXPECT_EQ(reply.substr(0, 1), ":");
  EXPECT_TRUE(conn.PeerClosed());
}

TEST_F(ConnectionStateTest, ClientPauseWriteHoldsAnotherClientsWriteUntilUnpause) {
  EXPECT_EQ(Run({"CLIENT", "PAUSE", "20000", "WRITE"}), Status("OK"));
  RawConnection writer(port());
  ASSERT_TRUE(writer.Send(RespRequest({"SET", "held", "1"}) + RespRequest({"GET", "held"})));
  RedisClient reader(port());
  EXPECT_EQ(reader.Command({"GET", "other"}), Nil());  // reads still run
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(reader.Command({"EXISTS", "held"}), Int(0));  // the write waits, not fails
  EXPECT_EQ(Run({"CLIENT", "UNPAUSE"}), Status("OK"));
  EXPECT_EQ(writer.Read(12), "+OK\r\n$1\r\n1\r\n");
  EXPECT_EQ(reader.Command({"GET", "held"}), Bulk("1"));
}

TEST_F(ConnectionStateTest, ClientPauseEndsByItself) {
  EXPECT_EQ(Run({"CLIENT", "PAUSE", "300"}), Status("OK"));
  RawConnection other(port());
  ASSERT_TRUE(other.Send(RespRequest({"PING"})));
  EXPECT_EQ(other.Read(7, milliseconds(5000)), "+PONG\r\n");
}

TEST_F(ConnectionStateTest, ClientReplyOffSendsNothingUntilOn) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.Send(RespRequest({"CLIENT", "REPLY", "OFF"}) + RespRequest({"SET", "a", "1"}) +
                        RespRequest({"NOSUCH"}) + RespRequest({"CLIENT", "REPLY", "ON"}) +
                        RespRequest({"GET", "a"}) + RespRequest({"CLIENT", "REPLY", "SKIP"}) +
                        RespRequest({"PING"}) + RespRequest({"ECHO", "x"})));
  EXPECT_EQ(conn.Read(19), "+OK\r\n$1\r\n1\r\n$1\r\nx\r\n");
}

TEST_F(ConnectionStateTest, Hello3SwitchesTheConnectionToResp3) {
  RawConnection conn(port());
  // CLIENT ID's reply (":<id>\r\n") has no known length: take what arrives in 300 ms.
  ASSERT_TRUE(conn.Send(RespRequest({"CLIENT", "ID"})));
  const std::string id_reply = conn.Read(64, milliseconds(300));
  ASSERT_TRUE(id_reply.size() > 3 && id_reply.front() == ':') << id_reply;
  const std::string id = id_reply.substr(1, id_reply.size() - 3);
  const std::string expected =
      "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n"
      ":3\r\n$2\r\nid\r\n:" +
      id +
      "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n"
      "*0\r\n";
  ASSERT_TRUE(conn.Send(RespRequest({"HELLO", "3"})));
  EXPECT_EQ(conn.Read(expected.size()), expected);
  // RESP3 nulls; INCRBYFLOAT stays a bulk string, as in Redis 7.0.
  ASSERT_TRUE(conn.Send(RespRequest({"GET", "missing"}) + RespRequest({"INCRBYFLOAT", "f", "1.5"}) +
                        RespRequest({"CLIENT", "GETNAME"})));
  EXPECT_EQ(conn.Read(15), "_\r\n$3\r\n1.5\r\n_\r\n");
  ASSERT_TRUE(conn.Send(RespRequest({"HELLO", "2"})));
  EXPECT_EQ(conn.Read(5), "*14\r\n");
}

TEST(RequirepassTest, ClientsAuthenticateBeforeAnythingElse) {
  ServerProcess server = ServerProcess::StartEmber({"--requirepass", "s3cret"});
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Send(RespRequest({"GET", "k"}) + RespRequest({"AUTH", "nope"}) +
                        RespRequest({"AUTH", "default", "s3cret"}) + RespRequest({"GET", "k"})));
  const std::string expected =
      "-NOAUTH Authentication required.\r\n"
      "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
      "+OK\r\n$-1\r\n";
  EXPECT_EQ(conn.Read(expected.size()), expected);
}

TEST(RequirepassTest, UnauthenticatedClientsCannotSendLargeRequests) {
  ServerProcess server = ServerProcess::StartEmber({"--requirepass", "s3cret"});
  {
    RawConnection conn(server.port());
    ASSERT_TRUE(conn.Send("*11\r\n$4\r\nPING\r\n"));
    EXPECT_EQ(conn.ReadUntilClosed(), "-ERR Protocol error: unauthenticated multibulk length\r\n");
  }
  {
    RawConnection conn(server.port());
    ASSERT_TRUE(conn.Send("*2\r\n$4\r\nECHO\r\n$20000\r\n"));
    EXPECT_EQ(conn.ReadUntilClosed(), "-ERR Protocol error: unauthenticated bulk length\r\n");
  }
  {
    RawConnection conn(server.port());  // after AUTH the normal limits apply
    const std::string big(20000, 'b');
    ASSERT_TRUE(conn.Send(RespRequest({"AUTH", "s3cret"}) + RespRequest({"ECHO", big})));
    EXPECT_EQ(conn.Read(5 + 8 + big.size() + 2), "+OK\r\n$20000\r\n" + big + "\r\n");
  }
}

}  // namespace
}  // namespace ember::test
