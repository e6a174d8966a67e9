// Connection limits on the real binary: the idle `timeout` (closed by the once-a-second
// client sweep, sparing clients held by CLIENT PAUSE), `tcp-keepalive` as the socket options
// the server set (read through a duplicate of its descriptor), and maxclients under a low
// descriptor limit (lowered at startup with Redis's warnings, refused above it at runtime).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process_probe.h"
#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// The server-side descriptor of `client`'s own connection, from CLIENT INFO.
int ServerFdOf(RedisClient& client) {
  const std::string info = client.Command({"CLIENT", "INFO"}).str;
  const size_t at = info.find(" fd=");
  return at == std::string::npos ? -1 : std::stoi(info.substr(at + 4));
}

struct KeepAlive {
  int enabled = -1, idle = -1, interval = -1, count = -1;
};

KeepAlive ServerKeepAlive(const ServerProcess& server, RedisClient& client) {
  KeepAlive k;
  std::string error;
  const int fd = DuplicateDescriptorOf(server.pid(), ServerFdOf(client), &error);
  if (fd < 0) {
    ADD_FAILURE() << "cannot read the server's socket: " << error;
    return k;
  }
  socklen_t len = sizeof(int);
  getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &k.enabled, &len);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &k.idle, &len);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &k.interval, &len);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &k.count, &len);
  close(fd);
  return k;
}

TEST(IdleTimeoutTest, IdleClientIsClosedWhileAnActiveOneSurvives) {
  ServerProcess server = ServerProcess::StartEmber({"--timeout", "1"});
  RawConnection idle(server.port());
  RedisClient active(server.port());
  const auto start = Clock::now();
  bool idle_closed = false;
  // The active client sends a command every 300 ms; the idle one must be gone within ~3 s.
  while (Clock::now() - start < std::chrono::seconds(4)) {
    ASSERT_EQ(active.Command({"PING"}), Status("PONG"));
    if (!idle_closed) idle_closed = idle.PeerClosed(milliseconds(300));
    if (idle_closed) std::this_thread::sleep_for(milliseconds(300));
  }
  EXPECT_TRUE(idle_closed);
  EXPECT_EQ(active.Command({"PING"}), Status("PONG"));
}

TEST(IdleTimeoutTest, ConfigSetTimeoutAppliesAtRuntimeAndSparesPausedClients) {
  ServerProcess server = ServerProcess::StartEmber();
  RedisClient admin(server.port());
  RawConnection idle(server.port());
  EXPECT_FALSE(idle.PeerClosed(milliseconds(1500)));  // timeout 0: never

  ASSERT_EQ(admin.Command({"CONFIG", "SET", "timeout", "1"}), Status("OK"));
  // A client held by CLIENT PAUSE for 2.5 s is blocked, not idle.
  ASSERT_EQ(admin.Command({"CLIENT", "PAUSE", "2500", "WRITE"}), Status("OK"));
  RawConnection held(server.port());
  ASSERT_TRUE(held.Send(RespRequest({"SET", "k", "v"})));
  EXPECT_TRUE(idle.PeerClosed(milliseconds(3000)));
  EXPECT_EQ(held.Read(5, milliseconds(4000)), "+OK\r\n");
  // Once its command ran it is an ordinary idle client again.
  EXPECT_TRUE(held.PeerClosed(milliseconds(3500)));

  // The admin connection idled out as well; a fresh one turns the timeout off.
  ASSERT_EQ(RedisClient(server.port()).Command({"CONFIG", "SET", "timeout", "0"}), Status("OK"));
  RawConnection spared(server.port());
  EXPECT_FALSE(spared.PeerClosed(milliseconds(2200)));
}

TEST(TcpKeepAliveTest, AcceptedSocketsGetRedisKeepAliveOptions) {
  ServerProcess server = ServerProcess::StartEmber();
  {
    RedisClient client(server.port());
    const KeepAlive k = ServerKeepAlive(server, client);
    EXPECT_EQ(k.enabled, 1);
    EXPECT_EQ(k.idle, 300);  // the default
    EXPECT_EQ(k.interval, 100);
    EXPECT_EQ(k.count, 3);
  }
  RedisClient admin(server.port());
  ASSERT_EQ(admin.Command({"CONFIG", "SET", "tcp-keepalive", "60"}), Status("OK"));
  {
    RedisClient client(server.port());
    const KeepAlive k = ServerKeepAlive(server, client);
    EXPECT_EQ(k.enabled, 1);
    EXPECT_EQ(k.idle, 60);
    EXPECT_EQ(k.interval, 20);
    EXPECT_EQ(k.count, 3);
  }
  ASSERT_EQ(admin.Command({"CONFIG", "SET", "tcp-keepalive", "0"}), Status("OK"));
  RedisClient client(server.port());
  EXPECT_EQ(ServerKeepAlive(server, client).enabled, 0);
}

TEST(TcpKeepAliveTest, StartupFlagSetsTheInterval) {
  ServerProcess server = ServerProcess::StartEmber({"--tcp-keepalive", "9"});
  RedisClient client(server.port());
  const KeepAlive k = ServerKeepAlive(server, client);
  EXPECT_EQ(k.enabled, 1);
  EXPECT_EQ(k.idle, 9);
  EXPECT_EQ(k.interval, 3);
}

TEST(MaxclientsTest, LowDescriptorLimitLowersMaxclientsLikeRedis) {
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.port = ServerProcess::FreePort();
  options.args = {"--port", std::to_string(options.port), "--http-port", "0", "--save", ""};
  options.nofile_limit = 100;
  ServerProcess server = ServerProcess::Spawn(options);
  ASSERT_TRUE(server.WaitUntilReady()) << server.ReadLog();

  // 100 descriptors minus Redis's 32 reserved ones.
  RedisClient admin(server.port());
  EXPECT_EQ(admin.Command({"CONFIG", "GET", "maxclients"}), BulkArray({"maxclients", "68"}));
  const std::string log = server.ReadLog();
  EXPECT_NE(log.find("You requested maxclients of 10000 requiring at least 10032 max file "
                     "descriptors."),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Current maximum open files is 100. maxclients has been reduced to 68 to "
                     "compensate for low ulimit. If you need higher maxclients increase 'ulimit "
                     "-n'."),
            std::string::npos)
      << log;
  EXPECT_EQ(admin.Command({"CONFIG", "SET", "maxclients", "1000"}),
            Error("ERR CONFIG SET failed (possibly related to argument 'maxclients') - The "
                  "operating system is not able to handle the specified number of clients, try "
                  "with 68"));

  // 68 clients in all: the admin and 67 more, then the refusal.
  std::vector<std::unique_ptr<RawConnection>> clients;
  for (int i = 0; i < 67; ++i) {
    clients.push_back(std::make_unique<RawConnection>(server.port()));
    ASSERT_TRUE(clients.back()->Send(RespRequest({"PING"})));
    ASSERT_EQ(clients.back()->Read(7), "+PONG\r\n") << "client " << i;
  }
  RawConnection refused(server.port());
  EXPECT_EQ(refused.ReadUntilClosed(milliseconds(2000)), "-ERR max number of clients reached\r\n");
  EXPECT_EQ(InfoField(admin.Command({"INFO", "stats"}).str, "rejected_connections"), "1");
}

}  // namespace
}  // namespace ember::test
