#include "server/config_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace ember::server {
namespace {

std::string WriteTempConfig(const std::string& text) {
  char path[] = "/tmp/ember-config-test-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigLoaderTest, DefaultsMatchRedis) {
  auto result = LoadConfig({"ember-server"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(result.config.port, 6379);
  EXPECT_EQ(result.config.bind, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(result.config.hz, 10);
  EXPECT_EQ(result.config.databases, 16);
}

TEST(ConfigLoaderTest, FlagsUseRedisNames) {
  auto result = LoadConfig({"ember-server", "--port", "7000", "--bind", "127.0.0.1", "--hz", "50",
                            "--proto-max-bulk-len", "2mb"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(result.config.port, 7000);
  EXPECT_EQ(result.config.bind, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(result.config.hz, 50);
  EXPECT_EQ(result.config.proto_max_bulk_len, 2 * 1024 * 1024);
}

TEST(ConfigLoaderTest, FileIsReadAndFlagsWin) {
  std::string path = WriteTempConfig(
      "# comment\nport 7100\nhz 20\nbind 127.0.0.1 ::1\nlogfile \"\"\ndatabases 4\n");
  auto result = LoadConfig({"ember-server", path, "--port", "7200"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(result.config.port, 7200);
  EXPECT_EQ(result.config.hz, 20);
  EXPECT_EQ(result.config.databases, 4);
  EXPECT_EQ(result.config.bind.size(), 2u);
  EXPECT_FALSE(result.config.config_file.empty());
  std::remove(path.c_str());
}

TEST(ConfigLoaderTest, UnknownOptionIsAnError) {
  auto result = LoadConfig({"ember-server", "--no-such-option", "1"});
  EXPECT_EQ(result.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(result.message.find("no-such-option"), std::string::npos) << result.message;
}

TEST(ConfigLoaderTest, MalformedValueIsAnError) {
  EXPECT_EQ(LoadConfig({"ember-server", "--port", "abc"}).outcome,
            ConfigLoadResult::Outcome::kError);
  EXPECT_EQ(LoadConfig({"ember-server", "--port", "70000"}).outcome,
            ConfigLoadResult::Outcome::kError);
  EXPECT_EQ(LoadConfig({"ember-server", "--protected-mode", "maybe"}).outcome,
            ConfigLoadResult::Outcome::kError);
}

TEST(ConfigLoaderTest, MissingConfigFileIsAnError) {
  auto result = LoadConfig({"ember-server", "/nonexistent/ember.conf"});
  EXPECT_EQ(result.outcome, ConfigLoadResult::Outcome::kError);
}

TEST(ConfigLoaderTest, MemorySizesFollowRedisUnits) {
  EXPECT_EQ(ParseMemorySize("1024"), 1024);
  EXPECT_EQ(ParseMemorySize("1k"), 1000);
  EXPECT_EQ(ParseMemorySize("1KB"), 1024);
  EXPECT_EQ(ParseMemorySize("512mb"), 512LL * 1024 * 1024);
  EXPECT_EQ(ParseMemorySize("1gb"), 1LL << 30);
  EXPECT_EQ(ParseMemorySize("12xb"), -1);
  EXPECT_EQ(ParseMemorySize(""), -1);
}

}  // namespace
}  // namespace ember::server
