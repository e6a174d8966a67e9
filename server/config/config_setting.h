// ConfigSetting: one row per redis.conf option, the only place a setting is declared. A
// row says what the option is called (Redis's name), what kind of value it takes and its
// bounds or choices, whether CONFIG SET may change it, where it lives in ServerConfig,
// what applying it at runtime does, and one line of help. The loader (flags and config
// file), CONFIG GET / SET / REWRITE and --help are all generated from the rows
// (config_registry.h); a default lives in ServerConfig's member initializers, or in
// `passive_default` for a setting that has no field.
//
// Rows are grouped by subsystem, one file each (settings_<subsystem>.cc); a new setting is
// a new row there. Tables are constant; hooks run on the engine thread.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/config/server_config.h"

namespace ember::server {

class ServerState;

// Redis's bounds for settings it keeps in an int, a long long and an unsigned int.
inline constexpr int64_t kConfigIntMax = std::numeric_limits<int32_t>::max();
inline constexpr int64_t kConfigLongMax = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kConfigUintMax = std::numeric_limits<uint32_t>::max();

enum class ConfigKind : uint8_t {
  kBool,     // yes | no, any letter case
  kInteger,  // a whole number within [min, max]
  kMemory,   // bytes with Redis's units (1k, 1kb, 5mb...) within [min, max]
  kEnum,     // one of `choices`, any letter case; stored lower-case
  kString,   // one argument, taken verbatim
  kWords,    // any number of arguments (bind, save...), kept space-joined
};

enum class ConfigMutability : uint8_t {
  kRuntime,    // CONFIG SET changes it
  kImmutable,  // fixed at startup ("can't set immutable config")
  kProtected,  // Redis's enable-protected-configs: refused at runtime by default
};

// Where a setting lives in ServerConfig; the kind says how its text maps onto the field
// (kInteger: int or int64_t, kMemory: int64_t, kBool: bool, kEnum/kString: std::string,
// kWords: std::vector<std::string>). Empty for a setting with custom get/set or none.
using ConfigField =
    std::variant<std::monostate, int ServerConfig::*, int64_t ServerConfig::*, bool ServerConfig::*,
                 std::string ServerConfig::*, std::vector<std::string> ServerConfig::*>;

struct ConfigSetting {
  std::string_view name = {};  // Redis's name, lower-case
  ConfigKind kind = ConfigKind::kString;
  ConfigMutability mutability = ConfigMutability::kRuntime;
  ConfigField field = {};
  int64_t min = 0;  // kInteger / kMemory bounds, inclusive
  int64_t max = 0;
  std::string_view choices = {};  // kEnum: space-separated, in Redis's order
  // A setting with neither field nor get/set is passive: Ember accepts and reports it
  // (ServerConfig::passive_settings, starting from this default) but does not act on it.
  std::string_view passive_default = {};
  // In a config file, each line adds to the earlier ones instead of replacing them
  // (`save`, `client-output-buffer-limit`); a line with the one value "" resets.
  bool lines_add_up = false;
  // CONFIG REWRITE removes the setting's line while its value is empty (replicaof on a
  // primary), where other settings would be written with "".
  bool omit_when_empty = false;
  std::string_view help = {};  // one line for --help
  // Set on a second row for an old name Redis still accepts (hash-max-ziplist-entries for
  // hash-max-listpack-entries): the same field, listed by CONFIG GET and taken by CONFIG SET
  // and the config file, but left out of --help and of what CONFIG REWRITE adds.
  std::string_view alias_of = {};
  // Custom reading and storing, for values that are not a plain field (save points,
  // buffer limits) or are stored differently from how they are given (hz clamps).
  std::string (*get)(const ServerConfig&) = nullptr;
  void (*set)(ServerConfig&, std::string_view value) = nullptr;
  // The setting's own rule beyond its kind's (a value's syntax, a forbidden value): "" or
  // Redis's problem text. Applies at startup and to CONFIG SET alike.
  std::string (*validate)(std::string_view value) = nullptr;
  // CONFIG SET only, before anything changes: whether the running server can take the
  // value (maxclients against the descriptor limit). "" or Redis's problem text.
  std::string (*check_runtime)(std::string_view value) = nullptr;
  // CONFIG SET only, after the value is stored: its side effects (trim the slow log,
  // relevel the logger...). Returns "" or, when the change could not be applied (the hook
  // then restores the setting itself), Redis's problem text for the error reply.
  std::string (*after_set)(ServerState&) = nullptr;
};

// The subsystem tables, each in its CONFIG GET order; config_registry.cc joins them.
std::span<const ConfigSetting> ServerSettings();       // settings_server.cc
std::span<const ConfigSetting> NetworkSettings();      // settings_network.cc
std::span<const ConfigSetting> PersistenceSettings();  // settings_persistence.cc
std::span<const ConfigSetting> MemorySettings();       // settings_memory.cc
std::span<const ConfigSetting> ReplicationSettings();  // settings_replication.cc
std::span<const ConfigSetting> LoggingSettings();      // settings_logging.cc
std::span<const ConfigSetting> HttpSettings();         // settings_http.cc
std::span<const ConfigSetting> DataTypeSettings();     // settings_data_types.cc

}  // namespace ember::server
