// Protected mode against the real redis-server 7.0: with protected-mode yes and no
// requirepass, a peer other than 127.0.0.1 / ::1 gets Redis's DENIED error and is
// disconnected. Connecting from 127.0.0.2 (Linux routes all of 127/8 over lo) reaches a
// server bound to 127.0.0.1 without leaving loopback; Redis compares the peer's address
// text, so 127.0.0.2 counts as remote for both servers.
#include <boost/json/parse.hpp>
#include <string>

#include "tests/support/http_client.h"
#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

constexpr const char* kRemote = "127.0.0.2";

// What a client connecting from `source` receives before the server closes (or 2 s pass).
std::string FirstBytesFrom(int port, const std::string& source, const std::string& send = "") {
  RawConnection conn(port, source);
  if (!send.empty()) conn.Send(send);
  return conn.ReadUntilClosed(std::chrono::milliseconds(2000));
}

std::string InfoStat(int port, const std::string& field) {
  RedisClient client(port);
  return InfoField(client.Command({"INFO", "stats"}).str, field);
}

TEST(ProtectedModeTest, NonLoopbackPeerGetsRedisDeniedReplyAndIsDisconnected) {
  ServerProcess reference = ServerProcess::StartReference();
  ServerProcess ember = ServerProcess::StartEmber();
  ASSERT_TRUE(reference.running() && ember.running());

  const std::string expected = FirstBytesFrom(reference.port(), kRemote);
  ASSERT_TRUE(expected.starts_with("-DENIED Redis is running in protected mode because"))
      << expected;
  ASSERT_TRUE(expected.ends_with("\r\n"));
  EXPECT_EQ(FirstBytesFrom(ember.port(), kRemote), expected);
  // A command sent at once changes nothing: the reply is the refusal and the close.
  EXPECT_EQ(FirstBytesFrom(ember.port(), kRemote, RespRequest({"PING"})), expected);
  EXPECT_EQ(InfoStat(ember.port(), "rejected_connections"), "2");
  // Loopback itself is served.
  EXPECT_EQ(RedisClient(ember.port()).Command({"PING"}), Status("PONG"));
}

TEST(ProtectedModeTest, ProtectedModeNoServesEveryPeer) {
  ServerProcess ember = ServerProcess::StartEmber({"--protected-mode", "no"});
  RawConnection conn(ember.port(), kRemote);
  ASSERT_TRUE(conn.Send(RespRequest({"PING"})));
  EXPECT_EQ(conn.Read(7), "+PONG\r\n");
}

TEST(ProtectedModeTest, RequirepassLetsRemotePeersInToAuthenticate) {
  ServerProcess ember = ServerProcess::StartEmber({"--requirepass", "s3cret"});
  RawConnection conn(ember.port(), kRemote);
  ASSERT_TRUE(
      conn.Send(RespRequest({"PING"}) + RespRequest({"AUTH", "s3cret"}) + RespRequest({"PING"})));
  const std::string expected = "-NOAUTH Authentication required.\r\n+OK\r\n+PONG\r\n";
  EXPECT_EQ(conn.Read(expected.size()), expected);
}

TEST(ProtectedModeTest, ConfigSetTurnsItOffAndOnAtRuntime) {
  ServerProcess ember = ServerProcess::StartEmber();
  RedisClient admin(ember.port());
  ASSERT_TRUE(FirstBytesFrom(ember.port(), kRemote).starts_with("-DENIED "));

  ASSERT_EQ(admin.Command({"CONFIG", "SET", "protected-mode", "no"}), Status("OK"));
  {
    RawConnection conn(ember.port(), kRemote);
    ASSERT_TRUE(conn.Send(RespRequest({"PING"})));
    EXPECT_EQ(conn.Read(7), "+PONG\r\n");
  }
  ASSERT_EQ(admin.Command({"CONFIG", "SET", "protected-mode", "yes"}), Status("OK"));
  EXPECT_TRUE(FirstBytesFrom(ember.port(), kRemote).starts_with("-DENIED "));
  // Setting a password at runtime opens the door as well.
  ASSERT_EQ(admin.Command({"CONFIG", "SET", "requirepass", "pw"}), Status("OK"));
  EXPECT_EQ(FirstBytesFrom(ember.port(), kRemote, RespRequest({"PING"})).substr(0, 8), "-NOAUTH ");
}

TEST(ProtectedModeTest, HttpAdapterRefusesRemotePeersWith403) {
  const int http_port = ServerProcess::FreePort();
  ServerProcess ember = ServerProcess::StartEmber({"--http-port", std::to_string(http_port)});
  ASSERT_TRUE(ember.running());
  const std::string denied = FirstBytesFrom(ember.port(), kRemote);
  ASSERT_TRUE(denied.starts_with("-DENIED "));

  HttpClient remote(http_port, kRemote);
  ASSERT_TRUE(remote.connected());
  HttpResponse refused = remote.Request("GET", "/get?key=k");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Header("content-type"), "application/json");
  EXPECT_FALSE(refused.keep_alive);
  // The JSON error carries the same words as the RESP reply.
  const std::string text = denied.substr(1, denied.size() - 3);
  EXPECT_EQ(boost::json::parse(refused.body).at("error").as_string(), text);

  HttpClient local(http_port);
  EXPECT_EQ(local.Request("GET", "/get?key=k").status, 404);
}

}  // namespace
}  // namespace ember::test
