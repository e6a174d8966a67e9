// Startup and configuration of the real binary: flags, a redis.conf-style file as the first
// argument (flags override it), rejection of unknown options, and a clean SIGTERM exit.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "tests/support/redis_client.h"
#include "tests/support/server_fixture.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;

bool SomethingListensOn(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

ServerProcess SpawnEmber(std::vector<std::string> args, int port,
                         std::vector<std::pair<std::string, std::string>> files = {}) {
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.args = std::move(args);
  // Parallel servers on the HTTP adapter's default port would collide.
  options.args.insert(options.args.end(), {"--http-port", "0"});
  options.port = port;
  options.files = std::move(files);
  return ServerProcess::Spawn(options);
}

TEST(StartupTest, SigtermExitsZero) {
  ServerProcess server = ServerProcess::StartEmber();
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  ASSERT_EQ(client.Command({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(server.Stop(), 0) << server.ReadLog();
  EXPECT_FALSE(server.running());
}

TEST(StartupTest, UnknownOptionExitsNonZeroWithError) {
  const int port = ServerProcess::FreePort();
  ServerProcess server =
      SpawnEmber({"--port", std::to_string(port), "--no-such-option", "1"}, port);
  std::optional<int> status = server.WaitForExit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "server kept running with an unknown option";
  EXPECT_NE(*status, 0);
  EXPECT_NE(server.ReadLog().find("no-such-option"), std::string::npos)
      << "log does not name the bad option:\n"
      << server.ReadLog();
}

TEST(StartupTest, UnknownDirectiveInConfigFileExitsNonZero) {
  const int port = ServerProcess::FreePort();
  ServerProcess server =
      SpawnEmber({"ember.conf"}, port,
                 {{"ember.conf", "port " + std::to_string(port) + "\nno-such-directive yes\n"}});
  std::optional<int> status = server.WaitForExit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "server kept running with a bad config file";
  EXPECT_NE(*status, 0);
  EXPECT_NE(server.ReadLog().find("no-such-directive"), std::string::npos) << server.ReadLog();
}

TEST(StartupTest, InvalidLogLevelExitsNonZero) {
  const int port = ServerProcess::FreePort();
  ServerProcess server = SpawnEmber({"--port", std::to_string(port), "--loglevel", "chatty"}, port);
  std::optional<int> status = server.WaitForExit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "server kept running with --loglevel chatty";
  EXPECT_NE(*status, 0);
}

TEST(StartupTest, DaemonizeYesExitsNonZeroWithAReason) {
  const int port = ServerProcess::FreePort();
  ServerProcess server = SpawnEmber({"--port", std::to_string(port), "--daemonize", "yes"}, port);
  std::optional<int> status = server.WaitForExit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "server kept running with --daemonize yes";
  EXPECT_NE(*status, 0);
  EXPECT_NE(server.ReadLog().find("'daemonize'"), std::string::npos) << server.ReadLog();
  EXPECT_NE(server.ReadLog().find("supervisor"), std::string::npos) << server.ReadLog();
}

TEST(StartupTest, HelpListsEveryOptionWithItsDefaultAndExitsZero) {
  const int port = ServerProcess::FreePort();
  ServerProcess server = SpawnEmber({"--help"}, port);
  std::optional<int> status = server.WaitForExit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "server kept running with --help";
  EXPECT_EQ(*status, 0);
  const std::string help = server.ReadLog();
  EXPECT_NE(help.find("Usage: ember-server"), std::string::npos) << help;
  EXPECT_NE(help.find("--port <0..65535>"), std::string::npos) << help;
  EXPECT_NE(help.find("(default: 6379)"), std::string::npos) << help;
  EXPECT_NE(help.find("--http-header-timeout"), std::string::npos) << help;
  EXPECT_NE(help.find("--save"), std::string::npos) << help;
}

// Redis 7.0 accepts hz 0 at startup and clamps it, as CONFIG SET does.
TEST(StartupTest, HzZeroIsClampedToOne) {
  ServerProcess server = ServerProcess::StartEmber({"--hz", "0"});
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"CONFIG", "GET", "hz"}).ToString(), "[\"hz\",\"1\"]");
}

TEST(StartupTest, ConfigFileAsFirstArgumentSetsPort) {
  const int port = ServerProcess::FreePort();
  ServerProcess server =
      SpawnEmber({"ember.conf"}, port,
                 {{"ember.conf", "# comment line\n\nport " + std::to_string(port) +
                                     "\nbind 127.0.0.1\ndatabases 4\n"}});
  ASSERT_TRUE(server.WaitUntilReady()) << server.ReadLog();
  RedisClient client(port);
  EXPECT_EQ(client.Command({"SELECT", "3"}), Status("OK"));
  EXPECT_EQ(client.Command({"SELECT", "4"}), Error("ERR DB index is out of range"));
  EXPECT_EQ(server.Stop(), 0);
}

TEST(StartupTest, FlagOverridesConfigFile) {
  const int file_port = ServerProcess::FreePort();
  int flag_port = ServerProcess::FreePort();
  while (flag_port == file_port) flag_port = ServerProcess::FreePort();
  ServerProcess server = SpawnEmber({"ember.conf", "--port", std::to_string(flag_port)}, flag_port,
                                    {{"ember.conf", "port " + std::to_string(file_port) + "\n"}});
  ASSERT_TRUE(server.WaitUntilReady()) << server.ReadLog();
  EXPECT_FALSE(SomethingListensOn(file_port));
  EXPECT_EQ(server.Stop(), 0);
}

TEST(StartupTest, DatabasesFlagLimitsSelect) {
  ServerProcess server = ServerProcess::StartEmber({"--databases", "2"});
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"SELECT", "1"}), Status("OK"));
  EXPECT_EQ(client.Command({"SELECT", "2"}), Error("ERR DB index is out of range"));
  EXPECT_EQ(client.Command({"SWAPDB", "0", "2"}), Error("ERR DB index is out of range"));
}

TEST(StartupTest, HzFlagIsReportedByInfo) {
  ServerProcess server = ServerProcess::StartEmber({"--hz", "50"});
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  Reply info = client.Command({"INFO", "server"});
  EXPECT_EQ(InfoField(info.str, "hz"), "50") << info.str;
}

TEST(StartupTest, BindAndLoglevelFlagsAreAccepted) {
  ServerProcess server =
      ServerProcess::StartEmber({"--bind", "127.0.0.1", "--loglevel", "warning"});
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"PING"}), Status("PONG"));
}

TEST(StartupTest, LogfileReceivesTheLog) {
  ServerProcess server = ServerProcess::StartEmber({"--logfile", "ember.log"});
  ASSERT_TRUE(server.running());
  const std::filesystem::path log = std::filesystem::path(server.workdir()) / "ember.log";
  EXPECT_TRUE(
      WaitFor([&] { return std::filesystem::exists(log) && std::filesystem::file_size(log) > 0; },
              milliseconds(5000)))
      << log << " missing or empty";
}

TEST(StartupTest, DirMustExist) {
  const int port = ServerProcess::FreePort();
  ServerProcess server =
      SpawnEmber({"--port", std::to_string(port), "--dir", "/nonexistent/ember-test-dir"}, port);
  std::optional<int> status = server.WaitForExit(milliseconds(10000));
  ASSERT_TRUE(status.has_value()) << "server kept running with a missing --dir";
  EXPECT_NE(*status, 0);
}

TEST(StartupTest, DirBecomesWorkingDirectory) {
  const int port = ServerProcess::FreePort();
  ServerProcess server =
      SpawnEmber({"--port", std::to_string(port), "--dir", "data", "--logfile", "in-dir.log"}, port,
                 {{"data/.keep", ""}});
  ASSERT_TRUE(server.WaitUntilReady()) << server.ReadLog();
  // A relative --logfile is opened after changing into --dir, as Redis does.
  EXPECT_TRUE(
      std::filesystem::exists(std::filesystem::path(server.workdir()) / "data" / "in-dir.log"));
}

}  // namespace
}  // namespace ember::test
