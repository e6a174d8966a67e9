// Logging and introspection: the log's level and file, the slow log, the latency monitor
// and keyspace event classes.
#include "server/config/config_setting.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/pubsub/keyspace_events.h"

namespace ember::server {
namespace {

using K = ConfigKind;
using M = ConfigMutability;

// clang-format off
const ConfigSetting kRows[] = {
    {.name = "loglevel", .kind = K::kEnum, .field = &ServerConfig::loglevel,
     .choices = "debug verbose notice warning", .help = "least important log lines written",
     // The file is fixed at startup, so reopening it cannot fail here.
     .after_set = [](ServerState& s) -> std::string {
       std::string ignored;
       ConfigureLogging(s.config().loglevel, s.config().logfile, &ignored);
       return "";
     }},
    {.name = "logfile", .kind = K::kString, .mutability = M::kImmutable,
     .field = &ServerConfig::logfile, .help = "log file, relative to dir (empty: standard output)"},
    {.name = "slowlog-log-slower-than", .kind = K::kInteger,
     .field = &ServerConfig::slowlog_log_slower_than, .min = -1, .max = kConfigLongMax,
     .help = "microseconds a command must take to enter the slow log (-1: none, 0: all)"},
    {.name = "slowlog-max-len", .kind = K::kInteger, .field = &ServerConfig::slowlog_max_len,
     .min = 0, .max = kConfigLongMax, .help = "entries the slow log keeps",
     .after_set = [](ServerState& s) -> std::string {
       s.slowlog().Trim(s.config().slowlog_max_len);
       return "";
     }},
    {.name = "latency-monitor-threshold", .kind = K::kInteger,
     .field = &ServerConfig::latency_monitor_threshold, .min = 0, .max = kConfigLongMax,
     .help = "milliseconds an event must take to be sampled by LATENCY (0: off)"},
    {.name = "notify-keyspace-events", .kind = K::kString,
     .help = "keyspace notification classes (K E g $ l s h z x e t m d n A), \"\" for none",
     .get = [](const ServerConfig& c) { return FormatKeyspaceEvents(c.notify_keyspace_events); },
     .set = [](ServerConfig& c, std::string_view v) {
       c.notify_keyspace_events = ParseKeyspaceEvents(v).value_or(0);
     },
     .validate = [](std::string_view v) {
       return ParseKeyspaceEvents(v) ? std::string() : std::string(kErrInvalidEventClass);
     },
     .after_set = [](ServerState& s) -> std::string {
       s.ApplyKeyspaceEvents();
       return "";
     }},
};
// clang-format on

}  // namespace

std::span<const ConfigSetting> LoggingSettings() { return kRows; }

}  // namespace ember::server
