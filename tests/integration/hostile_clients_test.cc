// Hostile and slow clients: thousands of idle (or blocked) connections, a client that sends
// a byte at a time, clients that vanish mid-request or mid-reply, and headers that announce
// huge sizes.
// The server must keep answering everyone else promptly, allocate nothing for sizes it was
// only told about, and stay healthy. protocol_errors_test.cc covers the error texts of
// malformed input; this file covers load, timing and memory. Every loop is bounded.
#include <chrono>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process_probe.h"
#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int kIdleConnections = 10000;
constexpr int64_t kMiB = 1024 * 1024;

class HostileClientsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    own_fd_limit_ = RaiseOwnDescriptorLimit();
    server_ = new ServerProcess(ServerProcess::StartEmber({"--maxclients", "10100"}));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_ != nullptr && server_->running()); }

  static int port() { return server_->port(); }
  static pid_t pid() { return server_->pid(); }
  // PING on a connection opened beforehand answers within the liveness bound.
  static void ExpectPromptPing(RedisClient& client) {
    const auto start = Clock::now();
    EXPECT_EQ(client.Command({"PING"}), Status("PONG"));
    EXPECT_LT(Clock::now() - start, milliseconds(1000));
  }
  static int64_t ConnectedClients(RedisClient& client) {
    return std::stoll(InfoField(client.Command({"INFO", "clients"}).str, "connected_clients"));
  }

  static uint64_t own_fd_limit_;
  static ServerProcess* server_;
};

uint64_t HostileClientsTest::own_fd_limit_ = 0;
ServerProcess* HostileClientsTest::server_ = nullptr;

TEST_F(HostileClientsTest, TenThousandIdleConnectionsDoNotSlowOthers) {
  ASSERT_GE(own_fd_limit_, static_cast<uint64_t>(kIdleConnections + 100))
      << "this test opens " << kIdleConnections << " sockets, but the hard RLIMIT_NOFILE of the "
      << "test process is " << own_fd_limit_ << ": raise it (ulimit -Hn 20000, or LimitNOFILE= "
      << "in the service that runs the tests)";
  RedisClient watcher(port());
  std::vector<std::unique_ptr<RawConnection>> idle;
  idle.reserve(kIdleConnections);
  for (int i = 0; i < kIdleConnections; ++i) {
    idle.push_back(std::make_unique<RawConnection>(port()));
    ASSERT_GE(idle.back()->fd(), 0) << "connection " << i;
    if (i % 2500 == 0) ExpectPromptPing(watcher);
  }
  EXPECT_TRUE(WaitFor([&] { return ConnectedClients(watcher) == kIdleConnections + 1; },
                      milliseconds(10000)));
  for (int i = 0; i < 5; ++i) ExpectPromptPing(watcher);
  // A connection opened now is served at once as well.
  RedisClient late(port());
  ExpectPromptPing(late);
  std::cout << "[ measure  ] server RSS with " << kIdleConnections
            << " idle connections: " << ProcStatusBytes(pid(), "VmRSS") / kMiB << " MiB\n";
  idle.clear();
  EXPECT_TRUE(WaitFor([&] { return ConnectedClients(watcher) == 2; }, milliseconds(10000)));
}

// Blocked clients wait without polling: 10,000 of them, each in BLPOP on a key of its own,
// leave the server idle (its CPU over two quiet seconds stays at what the once-a-second
// client sweep costs), and a push still wakes exactly the one waiting on that key.
TEST_F(HostileClientsTest, TenThousandBlockedClientsCostNoCpuWhileIdle) {
  ASSERT_GE(own_fd_limit_, static_cast<uint64_t>(kIdleConnections + 100))
      << "raise the hard RLIMIT_NOFILE of the test process (ulimit -Hn 20000)";
  RedisClient watcher(port());
  std::vector<std::unique_ptr<RawConnection>> blocked;
  blocked.reserve(kIdleConnections);
  for (int i = 0; i < kIdleConnections; ++i) {
    blocked.push_back(std::make_unique<RawConnection>(port()));
    ASSERT_TRUE(blocked.back()->Send(RespRequest({"BLPOP", "q:" + std::to_string(i), "0"})));
  }
  ASSERT_TRUE(WaitFor(
      [&] {
        return InfoField(watcher.Command({"INFO", "clients"}).str, "blocked_clients") ==
               std::to_string(kIdleConnections);
      },
      milliseconds(20000)));
  const int64_t cpu_before = ProcessCpuMillis(pid());
  std::this_thread::sleep_for(milliseconds(2000));
  const int64_t idle_cpu = ProcessCpuMillis(pid()) - cpu_before;
  std::cout << "[ measure  ] server CPU over 2 s with " << kIdleConnections
            << " blocked clients: " << idle_cpu << " ms\n";
  EXPECT_LE(idle_cpu, 200) << "blocked clients should cost nothing while idle";
  ASSERT_EQ(watcher.Command({"RPUSH", "q:4321", "v"}), Int(1));
  EXPECT_EQ(blocked[4321]->Read(23), "*2\r\n$6\r\nq:4321\r\n$1\r\nv\r\n");
  EXPECT_EQ(blocked[4320]->ReadSome(milliseconds(100)), "");
  blocked.clear();
  EXPECT_TRUE(WaitFor([&] { return ConnectedClients(watcher) == 1; }, milliseconds(10000)));
  EXPECT_EQ(InfoField(watcher.Command({"INFO", "clients"}).str, "blocked_clients"), "0");
}

TEST_F(HostileClientsTest, ByteAtATimeClientIsAnsweredAndBlocksNobody) {
  RedisClient other(port());
  RawConnection slow(port());
  const std::string request = RespRequest({"PING"});
  for (size_t i = 0; i < request.size(); ++i) {
    ASSERT_TRUE(slow.Send(request.substr(i, 1)));
    if (i + 1 < request.size()) {
      EXPECT_EQ(slow.ReadSome(milliseconds(100)), "");  // nothing before the command is whole
      ExpectPromptPing(other);
      std::this_thread::sleep_for(milliseconds(100));  // the byte interval: 200 ms in all
    }
  }
  EXPECT_EQ(slow.Read(7), "+PONG\r\n");
}

TEST_F(HostileClientsTest, ClientsVanishingMidRequestOrMidReplyLeaveTheServerHealthy) {
  RedisClient admin(port());
  ASSERT_EQ(admin.Command({"SET", "big", std::string(kMiB, 'v')}), Status("OK"));
  {
    RawConnection half_request(port());
    ASSERT_TRUE(
        half_request.Send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1000000\r\n" + std::string(400000, 'p')));
    half_request.Close();
  }
  {
    RawConnection half_reply(port());
    std::string pipeline;
    for (int i = 0; i < 50; ++i) pipeline += RespRequest({"GET", "big"});
    ASSERT_TRUE(half_reply.Send(pipeline));
    EXPECT_EQ(half_reply.Read(256 * 1024).size(), 256u * 1024);
    half_reply.Close();  // with ~50 MiB of replies still to come
  }
  EXPECT_TRUE(WaitFor([&] { return ConnectedClients(admin) == 1; }, milliseconds(5000)));
  EXPECT_EQ(admin.Command({"EXISTS", "k"}), Int(0));  // the half-sent SET never ran
  EXPECT_EQ(admin.Command({"STRLEN", "big"}), Int(kMiB));
  ExpectPromptPing(admin);
}

TEST_F(HostileClientsTest, AnnouncedSizesAllocateNothing) {
  RedisClient admin(port());
  const int64_t rss_before = ProcStatusBytes(pid(), "VmRSS");
  {
    // Over proto-max-bulk-len (512 MB): refused at the header.
    RawConnection conn(port());
    ASSERT_TRUE(conn.Send("*1\r\n$600000000\r\n"));
    EXPECT_EQ(conn.ReadUntilClosed(), "-ERR Protocol error: invalid bulk length\r\n");
  }
  {
    // Within the limit (500 MB) but never sent: memory follows the bytes that arrive.
    RawConnection conn(port());
    ASSERT_TRUE(conn.Send("*2\r\n$4\r\nECHO\r\n$500000000\r\n" + std::string(100000, 'e')));
    ExpectPromptPing(admin);
    EXPECT_LT(ProcStatusBytes(pid(), "VmRSS") - rss_before, 32 * kMiB);
  }
  {
    // Redis 7.0 accepts any count up to INT_MAX and allocates per element as they come.
    RawConnection conn(port());
    ASSERT_TRUE(conn.Send("*2000000000\r\n$4\r\nPING\r\n"));
    ExpectPromptPing(admin);
    EXPECT_LT(ProcStatusBytes(pid(), "VmRSS") - rss_before, 32 * kMiB);
    EXPECT_FALSE(conn.PeerClosed(milliseconds(200)));
  }
  {
    RawConnection conn(port());
    ASSERT_TRUE(conn.Send("*2147483648\r\n"));
    EXPECT_EQ(conn.ReadUntilClosed(), "-ERR Protocol error: invalid multibulk length\r\n");
  }
  EXPECT_LT(ProcStatusBytes(pid(), "VmHWM") - rss_before, 64 * kMiB * kSanitizerRssFactor);
}

TEST_F(HostileClientsTest, NestingAndRandomBytesGetAnErrorNotACrash) {
  RedisClient admin(port());
  {
    std::string nested;
    for (int i = 0; i < 10000; ++i) nested += "*1\r\n";
    RawConnection conn(port());
    conn.Send(nested);
    EXPECT_EQ(conn.ReadUntilClosed(), "-ERR Protocol error: expected '$', got '*'\r\n");
  }
  std::mt19937 random(20240601);  // fixed seed: the same bytes on every run
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE(round);
    std::string garbage(4096, '\0');
    for (char& c : garbage) c = static_cast<char>(random() & 0xff);
    RawConnection conn(port());
    conn.Send(garbage);
    // Whatever the bytes mean (inline commands, a bad header), the server answers or closes;
    // it must not die or stop serving others.
    conn.ReadSome(milliseconds(50));
    ExpectPromptPing(admin);
  }
  EXPECT_TRUE(server_->running());
  EXPECT_EQ(admin.Command({"SET", "after", "garbage"}), Status("OK"));
}

}  // namespace
}  // namespace ember::test
