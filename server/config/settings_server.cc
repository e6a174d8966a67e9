// The process-wide settings: databases, the background task frequency, and the options
// Ember accepts for compatibility with existing redis.conf files but does not act on.
#include <algorithm>

#include "server/config/config_setting.h"
#include "server/config/config_values.h"

namespace ember::server {
namespace {

using K = ConfigKind;
using M = ConfigMutability;

// clang-format off
const ConfigSetting kRows[] = {
    {.name = "databases", .kind = K::kInteger, .mutability = M::kImmutable,
     .field = &ServerConfig::databases, .min = 1, .max = kConfigIntMax,
     .help = "number of databases for SELECT"},
    {.name = "busy-reply-threshold", .kind = K::kInteger,
     .field = &ServerConfig::busy_reply_threshold, .min = 0, .max = kConfigLongMax,
     .help = "milliseconds a script runs before other clients get BUSY (0: never)"},
    {.name = "lua-time-limit", .kind = K::kInteger, .field = &ServerConfig::busy_reply_threshold,
     .min = 0, .max = kConfigLongMax, .alias_of = "busy-reply-threshold"},
    // Redis accepts any hz and clamps it: the cron runs between 1 and 500 times a second.
    {.name = "enable-debug-command", .kind = K::kEnum, .mutability = M::kImmutable,
     .field = &ServerConfig::enable_debug_command, .choices = "no yes local",
     .help = "who may run DEBUG: nobody, every client, or loopback clients only"},
    {.name = "hz", .kind = K::kInteger, .field = &ServerConfig::hz, .min = 0,
     .max = kConfigIntMax,
     .help = "background task frequency (active expiry, rehashing), clamped to 1..500",
     .set = [](ServerConfig& c, std::string_view v) {
       c.hz = static_cast<int>(std::clamp<int64_t>(ParseConfigInteger(v).value_or(0), 1, 500));
     }},
    // Ember never forks into the background; "no" is accepted so Redis command lines work.
    {.name = "daemonize", .kind = K::kBool, .mutability = M::kImmutable,
     .passive_default = "no",
     .help = "only 'no': Ember runs in the foreground (use a supervisor to detach it)",
     .validate = [](std::string_view v) -> std::string {
       if (!ParseYesNo(v).value_or(false)) return "";
       return "Ember does not run in the background; keep 'daemonize no' and use a supervisor";
     }},
    {.name = "pidfile", .kind = K::kString, .mutability = M::kImmutable,
     .passive_default = "", .help = "accepted for compatibility; no pid file is written"},
    {.name = "io-threads", .kind = K::kInteger, .mutability = M::kImmutable, .min = 1,
     .max = 128, .passive_default = "1",
     .help = "accepted for compatibility; one thread serves all clients"},
    {.name = "cluster-enabled", .kind = K::kBool, .mutability = M::kImmutable,
     .passive_default = "no", .help = "accepted for compatibility; cluster mode is not supported"},
};
// clang-format on

}  // namespace

std::span<const ConfigSetting> ServerSettings() { return kRows; }

}  // namespace ember::server
