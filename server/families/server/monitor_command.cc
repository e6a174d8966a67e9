// MONITOR: the connection becomes a monitor, sent a line per command any client runs
// (server/core/monitor_feed.h) until it disconnects or sends RESET.
#include <span>

#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

void MonitorCommand(CommandContext& ctx) {
  // Inside EXEC: a client that expects one reply per command cannot stream (Redis's
  // CLIENT_DENY_BLOCKING).
  if (ctx.client.deny_blocking) {
    ctx.reply.Error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    return;
  }
  // A monitor's second MONITOR gets no reply at all, as in Redis.
  if (ctx.client.monitor) return;
  ctx.server.monitors().Add(ctx.client);
  ctx.reply.Ok();
}

}  // namespace

// clang-format off
std::span<const CommandSpec> MonitorCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "monitor", .arity = 1, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "1.0.0", .summary = "Streams every command the server runs.",
       .handler = MonitorCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
