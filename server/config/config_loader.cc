#include "server/config/config_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "protocol/inline_splitter.h"
#include "server/config/config_help.h"
#include "server/config/config_registry.h"
#include "server/config/config_values.h"

namespace ember::server {
namespace {

// One option as the file and flags gave it, before validation.
struct OptionWords {
  std::string name;  // lower-case
  std::vector<std::string> words;
  std::string origin;  // "ember.conf:3: " for a file line, "" for a flag
};

using Options = std::vector<OptionWords>;

OptionWords* FindOption(Options& options, std::string_view name) {
  auto it = std::find_if(options.begin(), options.end(),
                         [&](const OptionWords& option) { return option.name == name; });
  return it == options.end() ? nullptr : &*it;
}

// Adds one config-file line's option to `options`.
void AddFileLine(const ConfigSetting& setting, std::vector<std::string> words, std::string origin,
                 Options* options) {
  OptionWords* earlier = FindOption(*options, setting.name);
  const bool resets = words.size() == 1 && words[0].empty();
  if (earlier == nullptr) {
    options->push_back({std::string(setting.name), std::move(words), std::move(origin)});
  } else if (setting.lines_add_up && !resets) {
    earlier->words.insert(earlier->words.end(), words.begin(), words.end());
  } else {
    earlier->words = std::move(words);
    earlier->origin = std::move(origin);
  }
}

// Reads `name value...` lines into `options`. Returns an error or "".
std::string ReadConfigFile(const std::string& path, Options* options) {
  std::ifstream in(path);
  if (!in) return fmt::format("cannot open config file '{}'", path);
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::string origin = fmt::format("{}:{}: ", path, line_number);
    auto words = protocol::SplitInlineArgs(line);
    if (!words) return origin + "unbalanced quotes in configuration line";
    if (words->empty()) continue;
    const ConfigSetting* setting = FindConfigSetting((*words)[0]);
    if (setting == nullptr) return fmt::format("{}unknown option '{}'", origin, (*words)[0]);
    AddFileLine(*setting, std::vector<std::string>(words->begin() + 1, words->end()), origin,
                options);
  }
  return "";
}

// Splits `--name v1 v2 --other v` into options; values run until the next `--`. A flag
// replaces what the file or an earlier flag said.
std::string ReadFlags(const std::vector<std::string>& argv, size_t start, Options* options) {
  OptionWords* current = nullptr;
  for (size_t i = start; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() > 2 && arg.starts_with("--")) {
      const std::string name = LowerCase(arg.substr(2));
      std::erase_if(*options, [&](const OptionWords& option) { return option.name == name; });
      options->push_back({name, {}, ""});
      current = &options->back();
    } else if (current == nullptr) {
      return fmt::format("unexpected argument '{}' (options look like --port 6380)", arg);
    } else {
      current->words.push_back(arg);
    }
  }
  return "";
}

// Validates and stores every option, in the order given. Returns an error or "".
std::string ApplyOptions(const Options& options, ServerConfig* config) {
  for (const OptionWords& option : options) {
    const ConfigSetting* setting = FindConfigSetting(option.name);
    if (setting == nullptr) return fmt::format("{}unknown option '{}'", option.origin, option.name);
    // A name with no value (`--save`, `logfile`) gives the one value "".
    if (!TakesManyArguments(*setting) && option.words.size() > 1) {
      return fmt::format("{}wrong number of arguments for option '{}'", option.origin, option.name);
    }
    const std::string value = JoinWords(option.words);
    const std::string problem = ValidateConfigValue(*setting, value);
    if (!problem.empty()) {
      return fmt::format("{}invalid value '{}' for option '{}': {}", option.origin, value,
                         option.name, problem);
    }
    StoreConfigValue(*setting, *config, value);
    if (option.name == "http-port") config->http_port_explicit = true;
  }
  return "";
}

bool AsksFor(const std::vector<std::string>& argv, std::string_view short_flag,
             std::string_view long_flag) {
  if (argv.size() > 1 && argv[1] == short_flag) return true;
  return std::any_of(argv.begin() + std::min<size_t>(argv.size(), 1), argv.end(),
                     [&](const std::string& arg) { return LowerCase(arg) == long_flag; });
}

ConfigLoadResult Failure(std::string message) {
  return {ConfigLoadResult::Outcome::kError, {}, std::move(message)};
}

}  // namespace

ConfigLoadResult LoadConfig(const std::vector<std::string>& argv) {
  if (AsksFor(argv, "-h", "--help")) {
    return {ConfigLoadResult::Outcome::kExitSuccess, {}, ConfigHelpText()};
  }
  if (AsksFor(argv, "-v", "--version")) {
    return {ConfigLoadResult::Outcome::kExitSuccess, {}, VersionText()};
  }
  ConfigLoadResult result;
  Options options;
  size_t flags_start = 1;
  if (argv.size() > 1 && !argv[1].starts_with("--")) {
    std::error_code ec;
    result.config.config_file = std::filesystem::absolute(argv[1], ec).string();
    if (std::string error = ReadConfigFile(argv[1], &options); !error.empty()) {
      return Failure(std::move(error));
    }
    flags_start = 2;
  }
  if (std::string error = ReadFlags(argv, flags_start, &options); !error.empty()) {
    return Failure(std::move(error));
  }
  if (std::string error = ApplyOptions(options, &result.config); !error.empty()) {
    return Failure(std::move(error));
  }
  return result;
}

}  // namespace ember::server
