#include "server/families/server/server_commands.h"

#include <chrono>

#include "server/aof/aof_control.h"
#include "server/command/arg_parsing.h"
#include "server/command/error_replies.h"
#include "server/core/client_state.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/rdb/rdb_control.h"

namespace ember::server {

void PingCommand(CommandContext& ctx) {
  if (ctx.args.size() > 2) {
    ctx.reply.Error(WrongArityError("ping"));
    return;
  }
  if (ctx.args.size() == 1) {
    ctx.reply.SimpleString("PONG");
  } else {
    ctx.reply.Bulk(ctx.args[1]);
  }
}

void EchoCommand(CommandContext& ctx) { ctx.reply.Bulk(ctx.args[1]); }

void QuitCommand(CommandContext& ctx) {
  ctx.reply.Ok();
  ctx.client.close_after_reply = true;
}

void SelectCommand(CommandContext& ctx) {
  auto index = ArgToInt64(ctx.args[1]);
  if (!index) {
    ctx.reply.Error(kErrNotInteger);
    return;
  }
  if (*index < INT32_MIN || *index > INT32_MAX) {
    ctx.reply.Error(kErrNotInt32);
    return;
  }
  if (*index < 0 || *index >= ctx.keyspace().database_count()) {
    ctx.reply.Error(kErrDbIndexOutOfRange);
    return;
  }
  ctx.client.db_index = static_cast<int>(*index);
  ctx.reply.Ok();
}

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
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    std::string_view arg = ctx.args[i];
    if (EqualsIgnoreCase(arg, "abort")) {
      ctx.reply.Error("ERR No shutdown in progress.");
      return;
    }
    save |= EqualsIgnoreCase(arg, "save");
    nosave |= EqualsIgnoreCase(arg, "nosave");
    force |= EqualsIgnoreCase(arg, "force");
    if (!EqualsIgnoreCase(arg, "nosave") && !EqualsIgnoreCase(arg, "save") &&
        !EqualsIgnoreCase(arg, "now") && !EqualsIgnoreCase(arg, "force")) {
      ctx.reply.Error(kErrSyntax);
      return;
    }
  }
  if (save && nosave) {
    ctx.reply.Error(kErrSyntax);
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

}  // namespace ember::server
