// MONITOR on the real binary, where a side-by-side transcript cannot show it: a monitor that
// never reads is disconnected by the normal class of client-output-buffer-limit while the
// writer's commands all succeed, and the slow log, like MONITOR, never shows a password.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

bool ListsAMonitor(RedisClient& client) {
  return client.Command({"CLIENT", "LIST"}).str.find("flags=O") != std::string::npos;
}

TEST(MonitorLimitsTest, MonitorThatNeverReadsIsDisconnectedAndWritersGoOn) {
  ServerProcess server = ServerProcess::StartEmber();
  ASSERT_TRUE(server.running());
  RedisClient writer(server.port());
  ASSERT_EQ(writer.Command({"CONFIG", "SET", "client-output-buffer-limit", "normal 256kb 0 0"}).str,
            "OK");
  RawConnection monitor(server.port());
  ASSERT_TRUE(monitor.Send(RespRequest({"MONITOR"})));
  ASSERT_EQ(monitor.Read(5), "+OK\r\n");
  ASSERT_TRUE(ListsAMonitor(writer));

  // 4,000 lines of 4 KiB: 16 MiB the monitor never reads, far past the limit and what the
  // loopback socket buffers take. Pipelined by 100.
  const std::string value(4096, 'v');
  constexpr int kBatches = 40, kPerBatch = 100;
  for (int batch = 0; batch < kBatches; ++batch) {
    for (int i = 0; i < kPerBatch; ++i) writer.Append({"SET", "key" + std::to_string(i), value});
    for (int i = 0; i < kPerBatch; ++i) ASSERT_EQ(writer.ReadReply().str, "OK");
  }
  EXPECT_TRUE(WaitFor([&] { return !ListsAMonitor(writer); }, std::chrono::seconds(10)))
      << "the stalled monitor is still connected";
  EXPECT_TRUE(monitor.PeerClosed(std::chrono::seconds(10)));
  EXPECT_NE(server.ReadLog().find("for overcoming of output buffer limits."), std::string::npos);
  EXPECT_EQ(writer.Command({"DBSIZE"}).integer, kPerBatch);
}

TEST(MonitorLimitsTest, SlowLogShowsPasswordsRedacted) {
  ServerProcess server = ServerProcess::StartEmber();
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  ASSERT_EQ(client.Command({"CONFIG", "SET", "slowlog-log-slower-than", "0"}).str, "OK");
  client.Command({"AUTH", "hunter2"});
  client.Command({"HELLO", "2", "AUTH", "someone", "hunter2"});
  const std::string log = client.Command({"SLOWLOG", "GET", "10"}).ToString();
  EXPECT_EQ(log.find("hunter2"), std::string::npos) << log;
  EXPECT_EQ(log.find("someone"), std::string::npos) << log;
  EXPECT_NE(log.find("(redacted)"), std::string::npos) << log;
}

}  // namespace
}  // namespace ember::test
