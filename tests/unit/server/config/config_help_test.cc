#include "server/config/config_help.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "server/config/config_loader.h"
#include "server/config/config_registry.h"

namespace ember::server {
namespace {

// `text` with every run of whitespace as one space, so wrapped lines read as one.
std::string Flattened(const std::string& text) {
  std::istringstream words(text);
  std::string out;
  for (std::string word; words >> word;) out += (out.empty() ? "" : " ") + word;
  return out;
}

TEST(ConfigHelpTest, ListsEverySettingWithItsHelpAndDefault) {
  const std::string help = Flattened(ConfigHelpText());
  const ServerConfig defaults;
  for (const ConfigSetting& setting : ConfigSettings()) {
    SCOPED_TRACE(setting.name);
    if (!setting.alias_of.empty()) {
      // An old name is left out: the help shows the setting once, under its own name.
      EXPECT_EQ(help.find("--" + std::string(setting.name) + " "), std::string::npos);
      continue;
    }
    EXPECT_NE(help.find("--" + std::string(setting.name) + " "), std::string::npos);
    EXPECT_NE(help.find(Flattened(std::string(setting.help))), std::string::npos);
    const std::string shown = ConfigFileValue(setting, ConfigValue(setting, defaults));
    EXPECT_NE(help.find(Flattened(std::string(setting.help)) + " (default: " + shown + ")"),
              std::string::npos);
  }
}

TEST(ConfigHelpTest, MarksSettingsConfigSetCannotChange) {
  const std::string help = Flattened(ConfigHelpText());
  EXPECT_NE(help.find("(default: 16) [startup]"), std::string::npos) << help;  // databases
  EXPECT_EQ(help.find("(default: 10) [startup]"), std::string::npos) << help;  // hz
  EXPECT_NE(help.find("--appendfsync everysec|always|no"), std::string::npos) << help;
}

TEST(ConfigHelpTest, LinesFitOneHundredColumns) {
  std::istringstream lines(ConfigHelpText());
  for (std::string line; std::getline(lines, line);) {
    // A single word longer than the room left (a long default) may overflow.
    if (line.find(' ', 34) == std::string::npos) continue;
    EXPECT_LE(line.size(), 100u) << line;
  }
}

TEST(ConfigHelpTest, HelpAndVersionFlagsAnswerWithText) {
  for (const char* flag : {"-h", "--help", "--HELP"}) {
    const ConfigLoadResult result = LoadConfig({"ember-server", flag});
    EXPECT_EQ(result.outcome, ConfigLoadResult::Outcome::kExitSuccess) << flag;
    EXPECT_EQ(result.message, ConfigHelpText()) << flag;
  }
  // --help wins over anything else on the line, even a malformed option.
  EXPECT_EQ(LoadConfig({"ember-server", "--port", "x", "--help"}).outcome,
            ConfigLoadResult::Outcome::kExitSuccess);
  for (const char* flag : {"-v", "--version"}) {
    const ConfigLoadResult result = LoadConfig({"ember-server", flag});
    EXPECT_EQ(result.outcome, ConfigLoadResult::Outcome::kExitSuccess) << flag;
    EXPECT_EQ(result.message, VersionText());
  }
  EXPECT_EQ(VersionText().rfind("ember-server v", 0), 0u);
}

}  // namespace
}  // namespace ember::server
