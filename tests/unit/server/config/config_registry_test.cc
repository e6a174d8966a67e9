// The settings registry as a whole: every row is well formed, every default passes its own
// rule and survives CONFIG GET formatting, flags and config file lines, and each kind
// validates as Redis 7.0 does.
#include "server/config/config_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "server/config/config_loader.h"
#include "server/config/config_values.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

std::string DefaultValue(const ConfigSetting& setting) {
  return ConfigValue(setting, ServerConfig{});
}

bool IsPassive(const ConfigSetting& setting) {
  return std::holds_alternative<std::monostate>(setting.field) && setting.get == nullptr &&
         setting.set == nullptr;
}

// A valid value other than `current` for a setting stored as its kind says (no custom
// set), in the form CONFIG GET shows it.
std::string OtherValue(const ConfigSetting& setting, const std::string& current) {
  switch (setting.kind) {
    case ConfigKind::kBool:
      return current == "yes" ? "no" : "yes";
    case ConfigKind::kInteger:
    case ConfigKind::kMemory:
      return std::to_string(current == std::to_string(setting.max) ? setting.min : setting.max);
    case ConfigKind::kEnum:
      for (const std::string& choice : SplitWords(setting.choices)) {
        if (choice != current) return choice;
      }
      return current;
    case ConfigKind::kString:
      return "a \"quoted\" value";
    case ConfigKind::kWords:
      return "10.0.0.1 10.0.0.2";
  }
  return current;
}

// Non-default values for every setting: OtherValue where the kind decides, chosen ones
// where the row stores its own way or takes only some strings. daemonize has no valid other value.
std::vector<std::pair<std::string, std::string>> NonDefaultValues() {
  std::vector<std::pair<std::string, std::string>> values;
  for (const ConfigSetting& setting : ConfigSettings()) {
    const std::string name(setting.name);
    if (name == "daemonize") continue;
    if (name == "hz") {
      values.emplace_back(name, "42");
    } else if (name == "save") {
      values.emplace_back(name, "100 1 20 3");
    } else if (name == "client-output-buffer-limit") {
      values.emplace_back(name, "normal 1048576 2097152 3 slave 0 0 0 pubsub 1 2 3");
    } else if (name == "notify-keyspace-events") {
      values.emplace_back(name, "g$xKE");
    } else if (name == "replicaof" || name == "slaveof") {
      values.emplace_back(name, "10.0.0.1 6380");
    } else {
      values.emplace_back(name, OtherValue(setting, DefaultValue(setting)));
    }
  }
  return values;
}

TEST(ConfigRegistryTest, RowsAreWellFormed) {
  std::set<std::string_view> names;
  for (const ConfigSetting& setting : ConfigSettings()) {
    SCOPED_TRACE(setting.name);
    EXPECT_TRUE(names.insert(setting.name).second) << "declared twice";
    EXPECT_EQ(LowerCase(setting.name), setting.name);
    if (setting.alias_of.empty()) {
      EXPECT_FALSE(setting.help.empty());
    } else {
      // An alias stores into its setting's field, with its setting's kind and bounds.
      const ConfigSetting* main = FindConfigSetting(setting.alias_of);
      ASSERT_NE(main, nullptr) << setting.alias_of;
      EXPECT_TRUE(main->alias_of.empty());
      EXPECT_EQ(main->field, setting.field);
      EXPECT_EQ(main->kind, setting.kind);
      EXPECT_EQ(main->min, setting.min);
      EXPECT_EQ(main->max, setting.max);
    }
    EXPECT_EQ(FindConfigSetting(setting.name), &setting);
    if (setting.kind == ConfigKind::kInteger || setting.kind == ConfigKind::kMemory) {
      EXPECT_LE(setting.min, setting.max);
    }
    if (std::holds_alternative<int ServerConfig::*>(setting.field)) {
      EXPECT_LE(setting.max, kConfigIntMax) << "an int field cannot hold the maximum";
    }
    if (setting.kind == ConfigKind::kEnum) {
      EXPECT_FALSE(setting.choices.empty());
    }
    // A setting has a field or its own get and set, or is passive: never half of one.
    EXPECT_EQ(setting.get != nullptr && std::holds_alternative<std::monostate>(setting.field),
              setting.set != nullptr && std::holds_alternative<std::monostate>(setting.field));
    if (IsPassive(setting)) {
      EXPECT_EQ(setting.after_set, nullptr) << "a passive row acts";
    }
  }
  EXPECT_EQ(FindConfigSetting("MaxMemory-Policy"), FindConfigSetting("maxmemory-policy"));
  EXPECT_EQ(FindConfigSetting("no-such-setting"), nullptr);
}

TEST(ConfigRegistryTest, SectionsHoldEverySettingOnce) {
  size_t total = 0;
  for (const ConfigSection& section : ConfigSections()) {
    EXPECT_FALSE(section.title.empty());
    EXPECT_FALSE(section.settings.empty()) << section.title;
    total += section.settings.size();
  }
  EXPECT_EQ(total, ConfigSettings().size());
}

TEST(ConfigRegistryTest, EveryDefaultPassesItsOwnRule) {
  for (const ConfigSetting& setting : ConfigSettings()) {
    EXPECT_EQ(ValidateConfigValue(setting, DefaultValue(setting)), "") << setting.name;
  }
}

TEST(ConfigRegistryTest, EveryDefaultRoundTripsThroughAFlag) {
  for (const ConfigSetting& setting : ConfigSettings()) {
    const std::string value = DefaultValue(setting);
    const std::string flag = "--" + std::string(setting.name);
    ConfigLoadResult result = LoadConfig({"ember-server", flag, value});
    ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << flag << ": " << result.message;
    EXPECT_EQ(ConfigValue(setting, result.config), value) << setting.name;
  }
}

TEST(ConfigRegistryTest, EveryDefaultRoundTripsThroughAConfigFile) {
  std::string text;
  for (const ConfigSetting& setting : ConfigSettings()) {
    text +=
        std::string(setting.name) + " " + ConfigFileValue(setting, DefaultValue(setting)) + "\n";
  }
  test::TempFile file(text);
  ConfigLoadResult result = LoadConfig({"ember-server", file.path()});
  ASSERT_EQ(result.outcome, ConfigLoadResult::Outcome::kRun) << result.message << "\n" << text;
  for (const ConfigSetting& setting : ConfigSettings()) {
    EXPECT_EQ(ConfigValue(setting, result.config), DefaultValue(setting)) << setting.name;
  }
}

TEST(ConfigRegistryTest, EverySettingStoresWhatItShows) {
  for (const auto& [name, value] : NonDefaultValues()) {
    const ConfigSetting& setting = *FindConfigSetting(name);
    ASSERT_EQ(ValidateConfigValue(setting, value), "") << name << " " << value;
    ServerConfig config;
    StoreConfigValue(setting, config, value);
    EXPECT_EQ(ConfigValue(setting, config), value) << name;
    EXPECT_NE(ConfigValue(setting, config), DefaultValue(setting)) << name;
  }
}

TEST(ConfigRegistryTest, FlagsAndConfigFileGiveTheSameResult) {
  std::vector<std::string> argv = {"ember-server"};
  std::string text;
  for (const auto& [name, value] : NonDefaultValues()) {
    argv.push_back("--" + name);
    argv.push_back(value);
    text += name + " " + ConfigFileValue(*FindConfigSetting(name), value) + "\n";
  }
  const ConfigLoadResult from_flags = LoadConfig(argv);
  test::TempFile file(text);
  const ConfigLoadResult from_file = LoadConfig({"ember-server", file.path()});
  ASSERT_EQ(from_flags.outcome, ConfigLoadResult::Outcome::kRun) << from_flags.message;
  ASSERT_EQ(from_file.outcome, ConfigLoadResult::Outcome::kRun) << from_file.message;
  for (const auto& [name, value] : NonDefaultValues()) {
    const ConfigSetting& setting = *FindConfigSetting(name);
    EXPECT_EQ(ConfigValue(setting, from_flags.config), value) << name;
    EXPECT_EQ(ConfigValue(setting, from_file.config), value) << name;
  }
}

TEST(ConfigRegistryTest, BoolKindTakesYesOrNoInAnyCase) {
  const ConfigSetting& setting = *FindConfigSetting("rdbcompression");
  EXPECT_EQ(ValidateConfigValue(setting, "YES"), "");
  EXPECT_EQ(ValidateConfigValue(setting, "maybe"), "argument must be 'yes' or 'no'");
  EXPECT_EQ(ValidateConfigValue(setting, "1"), "argument must be 'yes' or 'no'");
  ServerConfig config;
  StoreConfigValue(setting, config, "No");
  EXPECT_FALSE(config.rdbcompression);
  EXPECT_EQ(ConfigValue(setting, config), "no");
}

TEST(ConfigRegistryTest, IntegerKindChecksSyntaxThenBounds) {
  const ConfigSetting& setting = *FindConfigSetting("active-expire-effort");
  EXPECT_EQ(ValidateConfigValue(setting, "10"), "");
  EXPECT_EQ(ValidateConfigValue(setting, "11"), "argument must be between 1 and 10 inclusive");
  EXPECT_EQ(ValidateConfigValue(setting, "0"), "argument must be between 1 and 10 inclusive");
  EXPECT_EQ(ValidateConfigValue(setting, "x"), "argument couldn't be parsed into an integer");
  EXPECT_EQ(ValidateConfigValue(setting, "05"), "argument couldn't be parsed into an integer");
  EXPECT_EQ(ValidateConfigValue(setting, "1kb"), "argument couldn't be parsed into an integer");
}

TEST(ConfigRegistryTest, MemoryKindTakesUnitsWithinBounds) {
  const ConfigSetting& setting = *FindConfigSetting("proto-max-bulk-len");
  EXPECT_EQ(ValidateConfigValue(setting, "1mb"), "");
  EXPECT_EQ(ValidateConfigValue(setting, "1000"),
            "argument must be between 1048576 and 9223372036854775807 inclusive");
  EXPECT_EQ(ValidateConfigValue(setting, "-1"), "argument must be a memory value");
  EXPECT_EQ(ValidateConfigValue(setting, "1zz"), "argument must be a memory value");
  ServerConfig config;
  StoreConfigValue(setting, config, "2MB");
  EXPECT_EQ(config.proto_max_bulk_len, 2 * 1024 * 1024);
  EXPECT_EQ(ConfigValue(setting, config), "2097152");
}

TEST(ConfigRegistryTest, EnumKindListsItsChoicesAndStoresLowerCase) {
  const ConfigSetting& setting = *FindConfigSetting("appendfsync");
  EXPECT_EQ(ValidateConfigValue(setting, "sometimes"),
            "argument(s) must be one of the following: everysec, always, no");
  EXPECT_EQ(ValidateConfigValue(setting, "ALWAYS"), "");
  ServerConfig config;
  StoreConfigValue(setting, config, "ALWAYS");
  EXPECT_EQ(config.appendfsync, "always");
}

TEST(ConfigRegistryTest, StringKindTakesAnyTextVerbatim) {
  const ConfigSetting& setting = *FindConfigSetting("requirepass");
  EXPECT_EQ(ValidateConfigValue(setting, ""), "");
  EXPECT_EQ(ValidateConfigValue(setting, "Se cret\""), "");
  ServerConfig config;
  StoreConfigValue(setting, config, "Se cret\"");
  EXPECT_EQ(config.requirepass, "Se cret\"");
}

TEST(ConfigRegistryTest, WordsKindTakesSeveralArgumentsWithTheRowsRule) {
  const ConfigSetting& bind = *FindConfigSetting("bind");
  EXPECT_TRUE(TakesManyArguments(bind));
  EXPECT_FALSE(TakesManyArguments(*FindConfigSetting("port")));
  ServerConfig config;
  StoreConfigValue(bind, config, "10.0.0.1  ::1");
  EXPECT_EQ(config.bind, (std::vector<std::string>{"10.0.0.1", "::1"}));
  EXPECT_EQ(ConfigValue(bind, config), "10.0.0.1 ::1");
  EXPECT_NE(ValidateConfigValue(bind, ""), "");
  const ConfigSetting& save = *FindConfigSetting("save");
  EXPECT_EQ(ValidateConfigValue(save, "1 2 3"), "Invalid save parameters");
  StoreConfigValue(save, config, "");
  EXPECT_TRUE(config.save_points.empty());
}

TEST(ConfigRegistryTest, PassiveSettingsAreKeptButNotActedOn) {
  const ConfigSetting& setting = *FindConfigSetting("io-threads");
  ASSERT_TRUE(IsPassive(setting));
  EXPECT_EQ(ValidateConfigValue(setting, "129"), "argument must be between 1 and 128 inclusive");
  ServerConfig config;
  EXPECT_EQ(ConfigValue(setting, config), "1");
  StoreConfigValue(setting, config, "4");
  EXPECT_EQ(ConfigValue(setting, config), "4");
  EXPECT_EQ(config.passive_settings.at("io-threads"), "4");
}

TEST(ConfigRegistryTest, ConfigFileValueQuotesWhatTheSplitterWouldBreak) {
  const ConfigSetting& pass = *FindConfigSetting("requirepass");
  EXPECT_EQ(ConfigFileValue(pass, ""), "\"\"");
  EXPECT_EQ(ConfigFileValue(pass, "plain"), "plain");
  EXPECT_EQ(ConfigFileValue(pass, "a b\"c"), "\"a b\\\"c\"");
  const ConfigSetting& save = *FindConfigSetting("save");
  EXPECT_EQ(ConfigFileValue(save, "3600 1 300 100"), "3600 1 300 100");
  EXPECT_EQ(ConfigFileValue(save, ""), "\"\"");
}

// Startup (flags, file) and CONFIG SET apply one rule per setting: where the old flag
// definitions and the CONFIG registry disagreed, both now do what redis-server 7.0 does.
class StartupAndConfigSetAgreeTest : public ::testing::Test {
 protected:
  StartupAndConfigSetAgreeTest()
      : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {}

  std::string ConfigSet(const std::string& name, const std::string& value) {
    return RunCommand(dispatcher_, client_, {"config", "set", name, value}, 1'700'000'000'000);
  }

  static std::string SetFailure(const std::string& name, const std::string& problem) {
    return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + problem +
           "\r\n";
  }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState client_;
};

TEST_F(StartupAndConfigSetAgreeTest, HzZeroIsClampedNotRefused) {
  const ConfigLoadResult loaded = LoadConfig({"ember-server", "--hz", "0"});
  ASSERT_EQ(loaded.outcome, ConfigLoadResult::Outcome::kRun) << loaded.message;
  EXPECT_EQ(loaded.config.hz, 1);
  EXPECT_EQ(ConfigSet("hz", "0"), "+OK\r\n");
  EXPECT_EQ(state_.config().hz, 1);

  const ConfigLoadResult high = LoadConfig({"ember-server", "--hz", "1000"});
  ASSERT_EQ(high.outcome, ConfigLoadResult::Outcome::kRun) << high.message;
  EXPECT_EQ(high.config.hz, 500);
}

TEST_F(StartupAndConfigSetAgreeTest, LoglevelNothingIsRefusedEverywhere) {
  const std::string problem =
      "argument(s) must be one of the following: debug, verbose, notice, warning";
  const ConfigLoadResult loaded = LoadConfig({"ember-server", "--loglevel", "nothing"});
  ASSERT_EQ(loaded.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(loaded.message.find(problem), std::string::npos) << loaded.message;
  EXPECT_EQ(ConfigSet("loglevel", "nothing"), SetFailure("loglevel", problem));
}

// Every runtime number has the same bounds, with the same words, at startup and in CONFIG
// SET; just inside them both accept.
TEST_F(StartupAndConfigSetAgreeTest, NumericBoundsAreTheSameForFlagsAndConfigSet) {
  for (const ConfigSetting& setting : ConfigSettings()) {
    if (setting.mutability != ConfigMutability::kRuntime) continue;
    if (setting.kind != ConfigKind::kInteger && setting.kind != ConfigKind::kMemory) continue;
    const std::string name(setting.name);
    SCOPED_TRACE(name);
    std::vector<std::string> outside;
    if (setting.max < kConfigLongMax) outside.push_back(std::to_string(setting.max + 1));
    if (setting.kind == ConfigKind::kInteger) outside.push_back(std::to_string(setting.min - 1));
    for (const std::string& value : outside) {
      const std::string problem = ValidateConfigValue(setting, value);
      ASSERT_FALSE(problem.empty()) << value;
      const ConfigLoadResult loaded = LoadConfig({"ember-server", "--" + name, value});
      ASSERT_EQ(loaded.outcome, ConfigLoadResult::Outcome::kError) << value;
      EXPECT_NE(loaded.message.find(problem), std::string::npos) << loaded.message;
      EXPECT_EQ(ConfigSet(name, value), SetFailure(name, problem));
    }
    const std::string inside = std::to_string(setting.min);
    EXPECT_EQ(LoadConfig({"ember-server", "--" + name, inside}).outcome,
              ConfigLoadResult::Outcome::kRun);
    EXPECT_EQ(ConfigSet(name, inside), "+OK\r\n");
  }
}

TEST_F(StartupAndConfigSetAgreeTest, StartupOnlyBoundsFollowRedis) {
  // The flags used to allow databases up to 2^20, maxclients up to 2^30 and refuse a zero
  // backlog; Redis bounds them by the C type it stores them in.
  EXPECT_EQ(LoadConfig({"ember-server", "--tcp-backlog", "0"}).outcome,
            ConfigLoadResult::Outcome::kRun);
  EXPECT_EQ(LoadConfig({"ember-server", "--maxclients", "4294967295"}).outcome,
            ConfigLoadResult::Outcome::kRun);
  const ConfigLoadResult databases = LoadConfig({"ember-server", "--databases", "0"});
  ASSERT_EQ(databases.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(databases.message.find("argument must be between 1 and 2147483647 inclusive"),
            std::string::npos)
      << databases.message;
  EXPECT_EQ(ConfigSet("databases", "4"), SetFailure("databases", "can't set immutable config"));
}

TEST_F(StartupAndConfigSetAgreeTest, DaemonizeYesIsRefusedAndDaemonizeIsImmutable) {
  EXPECT_EQ(LoadConfig({"ember-server", "--daemonize", "no"}).outcome,
            ConfigLoadResult::Outcome::kRun);
  const ConfigLoadResult loaded = LoadConfig({"ember-server", "--daemonize", "YES"});
  ASSERT_EQ(loaded.outcome, ConfigLoadResult::Outcome::kError);
  EXPECT_NE(loaded.message.find("daemonize"), std::string::npos) << loaded.message;
  EXPECT_NE(loaded.message.find("supervisor"), std::string::npos) << loaded.message;
  EXPECT_EQ(ConfigSet("daemonize", "yes"), SetFailure("daemonize", "can't set immutable config"));
}

TEST_F(StartupAndConfigSetAgreeTest, HttpSettingsAreKnownToConfigGetAndImmutable) {
  const std::string reply =
      RunCommand(dispatcher_, client_, {"config", "get", "http-port"}, 1'700'000'000'000);
  EXPECT_EQ(reply, "*2\r\n$9\r\nhttp-port\r\n$4\r\n8080\r\n");
  EXPECT_EQ(ConfigSet("http-max-body", "1mb"),
            SetFailure("http-max-body", "can't set immutable config"));
}

}  // namespace
}  // namespace ember::server
