// Memory, eviction and expiry: the memory limit and what happens at it, the LFU counter's
// tuning, and how hard active expiry works.
#include "server/config/config_setting.h"
#include "server/core/clock.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

using K = ConfigKind;

std::string ApplyMemoryPolicy(ServerState& state) {
  state.ApplyMemoryPolicy();
  return "";
}

// clang-format off
const ConfigSetting kRows[] = {
    {.name = "maxmemory", .kind = K::kMemory, .field = &ServerConfig::maxmemory, .min = 0,
     .max = kConfigLongMax, .help = "memory limit in bytes (100mb...); 0: none",
     // Lowering the limit evicts at once, as Redis does.
     .after_set = [](ServerState& s) -> std::string {
       s.EvictIfNeeded(UnixMillis());
       return "";
     }},
    {.name = "maxmemory-policy", .kind = K::kEnum, .field = &ServerConfig::maxmemory_policy,
     .choices = "volatile-lru volatile-lfu volatile-random volatile-ttl allkeys-lru allkeys-lfu "
                "allkeys-random noeviction",
     .help = "what happens at the memory limit", .after_set = ApplyMemoryPolicy},
    {.name = "maxmemory-samples", .kind = K::kInteger, .field = &ServerConfig::maxmemory_samples,
     .min = 1, .max = kConfigIntMax, .help = "keys sampled per eviction round",
     .after_set = ApplyMemoryPolicy},
    {.name = "lfu-log-factor", .kind = K::kInteger, .field = &ServerConfig::lfu_log_factor,
     .min = 0, .max = kConfigIntMax,
     .help = "LFU counter growth: higher needs more hits per step",
     .after_set = ApplyMemoryPolicy},
    {.name = "lfu-decay-time", .kind = K::kInteger, .field = &ServerConfig::lfu_decay_time,
     .min = 0, .max = kConfigIntMax,
     .help = "minutes per LFU counter decrement (0: never decays)",
     .after_set = ApplyMemoryPolicy},
    {.name = "active-expire-effort", .kind = K::kInteger,
     .field = &ServerConfig::active_expire_effort, .min = 1, .max = 10,
     .help = "how hard active expiry works per cycle"},
    {.name = "tracking-table-max-keys", .kind = K::kInteger,
     .field = &ServerConfig::tracking_table_max_keys, .min = 0, .max = kConfigLongMax,
     .help = "keys remembered for client-side caching before some are invalidated (0: none)"},
    {.name = "lazyfree-lazy-user-flush", .kind = K::kBool, .passive_default = "no",
     .help = "accepted for compatibility; FLUSHALL/FLUSHDB free as Ember decides"},
};
// clang-format on

}  // namespace

std::span<const ConfigSetting> MemorySettings() { return kRows; }

}  // namespace ember::server
