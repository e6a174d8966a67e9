// CONFIG REWRITE against the real binary started from a config file: comments and
// untouched lines survive, changed settings are rewritten in place, settings that differ
// from their defaults are appended, and the rewritten file starts the server again.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

ServerProcess StartFromFile(const std::string& contents, int port) {
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.args = {"ember.conf", "--port", std::to_string(port), "--http-port", "0"};
  options.port = port;
  options.files = {{"ember.conf", contents}};
  return ServerProcess::Spawn(options);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ConfigRewriteTest, RewritesChangedSettingsAndKeepsTheRest) {
  const int port = ServerProcess::FreePort();
  ServerProcess server = StartFromFile("# my settings\nhz 15\n\ntimeout 0\n", port);
  ASSERT_TRUE(server.WaitUntilReady()) << server.ReadLog();
  RedisClient client(port);
  ASSERT_EQ(client.Command({"CONFIG", "SET", "hz", "20", "slowlog-max-len", "64"}).ToString(),
            "+OK");
  ASSERT_EQ(client.Command({"CONFIG", "REWRITE"}).ToString(), "+OK");

  const std::string path = server.workdir() + "/ember.conf";
  const std::string rewritten = ReadFile(path);
  EXPECT_NE(rewritten.find("# my settings\nhz 20\n\ntimeout 0\n"), std::string::npos) << rewritten;
  EXPECT_NE(rewritten.find("slowlog-max-len 64\n"), std::string::npos) << rewritten;
  EXPECT_EQ(rewritten.find("maxmemory "), std::string::npos) << rewritten;  // still default

  // The rewritten file loads: a fresh server reads the new values back.
  const int port2 = ServerProcess::FreePort();
  ServerProcess second = StartFromFile(rewritten, port2);
  ASSERT_TRUE(second.WaitUntilReady()) << second.ReadLog();
  RedisClient client2(port2);
  EXPECT_EQ(client2.Command({"CONFIG", "GET", "slowlog-max-len"}).ToString(),
            "[\"slowlog-max-len\",\"64\"]");
  EXPECT_EQ(client2.Command({"CONFIG", "GET", "hz"}).ToString(), "[\"hz\",\"20\"]");
}

TEST(ConfigRewriteTest, WithoutAConfigFileItFails) {
  ServerProcess server = ServerProcess::StartEmber();
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"CONFIG", "REWRITE"}).ToString(),
            "-ERR The server is running without a config file");
}

}  // namespace
}  // namespace ember::test
