#include "server/config/config_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/net/output_buffer_limit.h"
#include "tests/support/temp_dir.h"

namespace ember::server {
namespace {

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
  test::TempFile file(
      "# comment\nport 7100\nhz 20\nbind 127.0.0.1 ::1\nlogfile \"\"\ndatabases 4\n");
  auto result = LoadConfig({"ember-server", file.path(), "--port", "7200"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(result.config.port, 7200);
  EXPECT_EQ(result.config.hz, 20);
  EXPECT_EQ(result.config.databases, 4);
  EXPECT_EQ(result.config.bind.size(), 2u);
  EXPECT_FALSE(result.config.config_file.empty());
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

TEST(ConfigLoaderTest, OneValueSettingsTakeOneArgument) {
  auto result = LoadConfig({"ember-server", "--port", "7000", "7001"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(result.message.find("wrong number of arguments for option 'port'"), std::string::npos)
      << result.message;
  // One quoted argument with spaces is one value.
  result = LoadConfig({"ember-server", "--requirepass", "two words"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(result.config.requirepass, "two words");
}

TEST(ConfigLoaderTest, FileErrorsNameTheLineAndTheOption) {
  test::TempFile file("port 7000\n\nhz abc\n");
  auto result = LoadConfig({"ember-server", file.path()});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(result.message.find(file.path() + ":3: invalid value 'abc' for option 'hz'"),
            std::string::npos)
      << result.message;

  test::TempFile unknown("port 7000\nno-such-directive yes\n");
  result = LoadConfig({"ember-server", unknown.path()});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(result.message.find(":2: unknown option 'no-such-directive'"), std::string::npos)
      << result.message;
}

TEST(ConfigLoaderTest, SaveLinesAddUpAndAFlagReplacesThem) {
  test::TempFile file("save 100 1\nsave 200 2\n");
  auto result = LoadConfig({"ember-server", file.path()});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  ASSERT_EQ(result.config.save_points.size(), 2u);
  EXPECT_EQ(result.config.save_points[1].seconds, 200);

  result = LoadConfig({"ember-server", file.path(), "--save", "300 3"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  ASSERT_EQ(result.config.save_points.size(), 1u);
  EXPECT_EQ(result.config.save_points[0].seconds, 300);

  test::TempFile reset("save 100 1\nsave \"\"\n");
  result = LoadConfig({"ember-server", reset.path()});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_TRUE(result.config.save_points.empty());
}

TEST(ConfigLoaderTest, SaveWithoutValueOrEmptyDisablesSnapshots) {
  for (const auto& argv :
       std::vector<std::vector<std::string>>{{"ember-server", "--save"},
                                             {"ember-server", "--save", "", "--port", "7000"},
                                             {"ember-server", "--save", "--port", "7000"}}) {
    auto result = LoadConfig(argv);
    ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
    EXPECT_TRUE(result.config.save_points.empty());
  }
  auto result = LoadConfig({"ember-server", "--save", "3600", "1", "300", "100"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(result.config.save_points.size(), 2u);
  EXPECT_EQ(LoadConfig({"ember-server", "--save", "3600"}).outcome,
            ConfigLoadResult::Outcome::kError);
}

TEST(ConfigLoaderTest, ArgumentOutsideAnOptionIsAnError) {
  test::TempFile file("port 7000\n");
  auto result = LoadConfig({"ember-server", file.path(), "stray", "--hz", "20"});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(result.message.find("unexpected argument 'stray'"), std::string::npos)
      << result.message;
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
  test::TempFile file(
      "client-output-buffer-limit normal 8mb 4mb 10\n"
      "client-output-buffer-limit replica 1gb 512mb 30\n");
  auto result = LoadConfig({"ember-server", file.path()});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message;
  EXPECT_EQ(FormatOutputBufferLimits(result.config.client_output_buffer_limits),
            "normal 8388608 4194304 10 slave 1073741824 536870912 30 pubsub 33554432 8388608 60");

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
