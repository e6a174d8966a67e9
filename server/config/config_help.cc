#include "server/config/config_help.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

#include "server/config/config_registry.h"
#include "server/config/config_values.h"

namespace ember::server {
namespace {

constexpr size_t kDescriptionColumn = 34;
constexpr size_t kWidth = 100;

constexpr std::string_view kUsage =
    "Ember: a Redis-compatible in-memory key-value server\n"
    "\n"
    "Usage: ember-server [/path/to/ember.conf] [--option value ...]\n"
    "       ember-server --check-rdb FILE | --check-aof DIR|MANIFEST|FILE\n"
    "       ember-server -h|--help | -v|--version\n"
    "\n"
    "Every option is also a line of the config file, with the same name (\"port 7000\");\n"
    "flags win over the file. Options marked [startup] cannot change with CONFIG SET.\n";

// How the value is written, from the setting's kind and bounds.
std::string ValueSyntax(const ConfigSetting& setting) {
  switch (setting.kind) {
    case ConfigKind::kBool:
      return "yes|no";
    case ConfigKind::kInteger:
      return setting.max < kConfigIntMax ? fmt::format("<{}..{}>", setting.min, setting.max)
                                         : "<n>";
    case ConfigKind::kMemory:
      return "<bytes>";
    case ConfigKind::kEnum:
      return fmt::format("{}", fmt::join(SplitWords(setting.choices), "|"));
    case ConfigKind::kString:
      return "<text>";
    case ConfigKind::kWords:
      return "<words...>";
  }
  return "";
}

// `text` broken into lines of at most kWidth columns, each indented to the description
// column except the first, which continues `out`'s last line.
void AppendWrapped(std::string_view text, std::string* out) {
  size_t column = kDescriptionColumn;
  for (const std::string& word : SplitWords(text)) {
    if (column > kDescriptionColumn && column + 1 + word.size() > kWidth) {
      *out += '\n' + std::string(kDescriptionColumn, ' ');
      column = kDescriptionColumn;
    }
    if (column > kDescriptionColumn) {
      *out += ' ';
      ++column;
    }
    *out += word;
    column += word.size();
  }
}

void AppendSetting(const ConfigSetting& setting, std::string* out) {
  std::string left = fmt::format("  --{} {}", setting.name, ValueSyntax(setting));
  if (left.size() + 1 > kDescriptionColumn) {
    left += '\n';
    left.append(kDescriptionColumn, ' ');
  } else {
    left.append(kDescriptionColumn - left.size(), ' ');
  }
  *out += left;
  const ServerConfig defaults;
  const std::string default_text = ConfigFileValue(setting, ConfigValue(setting, defaults));
  AppendWrapped(fmt::format("{} (default: {}){}", setting.help, default_text,
                            setting.mutability == ConfigMutability::kRuntime ? "" : " [startup]"),
                out);
  *out += '\n';
}

}  // namespace

std::string ConfigHelpText() {
  std::string out(kUsage);
  for (const ConfigSection& section : ConfigSections()) {
    out += fmt::format("\n{}:\n", section.title);
    for (const ConfigSetting& setting : section.settings) {
      if (setting.alias_of.empty()) AppendSetting(setting, &out);
    }
  }
  out.pop_back();  // the caller ends the text as its output needs
  return out;
}

std::string VersionText() { return std::string("ember-server v") + EMBER_VERSION; }

}  // namespace ember::server
