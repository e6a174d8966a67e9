#include "server/config/config_registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <vector>

#include "server/config/config_values.h"

namespace ember::server {
namespace {

template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Spelled out: clang before 17 (the fuzz build's) does not deduce aggregates' arguments.
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string RangeProblem(const ConfigSetting& setting) {
  return fmt::format("argument must be between {} and {} inclusive", setting.min, setting.max);
}

// The kind's own rule: "" or Redis's problem text.
std::string ValidateKind(const ConfigSetting& setting, std::string_view value) {
  switch (setting.kind) {
    case ConfigKind::kBool:
      return ParseYesNo(value) ? "" : "argument must be 'yes' or 'no'";
    case ConfigKind::kInteger: {
      const std::optional<int64_t> n = ParseConfigInteger(value);
      if (!n) return "argument couldn't be parsed into an integer";
      return *n < setting.min || *n > setting.max ? RangeProblem(setting) : "";
    }
    case ConfigKind::kMemory: {
      const int64_t n = ParseMemorySize(value);
      if (n < 0) return "argument must be a memory value";
      return n < setting.min || n > setting.max ? RangeProblem(setting) : "";
    }
    case ConfigKind::kEnum: {
      const std::vector<std::string> choices = SplitWords(setting.choices);
      for (const std::string& choice : choices) {
        if (choice == LowerCase(value)) return "";
      }
      return fmt::format("argument(s) must be one of the following: {}", fmt::join(choices, ", "));
    }
    case ConfigKind::kString:
    case ConfigKind::kWords:
      return "";
  }
  return "";
}

// The text of a validated value in the form its field holds.
std::string Normalized(const ConfigSetting& setting, std::string_view value) {
  switch (setting.kind) {
    case ConfigKind::kBool:
      return FormatYesNo(ParseYesNo(value).value_or(false));
    case ConfigKind::kEnum:
      return LowerCase(value);
    case ConfigKind::kWords:
      return JoinWords(SplitWords(value));
    default:
      return std::string(value);
  }
}

int64_t ParseNumber(const ConfigSetting& setting, std::string_view value) {
  return setting.kind == ConfigKind::kMemory ? ParseMemorySize(value)
                                             : ParseConfigInteger(value).value_or(0);
}

// A plain quoted argument of a config line, as the inline splitter reads it back.
std::string QuoteIfNeeded(std::string_view word) {
  if (word.empty()) return "\"\"";
  if (word.find_first_of(" \t\"'\\") == std::string_view::npos) return std::string(word);
  std::string quoted = "\"";
  for (char c : word) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::span<const ConfigSection> ConfigSections() {
  // Immutable once built; the tables live in other translation units, so they are joined
  // on first use rather than during static initialization.
  static const std::array<ConfigSection, 8> kSections = {{
      {"Server", ServerSettings()},
      {"Networking and client limits", NetworkSettings()},
      {"Persistence (RDB snapshots and the append-only file)", PersistenceSettings()},
      {"Replication", ReplicationSettings()},
      {"Memory, eviction and expiry", MemorySettings()},
      {"Data types: when collections leave their compact encodings", DataTypeSettings()},
      {"Logging and introspection", LoggingSettings()},
      {"HTTP adapter", HttpSettings()},
  }};
  return kSections;
}

std::span<const ConfigSetting> ConfigSettings() {
  static const std::vector<ConfigSetting> kAll = [] {
    std::vector<ConfigSetting> all;
    for (const ConfigSection& section : ConfigSections()) {
      all.insert(all.end(), section.settings.begin(), section.settings.end());
    }
    return all;
  }();
  return kAll;
}

const ConfigSetting* FindConfigSetting(std::string_view name) {
  const std::string lower = LowerCase(name);
  for (const ConfigSetting& setting : ConfigSettings()) {
    if (setting.name == lower) return &setting;
  }
  return nullptr;
}

bool TakesManyArguments(const ConfigSetting& setting) { return setting.kind == ConfigKind::kWords; }

std::string ValidateConfigValue(const ConfigSetting& setting, std::string_view value) {
  std::string problem = ValidateKind(setting, value);
  if (problem.empty() && setting.validate != nullptr) problem = setting.validate(value);
  return problem;
}

std::string ValidateRuntimeValue(const ConfigSetting& setting, std::string_view value) {
  std::string problem = ValidateConfigValue(setting, value);
  if (problem.empty() && setting.check_runtime != nullptr) problem = setting.check_runtime(value);
  return problem;
}

void StoreConfigValue(const ConfigSetting& setting, ServerConfig& config, std::string_view value) {
  if (setting.set != nullptr) {
    setting.set(config, value);
    return;
  }
  std::visit(
      Overloaded{
          [&](std::monostate) {
            config.passive_settings[std::string(setting.name)] = Normalized(setting, value);
          },
          [&](int ServerConfig::*field) {
            config.*field = static_cast<int>(ParseNumber(setting, value));
          },
          [&](int64_t ServerConfig::*field) { config.*field = ParseNumber(setting, value); },
          [&](bool ServerConfig::*field) { config.*field = ParseYesNo(value).value_or(false); },
          [&](std::string ServerConfig::*field) { config.*field = Normalized(setting, value); },
          [&](std::vector<std::string> ServerConfig::*field) { config.*field = SplitWords(value); },
      },
      setting.field);
}

std::string ConfigValue(const ConfigSetting& setting, const ServerConfig& config) {
  if (setting.get != nullptr) return setting.get(config);
  return std::visit(
      Overloaded{
          [&](std::monostate) {
            auto it = config.passive_settings.find(setting.name);
            return it == config.passive_settings.end() ? std::string(setting.passive_default)
                                                       : it->second;
          },
          [&](int ServerConfig::*field) { return std::to_string(config.*field); },
          [&](int64_t ServerConfig::*field) { return std::to_string(config.*field); },
          [&](bool ServerConfig::*field) { return FormatYesNo(config.*field); },
          [&](std::string ServerConfig::*field) { return config.*field; },
          [&](std::vector<std::string> ServerConfig::*field) { return JoinWords(config.*field); },
      },
      setting.field);
}

std::string ConfigFileValue(const ConfigSetting& setting, const std::string& value) {
  if (setting.kind != ConfigKind::kWords || value.empty()) return QuoteIfNeeded(value);
  std::vector<std::string> words = SplitWords(value);
  for (std::string& word : words) word = QuoteIfNeeded(word);
  return JoinWords(words);
}

}  // namespace ember::server
