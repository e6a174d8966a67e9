#include "server/config/config_registry.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <limits>

#include "server/aof/aof_control.h"
#include "server/config/config_loader.h"
#include "server/config/rdb_config.h"
#include "server/core/clock.h"
#include "server/core/fd_limit.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/rdb/rdb_control.h"

namespace ember::server {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kUintMax = std::numeric_limits<uint32_t>::max();

using K = ConfigKind;
using M = ConfigMutability;

std::string YesNo(bool value) { return value ? "yes" : "no"; }
bool IsYes(std::string_view v) { return v.size() == 3 && (v[0] | 0x20) == 'y'; }
int64_t ToInt(std::string_view v) {
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}
int64_t ToMemory(std::string_view v) { return ParseMemorySize(std::string(v)); }
std::string Lower(std::string_view v) {
  std::string out(v);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}
std::vector<std::string> Split(std::string_view text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// Redis's updateMaxclients: more clients than the descriptor limit allows (after trying
// to raise it) are refused, naming the most that fit.
std::string ValidateMaxclients(std::string_view value) {
  const int64_t wanted = ToInt(value);
  const FdLimitOutcome outcome = AdjustOpenFilesLimit(wanted);
  if (outcome.maxclients >= wanted) return "";
  return fmt::format(
      "The operating system is not able to handle the specified number of clients, try with {}",
      outcome.maxclients);
}

// clang-format off
const ConfigSetting kSettings[] = {
    {.name = "port", .kind = K::kInteger, .mutability = M::kImmutable, .min = 0, .max = 65535,
     .get = [](const ServerConfig& c) { return std::to_string(c.port); },
     .set = [](ServerConfig& c, std::string_view v) { c.port = static_cast<int>(ToInt(v)); }},
    {.name = "bind", .kind = K::kString, .mutability = M::kImmutable,
     .get = [](const ServerConfig& c) { return Join(c.bind); },
     .set = [](ServerConfig& c, std::string_view v) { c.bind = Split(v); }},
    {.name = "hz", .kind = K::kInteger, .mutability = M::kRuntime, .min = 0, .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.hz); },
     // Redis clamps rather than refuses: the cron runs between 1 and 500 times a second.
     .set = [](ServerConfig& c, std::string_view v) {
       c.hz = static_cast<int>(std::clamp<int64_t>(ToInt(v), 1, 500));
     }},
    {.name = "databases", .kind = K::kInteger, .mutability = M::kImmutable, .min = 1,
     .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.databases); },
     .set = [](ServerConfig& c, std::string_view v) { c.databases = static_cast<int>(ToInt(v)); }},
    {.name = "loglevel", .kind = K::kEnum, .mutability = M::kRuntime,
     .choices = "debug verbose notice warning",
     .get = [](const ServerConfig& c) { return c.loglevel; },
     .set = [](ServerConfig& c, std::string_view v) { c.loglevel = Lower(v); },
     .after_set = [](ServerState& s) -> std::string {
       std::string error;
       ConfigureLogging(s.config().loglevel, s.config().logfile, &error);
      return {}; }},
    {.name = "logfile", .kind = K::kString, .mutability = M::kImmutable,
     .get = [](const ServerConfig& c) { return c.logfile; },
     .set = [](ServerConfig& c, std::string_view v) { c.logfile = v; }},
    {.name = "dir", .kind = K::kString, .mutability = M::kProtected,
     .get = [](const ServerConfig& c) { return c.dir; },
     .set = [](ServerConfig& c, std::string_view v) { c.dir = v; }},
    {.name = "dbfilename", .kind = K::kString, .mutability = M::kProtected,
     .get = [](const ServerConfig& c) { return c.dbfilename; },
     .set = [](ServerConfig& c, std::string_view v) { c.dbfilename = v; }},
    {.name = "requirepass", .kind = K::kString, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return c.requirepass; },
     .set = [](ServerConfig& c, std::string_view v) { c.requirepass = v; }},
    {.name = "maxclients", .kind = K::kInteger, .mutability = M::kRuntime, .min = 1,
     .max = kUintMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.maxclients); },
     .set = [](ServerConfig& c, std::string_view v) { c.maxclients = ToInt(v); },
     .validate = ValidateMaxclients},
    {.name = "timeout", .kind = K::kInteger, .mutability = M::kRuntime, .min = 0, .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.timeout); },
     .set = [](ServerConfig& c, std::string_view v) { c.timeout = ToInt(v); }},
    {.name = "tcp-keepalive", .kind = K::kInteger, .mutability = M::kRuntime, .min = 0,
     .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.tcp_keepalive); },
     .set = [](ServerConfig& c, std::string_view v) { c.tcp_keepalive = ToInt(v); }},
    {.name = "tcp-backlog", .kind = K::kInteger, .mutability = M::kImmutable, .min = 0,
     .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.tcp_backlog); },
     .set = [](ServerConfig& c, std::string_view v) { c.tcp_backlog = ToInt(v); }},
    {.name = "proto-max-bulk-len", .kind = K::kMemory, .mutability = M::kRuntime,
     .min = 1024 * 1024, .max = kLongMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.proto_max_bulk_len); },
     .set = [](ServerConfig& c, std::string_view v) { c.proto_max_bulk_len = ToMemory(v); }},
    {.name = "client-query-buffer-limit", .kind = K::kMemory, .mutability = M::kRuntime,
     .min = 1024 * 1024, .max = kLongMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.client_query_buffer_limit); },
     .set = [](ServerConfig& c, std::string_view v) { c.client_query_buffer_limit = ToMemory(v); }},
    {.name = "protected-mode", .kind = K::kBool, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return YesNo(c.protected_mode); },
     .set = [](ServerConfig& c, std::string_view v) { c.protected_mode = IsYes(v); }},
    {.name = "client-output-buffer-limit", .kind = K::kString, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) {
       return FormatOutputBufferLimits(c.client_output_buffer_limits);
     },
     .set = [](ServerConfig& c, std::string_view v) {
       ParseOutputBufferLimits(v, &c.client_output_buffer_limits);
     },
     .validate = [](std::string_view v) {
       OutputBufferLimits scratch;
       return ParseOutputBufferLimits(v, &scratch);
     }},
    {.name = "active-expire-effort", .kind = K::kInteger, .mutability = M::kRuntime, .min = 1,
     .max = 10,
     .get = [](const ServerConfig& c) { return std::to_string(c.active_expire_effort); },
     .set = [](ServerConfig& c, std::string_view v) {
       c.active_expire_effort = static_cast<int>(ToInt(v));
     }},
    {.name = "slowlog-log-slower-than", .kind = K::kInteger, .mutability = M::kRuntime,
     .min = -1, .max = kLongMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.slowlog_log_slower_than); },
     .set = [](ServerConfig& c, std::string_view v) { c.slowlog_log_slower_than = ToInt(v); }},
    {.name = "slowlog-max-len", .kind = K::kInteger, .mutability = M::kRuntime, .min = 0,
     .max = kLongMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.slowlog_max_len); },
     .set = [](ServerConfig& c, std::string_view v) { c.slowlog_max_len = ToInt(v); },
     .after_set = [](ServerState& s) -> std::string { s.slowlog().Trim(s.config().slowlog_max_len);  return {}; }},
    {.name = "latency-monitor-threshold", .kind = K::kInteger, .mutability = M::kRuntime,
     .min = 0, .max = kLongMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.latency_monitor_threshold); },
     .set = [](ServerConfig& c, std::string_view v) { c.latency_monitor_threshold = ToInt(v); }},
    {.name = "maxmemory", .kind = K::kMemory, .mutability = M::kRuntime, .min = 0,
     .max = kLongMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.maxmemory); },
     .set = [](ServerConfig& c, std::string_view v) { c.maxmemory = ToMemory(v); },
     // Lowering the limit evicts at once, as Redis does.
     .after_set = [](ServerState& s) -> std::string { s.EvictIfNeeded(UnixMillis());  return {}; }},
    {.name = "maxmemory-policy", .kind = K::kEnum, .mutability = M::kRuntime,
     .choices = "volatile-lru volatile-lfu volatile-random volatile-ttl allkeys-lru allkeys-lfu "
                "allkeys-random noeviction",
     .get = [](const ServerConfig& c) { return c.maxmemory_policy; },
     .set = [](ServerConfig& c, std::string_view v) { c.maxmemory_policy = Lower(v); },
     .after_set = [](ServerState& s) -> std::string { s.ApplyMemoryPolicy();  return {}; }},
    {.name = "maxmemory-samples", .kind = K::kInteger, .mutability = M::kRuntime, .min = 1,
     .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.maxmemory_samples); },
     .set = [](ServerConfig& c, std::string_view v) { c.maxmemory_samples = ToInt(v); },
     .after_set = [](ServerState& s) -> std::string { s.ApplyMemoryPolicy();  return {}; }},
    {.name = "save", .kind = K::kSavePoints, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return SavePointsText(c); },
     .set = [](ServerConfig& c, std::string_view v) { c.save_points = ParseSavePoints(v); }},
    {.name = "rdbcompression", .kind = K::kBool, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return YesNo(c.rdbcompression); },
     .set = [](ServerConfig& c, std::string_view v) { c.rdbcompression = IsYes(v); }},
    {.name = "rdbchecksum", .kind = K::kBool, .mutability = M::kImmutable,
     .get = [](const ServerConfig& c) { return YesNo(c.rdbchecksum); },
     .set = [](ServerConfig& c, std::string_view v) { c.rdbchecksum = IsYes(v); }},
    {.name = "stop-writes-on-bgsave-error", .kind = K::kBool, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return YesNo(c.stop_writes_on_bgsave_error); },
     .set = [](ServerConfig& c, std::string_view v) { c.stop_writes_on_bgsave_error = IsYes(v); }},
    {.name = "appendonly", .kind = K::kBool, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return YesNo(c.appendonly); },
     .set = [](ServerConfig& c, std::string_view v) { c.appendonly = IsYes(v); },
     .after_set = ApplyAppendonlySetting},
    {.name = "appendfsync", .kind = K::kEnum, .mutability = M::kRuntime,
     .choices = "everysec always no",
     .get = [](const ServerConfig& c) { return c.appendfsync; },
     .set = [](ServerConfig& c, std::string_view v) { c.appendfsync = Lower(v); }},
    {.name = "appendfilename", .kind = K::kString, .mutability = M::kImmutable,
     .get = [](const ServerConfig& c) { return c.appendfilename; },
     .set = [](ServerConfig& c, std::string_view v) { c.appendfilename = v; }},
    {.name = "appenddirname", .kind = K::kString, .mutability = M::kImmutable,
     .get = [](const ServerConfig& c) { return c.appenddirname; },
     .set = [](ServerConfig& c, std::string_view v) { c.appenddirname = v; }},
    {.name = "aof-use-rdb-preamble", .kind = K::kBool, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return YesNo(c.aof_use_rdb_preamble); },
     .set = [](ServerConfig& c, std::string_view v) { c.aof_use_rdb_preamble = IsYes(v); }},
    {.name = "aof-load-truncated", .kind = K::kBool, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return YesNo(c.aof_load_truncated); },
     .set = [](ServerConfig& c, std::string_view v) { c.aof_load_truncated = IsYes(v); }},
    {.name = "auto-aof-rewrite-percentage", .kind = K::kInteger, .mutability = M::kRuntime,
     .min = 0, .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.auto_aof_rewrite_percentage); },
     .set = [](ServerConfig& c, std::string_view v) { c.auto_aof_rewrite_percentage = ToInt(v); }},
    {.name = "auto-aof-rewrite-min-size", .kind = K::kMemory, .mutability = M::kRuntime,
     .min = 0, .max = kLongMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.auto_aof_rewrite_min_size); },
     .set = [](ServerConfig& c, std::string_view v) { c.auto_aof_rewrite_min_size = ToMemory(v); }},
    {.name = "no-appendfsync-on-rewrite", .kind = K::kBool, .mutability = M::kRuntime,
     .get = [](const ServerConfig& c) { return YesNo(c.no_appendfsync_on_rewrite); },
     .set = [](ServerConfig& c, std::string_view v) { c.no_appendfsync_on_rewrite = IsYes(v); }},
    {.name = "aof-rewrite-incremental-fsync", .kind = K::kBool, .mutability = M::kRuntime,
     .passive_default = "yes"},
    {.name = "aof-timestamp-enabled", .kind = K::kBool, .mutability = M::kRuntime,
     .passive_default = "no"},
    {.name = "daemonize", .kind = K::kBool, .mutability = M::kImmutable, .passive_default = "no"},
    {.name = "pidfile", .kind = K::kString, .mutability = M::kImmutable, .passive_default = ""},
    {.name = "io-threads", .kind = K::kInteger, .mutability = M::kImmutable, .min = 1,
     .max = 128, .passive_default = "1"},
    {.name = "cluster-enabled", .kind = K::kBool, .mutability = M::kImmutable,
     .passive_default = "no"},
    {.name = "lfu-log-factor", .kind = K::kInteger, .mutability = M::kRuntime, .min = 0,
     .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.lfu_log_factor); },
     .set = [](ServerConfig& c, std::string_view v) {
       c.lfu_log_factor = static_cast<int>(ToInt(v));
     },
     .after_set = [](ServerState& s) -> std::string { s.ApplyMemoryPolicy();  return {}; }},
    {.name = "lfu-decay-time", .kind = K::kInteger, .mutability = M::kRuntime, .min = 0,
     .max = kIntMax,
     .get = [](const ServerConfig& c) { return std::to_string(c.lfu_decay_time); },
     .set = [](ServerConfig& c, std::string_view v) {
       c.lfu_decay_time = static_cast<int>(ToInt(v));
     },
     .after_set = [](ServerState& s) -> std::string { s.ApplyMemoryPolicy();  return {}; }},
    {.name = "lazyfree-lazy-user-flush", .kind = K::kBool, .mutability = M::kRuntime,
     .passive_default = "no"},
    {.name = "notify-keyspace-events", .kind = K::kString, .mutability = M::kRuntime,
     .passive_default = ""},
};
// clang-format on

bool ParseInteger(std::string_view v, int64_t* out) {
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
  return ec == std::errc() && ptr == v.data() + v.size() && !v.empty();
}

std::string RangeProblem(const ConfigSetting& s) {
  return fmt::format("argument must be between {} and {} inclusive", s.min, s.max);
}

std::string ValidateSavePoints(std::string_view value) {
  auto words = Split(value);
  if (words.size() % 2 != 0) return "Invalid save parameters";
  for (const auto& word : words) {
    int64_t n = 0;
    if (!ParseInteger(word, &n) || n < 0) return "Invalid save parameters";
  }
  return "";
}

}  // namespace

std::span<const ConfigSetting> ConfigSettings() { return kSettings; }

const ConfigSetting* FindConfigSetting(std::string_view name) {
  const std::string lower = Lower(name);
  for (const ConfigSetting& setting : kSettings) {
    if (setting.name == lower) return &setting;
  }
  return nullptr;
}

std::string ConfigValue(const ConfigSetting& setting, const ServerConfig& config) {
  if (setting.get != nullptr) return setting.get(config);
  auto it = config.passive_settings.find(setting.name);
  return it == config.passive_settings.end() ? std::string(setting.passive_default) : it->second;
}

void StoreConfigValue(const ConfigSetting& setting, ServerConfig& config, std::string_view value) {
  if (setting.set != nullptr) {
    setting.set(config, value);
    return;
  }
  std::string stored(value);
  if (setting.kind == ConfigKind::kBool || setting.kind == ConfigKind::kEnum) {
    stored = Lower(value);
  } else if (setting.kind == ConfigKind::kSavePoints) {
    stored = Join(Split(value));
  }
  config.passive_settings[std::string(setting.name)] = std::move(stored);
}

std::string ValidateConfigValue(const ConfigSetting& setting, std::string_view value) {
  switch (setting.kind) {
    case ConfigKind::kBool: {
      const std::string lower = Lower(value);
      return lower == "yes" || lower == "no" ? "" : "argument must be 'yes' or 'no'";
    }
    case ConfigKind::kInteger: {
      int64_t n = 0;
      if (!ParseInteger(value, &n)) return "argument couldn't be parsed into an integer";
      if (n < setting.min || n > setting.max) return RangeProblem(setting);
      break;
    }
    case ConfigKind::kMemory: {
      const int64_t n = ToMemory(value);
      if (n < 0) return "argument must be a memory value";
      return n < setting.min || n > setting.max ? RangeProblem(setting) : "";
    }
    case ConfigKind::kEnum: {
      const std::string lower = Lower(value);
      std::string listed;
      for (const auto& choice : Split(setting.choices)) {
        if (choice == lower) return "";
        listed += (listed.empty() ? "" : ", ") + choice;
      }
      return "argument(s) must be one of the following: " + listed;
    }
    case ConfigKind::kSavePoints:
      return ValidateSavePoints(value);
    case ConfigKind::kString:
      break;
  }
  return setting.validate != nullptr ? setting.validate(value) : "";
}

std::string ApplyStartupSetting(ServerConfig& config, std::string_view name,
                                std::string_view value) {
  const ConfigSetting* setting = FindConfigSetting(name);
  if (setting == nullptr) return fmt::format("unknown option '{}'", name);
  std::string problem = ValidateConfigValue(*setting, value);
  if (!problem.empty()) {
    return fmt::format("invalid value '{}' for option '{}': {}", value, name, problem);
  }
  StoreConfigValue(*setting, config, value);
  return "";
}

std::string ConfigFileValue(const ConfigSetting& setting, const std::string& value) {
  if (value.empty()) return "\"\"";
  // Multi-word values whose words are separate arguments on a config line.
  if (setting.kind == ConfigKind::kSavePoints || setting.name == "bind") return value;
  const bool plain = value.find_first_of(" \t\"'\\") == std::string::npos;
  if (plain) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace ember::server
