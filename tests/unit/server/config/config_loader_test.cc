#include "server/config/config_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "server/net/output_buffer_limit.h"

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

TEST(ConfigLoaderTest, ConnectionLimitDefaultsMatchRedis) {
  auto result = LoadConfig({"ember-server"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_TRUE(result.config.protected_mode);
  EXPECT_EQ(result.config.timeout, 0);
  EXPECT_EQ(result.config.tcp_keepalive, 300);
  EXPECT_EQ(result.config.maxclients, 10000);
  EXPECT_EQ(FormatOutputBufferLimits(result.config.client_output_buffer_limits),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
}

TEST(ConfigLoaderTest, OutputBufferLimitLinesAddUpLikeRedis) {
  // One class per line, as redis.conf writes them; each line keeps the others' classes.
  std::string path = WriteTempConfig(
      "client-output-buffer-limit normal 8mb 4mb 10\n"
      "client-output-buffer-limit replica 1gb 512mb 30\n");
  auto result = LoadConfig({"ember-server", path});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(FormatOutputBufferLimits(result.config.client_output_buffer_limits),
            "normal 8388608 4194304 10 slave 1073741824 536870912 30 pubsub 33554432 8388608 60");
  std::remove(path.c_str());

  result = LoadConfig({"ember-server", "--client-output-buffer-limit", "pubsub 1 2 3"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(result.config.client_output_buffer_limits.pubsub.soft_seconds, 3);

  result = LoadConfig({"ember-server", "--client-output-buffer-limit", "normal 1 2"});
  EXPECT_EQ(result.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(result.message.find("Wrong number of arguments in buffer limit configuration."),
            std::string::npos)
      << result.message;
}

TEST(ConfigLoaderTest, OutputLimitVerdictFollowsRedisRules) {
  const OutputBufferLimit limit{.hard_bytes = 100, .soft_bytes = 50, .soft_seconds = 2};
  int64_t since = 0;
  EXPECT_EQ(CheckOutputLimit(limit, 49, 1000, &since), OutputLimitVerdict::kWithin);
  EXPECT_EQ(CheckOutputLimit(limit, 100, 1000, &since), OutputLimitVerdict::kOverHard);
  // Over the soft limit: the clock starts, and only more than 2 s later does it close.
  EXPECT_EQ(CheckOutputLimit(limit, 60, 1000, &since), OutputLimitVerdict::kWithin);
  EXPECT_EQ(since, 1000);
  EXPECT_EQ(CheckOutputLimit(limit, 60, 3000, &since), OutputLimitVerdict::kWithin);
  EXPECT_EQ(CheckOutputLimit(limit, 60, 3001, &since), OutputLimitVerdict::kOverSoftTooLong);
  // Dropping under it resets the clock.
  EXPECT_EQ(CheckOutputLimit(limit, 10, 3002, &since), OutputLimitVerdict::kWithin);
  EXPECT_EQ(since, 0);
  EXPECT_EQ(CheckOutputLimit(OutputBufferLimit{}, 1LL << 40, 0, &since),
            OutputLimitVerdict::kWithin);
}

}  // namespace
}  // namespace ember::server
