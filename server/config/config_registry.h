// ConfigRegistry: the settings table (the rows of config_setting.h, joined across
// subsystems) and the one validation, reading and storing rule per setting that the
// loader, CONFIG GET / SET / REWRITE and --help share.
//
// Validation and problem texts follow Redis 7.0's config.c: the text after "... - " in
// "ERR CONFIG SET failed (possibly related to argument 'hz') - <problem>", also shown by
// the loader. Tables are constant and functions pure, except that StoreConfigValue writes
// the given ServerConfig. Engine thread, or startup.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "server/config/config_setting.h"
#include "server/config/server_config.h"

namespace ember::server {

// A titled group of settings (one subsystem), for --help.
struct ConfigSection {
  std::string_view title;
  std::span<const ConfigSetting> settings;
};

// The subsystem tables in a fixed order.
std::span<const ConfigSection> ConfigSections();
// Every setting, section after section (CONFIG GET replies to a glob in this order).
std::span<const ConfigSetting> ConfigSettings();
// The setting named `name` in any letter case, or nullptr.
const ConfigSetting* FindConfigSetting(std::string_view name);

// Whether the setting takes several arguments on a config line or flag (kWords).
[[nodiscard]] bool TakesManyArguments(const ConfigSetting& setting);
// "" when `value` is acceptable for `setting` (its kind's rule, then its own), else Redis's
// problem text ("argument must be 'yes' or 'no'"). The rule for startup and CONFIG SET;
// mutability is not checked here.
[[nodiscard]] std::string ValidateConfigValue(const ConfigSetting& setting, std::string_view value);
// For CONFIG SET: ValidateConfigValue, then whether the running server can take the value.
[[nodiscard]] std::string ValidateRuntimeValue(const ConfigSetting& setting,
                                               std::string_view value);
// Stores a value that passed ValidateConfigValue.
void StoreConfigValue(const ConfigSetting& setting, ServerConfig& config, std::string_view value);
// The current value of `setting` as CONFIG GET shows it.
[[nodiscard]] std::string ConfigValue(const ConfigSetting& setting, const ServerConfig& config);
// The value as a config file line writes it: quoted when needed, "" when empty, and the
// words of a kWords value as separate arguments.
[[nodiscard]] std::string ConfigFileValue(const ConfigSetting& setting, const std::string& value);

}  // namespace ember::server
