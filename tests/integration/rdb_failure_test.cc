// Failures around RDB files: an unreadable, corrupt or truncated dump stops startup with a
// clear error and a non-zero exit (fail closed); a failed background save turns on the
// MISCONF gate exactly as in Redis; clients connecting during a long load get -LOADING.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using rdb::TempDir;

// Starts Ember on `dir` and waits for it to exit; returns (status, log).
std::pair<int, std::string> RunUntilExit(const TempDir& dir) {
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.args = {"--http-port", "0",      "--dir",
                  dir.path(),    "--port", std::to_string(ServerProcess::FreePort())};
  ServerProcess server = ServerProcess::Spawn(options);
  std::optional<int> status = server.WaitForExit(std::chrono::seconds(20));
  return {status.value_or(-100), server.ReadLog()};
}

std::string SmallDump() {
  TempDir dir;
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  RedisClient client(server.port());
  rdb::FillMixed(client, 300);
  client.Command({"SAVE"});
  return rdb::ReadFile(dir.file("dump.rdb"));
}

TEST(RdbFailureTest, CorruptDumpsStopStartupWithAClearError) {
  const std::string good = SmallDump();
  ASSERT_GT(good.size(), 1000u);
  struct Case {
    std::string name;
    std::string data;
    std::string expected;
  };
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x01;
  std::string future = good;
  future.replace(5, 4, "0099");
  const std::vector<Case> cases = {
      {"truncated header", good.substr(0, 5), "too short"},
      {"truncated body", good.substr(0, good.size() / 3), "unexpected end of file"},
      {"truncated trailer", good.substr(0, good.size() - 3), "unexpected end of file"},
      {"flipped byte", flipped, "at offset"},
      {"wrong magic", "RADIS" + good.substr(5), "not an RDB file"},
      {"future version", future, "version 99"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    rdb::WriteFile(dir.file("dump.rdb"), c.data);
    auto [status, log] = RunUntilExit(dir);
    EXPECT_NE(status, 0) << c.name;
    EXPECT_NE(status, -100) << c.name << " did not exit";
    EXPECT_NE(log.find("Fatal error loading the DB"), std::string::npos) << c.name << log;
    EXPECT_NE(log.find(c.expected), std::string::npos) << c.name << log;
  }
}

TEST(RdbFailureTest, UnreadableDumpStopsStartup) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("dump.rdb"));  // a directory: read fails
  auto [status, log] = RunUntilExit(dir);
  EXPECT_NE(status, 0);
  EXPECT_NE(log.find("Fatal error loading the DB"), std::string::npos) << log;
}

TEST(RdbFailureTest, CheckRdbReportsCountsOrTheFirstError) {
  TempDir dir;
  const std::string good = SmallDump();
  rdb::WriteFile(dir.file("good.rdb"), good);
  rdb::WriteFile(dir.file("bad.rdb"), good.substr(0, good.size() / 2));
  for (const auto& [file, expect_ok] : {std::pair{"good.rdb", true}, {"bad.rdb", false}}) {
    ServerProcess::SpawnOptions options;
    options.binary = ServerProcess::EmberBinary();
    options.args = {"--check-rdb", dir.file(file)};
    ServerProcess check = ServerProcess::Spawn(options);
    std::optional<int> status = check.WaitForExit(std::chrono::seconds(10));
    ASSERT_TRUE(status.has_value());
    const std::string out = check.ReadLog();
    if (expect_ok) {
      EXPECT_EQ(*status, 0) << out;
      EXPECT_NE(out.find("keys read: 300, with expire: 100"), std::string::npos) << out;
      EXPECT_NE(out.find("RDB looks OK"), std::string::npos) << out;
    } else {
      EXPECT_NE(*status, 0) << out;
      EXPECT_NE(out.find("error at offset"), std::string::npos) << out;
    }
  }
}

TEST(RdbFailureTest, FailedBgsaveRefusesWritesWithMisconfLikeRedis) {
  TempDir dir;
  const std::string data_dir = dir.file("data");
  std::filesystem::create_directory(data_dir);
  ServerProcess server = ServerProcess::StartEmber({"--dir", data_dir, "--save", "3600 1"});
  RedisClient client(server.port());
  std::filesystem::remove_all(data_dir);  // the server's cwd is gone: saves fail
  ASSERT_EQ(client.Command({"SET", "a", "1"}), Status("OK"));
  ASSERT_EQ(client.Command({"BGSAVE"}), Status("Background saving started"));
  const std::string info = rdb::WaitForBgsave(client);
  EXPECT_NE(info.find("rdb_last_bgsave_status:err"), std::string::npos) << info;

  const Reply misconf = Error(
      "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist "
      "to disk. Commands that may modify the data set are disabled, because this instance is "
      "configured to report errors during writes if RDB snapshotting fails "
      "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the "
      "RDB error.");
  EXPECT_EQ(client.Command({"SET", "b", "2"}), misconf);
  EXPECT_EQ(client.Command({"DEL", "a"}), misconf);
  EXPECT_EQ(client.Command({"PING"}), misconf);
  EXPECT_EQ(client.Command({"GET", "a"}), Bulk("1"));
  EXPECT_EQ(client.Command({"SAVE"}), Error("ERR"));
  EXPECT_EQ(client.Command({"SHUTDOWN"}), Error("ERR Errors trying to SHUTDOWN. Check logs."));
  EXPECT_EQ(client.Command({"GET", "a"}), Bulk("1")) << "still running";
  server.Kill();  // SIGTERM would try to save again and keep it running
}

TEST(RdbFailureTest, FailedBgsaveWithoutStopWritesKeepsAcceptingWrites) {
  TempDir dir;
  const std::string data_dir = dir.file("data");
  std::filesystem::create_directory(data_dir);
  ServerProcess server = ServerProcess::StartEmber(
      {"--dir", data_dir, "--save", "3600 1", "--stop-writes-on-bgsave-error", "no"});
  RedisClient client(server.port());
  std::filesystem::remove_all(data_dir);
  ASSERT_EQ(client.Command({"BGSAVE"}), Status("Background saving started"));
  rdb::WaitForBgsave(client);
  EXPECT_EQ(client.Command({"SET", "b", "2"}), Status("OK"));
  server.Kill();
}

bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

TEST(RdbFailureTest, ClientsConnectingDuringLoadGetLoading) {
  TempDir dir;
  rdb::WriteFile(dir.file("dump.rdb"), rdb::SyntheticDump(1'000'000, 100));
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  const int port = ServerProcess::FreePort();
  options.port = port;
  options.args = {"--http-port", "0", "--dir",  dir.path(),
                  "--save",      "",  "--port", std::to_string(port)};
  ServerProcess server = ServerProcess::Spawn(options);
  for (int i = 0; i < 5000 && !Accepts(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  RawConnection raw(port);
  ASSERT_TRUE(raw.Send("PING\r\n"));
  const std::string loading = "-LOADING Redis is loading the dataset in memory\r\n";
  EXPECT_EQ(raw.Read(loading.size()), loading);
  ASSERT_TRUE(raw.Send("INFO persistence\r\n"));
  EXPECT_NE(raw.Read(40).find("loading:1"), std::string::npos);
  ASSERT_TRUE(server.WaitUntilReady(std::chrono::seconds(30)));
  RedisClient client(port);
  EXPECT_EQ(client.Command({"DBSIZE"}), Int(1'000'000));
  EXPECT_NE(server.ReadLog().find("db0: 1000000 keys loaded"), std::string::npos);
}

}  // namespace
}  // namespace ember::test
