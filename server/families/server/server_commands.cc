// Handlers of the server family's process-level commands: TIME and SHUTDOWN.

#include <chrono>
#include <span>

#include "server/aof/aof_control.h"
#include "server/command/arg_parser.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/client_state.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/rdb/rdb_control.h"
#include "server/scripting/script_busy.h"

namespace ember::server {
namespace {

void TimeCommand(CommandContext& ctx) {
  // TIME reports the real clock with microseconds, not the batch's cached milliseconds.
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(micros / 1'000'000));
  ctx.reply.Bulk(std::to_string(micros % 1'000'000));
}

void ShutdownCommand(CommandContext& ctx) {
  bool save = false, nosave = false, force = false;
  ArgParser parser(ctx.args, 1);
  while (parser.HasNext()) {
    if (parser.Check("abort")) {
      parser.Fail("ERR No shutdown in progress.");
    } else if (parser.Check("save")) {
      save = true;
    } else if (parser.Check("nosave")) {
      nosave = true;
    } else if (parser.Check("force")) {
      force = true;
    } else if (!parser.Check("now")) {
      parser.Fail(kErrSyntax);
    }
  }
  if (!parser.ok()) {
    ctx.reply.Error(parser.error());
    return;
  }
  if (save && nosave) {
    ctx.reply.Error(kErrSyntax);
    return;
  }
  // Under a busy script only SHUTDOWN NOSAVE goes: saving would store its half-done effects.
  if (!nosave && ctx.server.script_runtime().busy()) {
    ctx.reply.Error(scripting::BusyError(ctx.server.script_runtime()));
    return;
  }
  const ShutdownSave mode =
      save ? ShutdownSave::kSave : (nosave ? ShutdownSave::kNoSave : ShutdownSave::kDefault);
  FlushAofBeforeShutdown(ctx.server);
  // A failed save keeps the server running (unless FORCE), as in Redis.
  if (!SaveBeforeShutdown(ctx.server, mode) && !force) {
    Log(LogLevel::kWarning, "Errors trying to shut down the server. Check the logs.");
    ctx.reply.Error(kErrShutdownFailed);
    return;
  }
  // Like Redis, a successful SHUTDOWN sends no reply: the connection just closes.
  Log(LogLevel::kWarning, "User requested shutdown...");
  ctx.server.RequestShutdown();
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ServerCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "time", .arity = 1, .flags = kLoading | kStale | kFast, .since = "2.6.0",
       .summary = "Returns the server's time.", .handler = TimeCommand},
      {.name = "shutdown", .arity = -1,
       .flags = kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy, .since = "1.0.0",
       .summary = "Stops the server.", .handler = ShutdownCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
