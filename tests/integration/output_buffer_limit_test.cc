// client-output-buffer-limit on the real binary: CONFIG GET/SET replies match
// redis-server 7.0, a client that pipelines thousands of 1 MiB GETs and never reads is
// disconnected at the hard limit (or after the soft seconds) with Redis's log line, and the
// server's memory stays bounded throughout; with the default limits (normal 0 0 0) the same
// client only stalls itself.
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process_probe.h"
#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kMiB = 1024 * 1024;
// What the greedy client asks for: 3,000 GETs of a 1 MiB value, about 3 GB of replies.
constexpr int kPipelinedGets = 3000;

std::string Pipeline() {
  std::string requests;
  for (int i = 0; i < kPipelinedGets; ++i) requests += RespRequest({"GET", "big"});
  return requests;
}

int64_t ConnectedClients(RedisClient& admin) {
  return std::stoll(InfoField(admin.Command({"INFO", "clients"}).str, "connected_clients"));
}

struct MemoryWatch {
  int64_t baseline_rss;
  int64_t PeakGrowth(const ServerProcess& server) const {
    return ProcStatusBytes(server.pid(), "VmHWM") - baseline_rss;
  }
};

// Stores the 1 MiB value and records the server's memory afterwards: the higher of its
// resident set and its peak so far, so PeakGrowth() is what the peak rose above that.
MemoryWatch PrepareBigValue(const ServerProcess& server, RedisClient& admin) {
  EXPECT_EQ(admin.Command({"SET", "big", std::string(kMiB, 'x')}), Status("OK"));
  return {std::max(ProcStatusBytes(server.pid(), "VmRSS"), ProcStatusBytes(server.pid(), "VmHWM"))};
}

TEST(OutputBufferLimitTest, ConfigGetAndSetMatchRedis) {
  ServerProcess reference = ServerProcess::StartReference();
  ServerProcess ember = ServerProcess::StartEmber();
  RedisClient ref(reference.port());
  RedisClient own(ember.port());
  const std::vector<std::vector<std::string>> script = {
      {"CONFIG", "GET", "client-output-buffer-limit"},
      {"CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2mb 3"},
      {"CONFIG", "GET", "client-output-buffer-limit"},
      {"CONFIG", "SET", "client-output-buffer-limit", "slave 1gb 64kb 0 pubsub 0 0 0"},
      {"CONFIG", "GET", "client-output-buffer-limit"},
      {"CONFIG", "SET", "client-output-buffer-limit", "replica 5 6 7 normal 0 0 0"},
      {"CONFIG", "GET", "client-output-buffer-limit"},
      {"CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"},
      {"CONFIG", "SET", "client-output-buffer-limit", "master 1 2 3"},
      {"CONFIG", "SET", "client-output-buffer-limit", "normal -1 2 3"},
      {"CONFIG", "SET", "client-output-buffer-limit", "normal 1 2 3s"},
      {"CONFIG", "GET", "client-output-buffer-limit"},
  };
  for (const auto& command : script) {
    SCOPED_TRACE(command.back());
    EXPECT_EQ(own.Command(command), ref.Command(command));
  }
}

TEST(OutputBufferLimitTest, NonReadingClientIsDisconnectedAtTheHardLimit) {
  ServerProcess server =
      ServerProcess::StartEmber({"--client-output-buffer-limit", "normal 8mb 4mb 10"});
  RedisClient admin(server.port());
  const MemoryWatch memory = PrepareBigValue(server, admin);

  RawConnection greedy(server.port());
  greedy.Send(Pipeline());  // may fail part-way once the server has closed the connection
  EXPECT_TRUE(WaitFor([&] { return ConnectedClients(admin) == 1; }, milliseconds(10000)));
  EXPECT_TRUE(WaitFor(
      [&] {
        return server.ReadLog().find(
                   "scheduled to be closed ASAP for overcoming of output buffer limits.") !=
               std::string::npos;
      },
      milliseconds(2000)))
      << server.ReadLog();
  // 8 MiB pending at most, plus one 1 MiB reply, the string's doubling and the kernel's
  // socket buffers: far below 64 MiB, while the pipeline asked for ~3 GB.
  const int64_t growth = memory.PeakGrowth(server);
  std::cout << "[ measure  ] peak RSS growth with normal 8mb 4mb 10: " << growth / kMiB << " MiB\n";
  EXPECT_LT(growth, 64 * kMiB * kSanitizerRssFactor);
  EXPECT_EQ(admin.Command({"PING"}), Status("PONG"));
}

TEST(OutputBufferLimitTest, ClientOverTheSoftLimitForTooLongIsDisconnected) {
  ServerProcess server =
      ServerProcess::StartEmber({"--client-output-buffer-limit", "normal 0 1mb 1"});
  RedisClient admin(server.port());
  PrepareBigValue(server, admin);
  RawConnection greedy(server.port());
  // Connected is not yet accepted: count the client in before waiting for it to go.
  ASSERT_TRUE(WaitFor([&] { return ConnectedClients(admin) == 2; }, milliseconds(5000)));
  greedy.Send(Pipeline().substr(0, 200 * RespRequest({"GET", "big"}).size()));
  // Stalled over 1 MiB: closed once more than a second has passed, by the client sweep.
  EXPECT_TRUE(WaitFor([&] { return ConnectedClients(admin) == 1; }, milliseconds(5000)));
  EXPECT_TRUE(WaitFor(
      [&] {
        return server.ReadLog().find("for overcoming of output buffer limits.") !=
               std::string::npos;
      },
      milliseconds(5000)));
}

TEST(OutputBufferLimitTest, WithoutLimitsANonReadingClientOnlyStallsItself) {
  ServerProcess server = ServerProcess::StartEmber();
  RedisClient admin(server.port());
  const MemoryWatch memory = PrepareBigValue(server, admin);

  RawConnection greedy(server.port());
  ASSERT_TRUE(greedy.Send(Pipeline()));
  // No event marks "rendered all it would": give the server time to misbehave, then it must
  // still be waiting on the client, holding a bounded amount, and serving everyone else.
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_EQ(ConnectedClients(admin), 2);
  const int64_t growth = memory.PeakGrowth(server);
  std::cout << "[ measure  ] peak RSS growth with normal 0 0 0: " << growth / kMiB << " MiB\n";
  EXPECT_LT(growth, 64 * kMiB * kSanitizerRssFactor);
  EXPECT_EQ(admin.Command({"PING"}), Status("PONG"));
  // The stalled client still gets correct replies once it reads.
  EXPECT_EQ(greedy.Read(11), "$1048576\r\nx");
}

}  // namespace
}  // namespace ember::test
