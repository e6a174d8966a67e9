// Networking and client limits: listening, authentication, protected mode, timeouts and
// the sizes a client may send or have pending.
#include <fmt/format.h>

#include "server/config/config_setting.h"
#include "server/config/config_values.h"
#include "server/core/fd_limit.h"
#include "server/core/server_state.h"
#include "server/net/output_buffer_limit.h"

namespace ember::server {
namespace {

using K = ConfigKind;
using M = ConfigMutability;

// Redis's updateMaxclients: more clients than the descriptor limit allows (after trying
// to raise it) are refused, naming the most that fit. At startup the limit is lowered
// with a warning instead (main.cc), as Redis does.
std::string CheckMaxclients(std::string_view value) {
  const int64_t wanted = ParseConfigInteger(value).value_or(0);
  const FdLimitOutcome outcome = AdjustOpenFilesLimit(wanted);
  if (outcome.maxclients >= wanted) return "";
  return fmt::format(
      "The operating system is not able to handle the specified number of clients, try with {}",
      outcome.maxclients);
}

// clang-format off
const ConfigSetting kRows[] = {
    // Both rebind at runtime: the new sockets first, the old ones closed only once every
    // address is bound, so a failure (Redis's texts) leaves the server listening as before.
    {.name = "port", .kind = K::kInteger, .field = &ServerConfig::port, .min = 0, .max = 65535,
     .help = "TCP port for RESP clients",
     .after_set = [](ServerState& s) -> std::string {
       return s.RebindListeners().empty() ? "" : "Unable to listen on this port. Check server logs.";
     }},
    {.name = "bind", .kind = K::kWords, .field = &ServerConfig::bind,
     .help = "addresses to listen on (an unavailable IPv6 address is skipped)",
     .validate = [](std::string_view v) { return ValidateAddressList(v, false); },
     .after_set = [](ServerState& s) -> std::string {
       return s.RebindListeners().empty() ? "" : "Failed to bind to specified addresses.";
     }},
    {.name = "tcp-backlog", .kind = K::kInteger, .mutability = M::kImmutable,
     .field = &ServerConfig::tcp_backlog, .min = 0, .max = kConfigIntMax,
     .help = "listen() backlog"},
    {.name = "timeout", .kind = K::kInteger, .field = &ServerConfig::timeout, .min = 0,
     .max = kConfigIntMax, .help = "close a client idle for this many seconds (0: never)"},
    {.name = "tcp-keepalive", .kind = K::kInteger, .field = &ServerConfig::tcp_keepalive,
     .min = 0, .max = kConfigIntMax,
     .help = "TCP keepalive probes after this many idle seconds (0: off)"},
    {.name = "protected-mode", .kind = K::kBool, .field = &ServerConfig::protected_mode,
     .help = "with no requirepass, serve only clients at 127.0.0.1 or ::1"},
    {.name = "requirepass", .kind = K::kString, .field = &ServerConfig::requirepass,
     .help = "password clients must AUTH with (empty: none)"},
    {.name = "maxclients", .kind = K::kInteger, .field = &ServerConfig::maxclients, .min = 1,
     .max = kConfigUintMax,
     .help = "most connected clients; lowered at startup to what the open-files limit allows",
     .check_runtime = CheckMaxclients},
    {.name = "proto-max-bulk-len", .kind = K::kMemory,
     .field = &ServerConfig::proto_max_bulk_len, .min = 1024 * 1024, .max = kConfigLongMax,
     .help = "largest bulk string accepted"},
    {.name = "client-query-buffer-limit", .kind = K::kMemory,
     .field = &ServerConfig::client_query_buffer_limit, .min = 1024 * 1024,
     .max = kConfigLongMax,
     .help = "a client whose unparsed input grows past this is closed"},
    {.name = "client-output-buffer-limit", .kind = K::kWords, .lines_add_up = true,
     .help = "<class> <hard> <soft> <seconds>...: close a client whose pending replies pass "
             "hard, or stay over soft for seconds",
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
};
// clang-format on

}  // namespace

std::span<const ConfigSetting> NetworkSettings() { return kRows; }

}  // namespace ember::server
