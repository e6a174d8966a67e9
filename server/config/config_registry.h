// ConfigRegistry: every setting CONFIG GET / SET / REWRITE know, as data — its redis.conf
// name, kind (bool, integer, memory size, enum, string, save points), bounds, whether it can
// change at runtime, and how to read and write it in a ServerConfig. The config loader
// applies the settings it does not define itself through here, so a file that CONFIG
// REWRITE wrote always loads.
//
// Validation and errors follow Redis 7.0's CONFIG SET: the text after "... - " in
// "ERR CONFIG SET failed (possibly related to argument 'hz') - <problem>".
// The table is constant; functions are pure except Apply/AfterSet. Engine thread only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "server/config/server_config.h"

namespace ember::server {

class ServerState;

enum class ConfigKind : uint8_t { kBool, kInteger, kMemory, kEnum, kString, kSavePoints };

enum class ConfigMutability : uint8_t {
  kRuntime,    // CONFIG SET changes it
  kImmutable,  // fixed at startup ("can't set immutable config")
  kProtected,  // Redis's enable-protected-configs: refused at runtime by default
};

struct ConfigSetting {
  std::string_view name = {};
  ConfigKind kind;
  ConfigMutability mutability;
  int64_t min = 0;  // kInteger / kMemory bounds, inclusive
  int64_t max = 0;
  std::string_view choices = {};  // kEnum: space-separated, in Redis's order
  // Settings with no ServerConfig field (get == nullptr) live in passive_settings, starting
  // from this default: Ember accepts and reports them but does not act on them yet.
  std::string_view passive_default = {};
  std::string (*get)(const ServerConfig&) = nullptr;
  // Stores an already validated value.
  void (*set)(ServerConfig&, std::string_view value) = nullptr;
  // Runtime side effects after a CONFIG SET (trim the slow log, relevel the logger...).
  // Returns "" or, when the change could not be applied (the setting is then restored by
  // the hook itself), Redis's problem text for the error reply.
  std::string (*after_set)(ServerState&) = nullptr;
  // Checks beyond the kind's own (a value's syntax, what the OS allows): "" or Redis's
  // problem text.
  std::string (*validate)(std::string_view value) = nullptr;
};

// Every setting, in a fixed order (CONFIG GET replies in this order).
std::span<const ConfigSetting> ConfigSettings();
// The current value of `setting` as CONFIG GET shows it.
std::string ConfigValue(const ConfigSetting& setting, const ServerConfig& config);
// Stores an already validated value.
void StoreConfigValue(const ConfigSetting& setting, ServerConfig& config, std::string_view value);
// The setting named `name` in any letter case, or nullptr.
const ConfigSetting* FindConfigSetting(std::string_view name);
// Empty when `value` is acceptable for `setting`, else Redis's problem text
// ("argument must be 'yes' or 'no'"). Mutability is not checked here.
std::string ValidateConfigValue(const ConfigSetting& setting, std::string_view value);
// For the config loader: validates and stores `value`; returns "" or an error message.
std::string ApplyStartupSetting(ServerConfig& config, std::string_view name,
                                std::string_view value);
// The value as CONFIG REWRITE writes it on a config line (quoted when needed).
std::string ConfigFileValue(const ConfigSetting& setting, const std::string& value);

}  // namespace ember::server
