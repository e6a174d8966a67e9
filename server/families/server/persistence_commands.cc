// Handlers of the persistence commands: SAVE, BGSAVE, BGREWRITEAOF and LASTSAVE. They
// parse and reply; server/rdb/rdb_control.h and server/aof/aof_control.h do the work.
#include "server/aof/aof_control.h"
#include "server/command/acl_categories.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/rdb/rdb_control.h"

namespace ember::server {
namespace {

void SaveCommand(CommandContext& ctx) {
  if (ctx.server.persistence().bgsave_in_progress()) {
    ctx.reply.Error(kErrBgsaveInProgress);
    return;
  }
  if (SaveNow(ctx.server)) {
    ctx.reply.Ok();
  } else {
    ctx.reply.Error("ERR");
  }
}

void BgsaveCommand(CommandContext& ctx) {
  if (ctx.args.size() > 2 || (ctx.args.size() == 2 && !EqualsIgnoreCase(ctx.args[1], "schedule"))) {
    ctx.reply.Error(kErrSyntax);
    return;
  }
  // One child at a time: while an AOF rewrite runs, SCHEDULE defers the save until it ends.
  if (ctx.server.aof().rewrite_in_progress() && !ctx.server.persistence().bgsave_in_progress()) {
    if (ctx.args.size() == 2) {
      ctx.server.persistence().bgsave_scheduled = true;
      ctx.reply.SimpleString("Background saving scheduled");
    } else {
      ctx.reply.Error(
          "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE "
          "SCHEDULE in order to schedule a BGSAVE whenever possible.");
    }
    return;
  }
  switch (StartBgsave(ctx.server)) {
    case BgsaveStart::kStarted:
      ctx.reply.SimpleString("Background saving started");
      break;
    case BgsaveStart::kAlreadyRunning:
      ctx.reply.Error(kErrBgsaveInProgress);
      break;
    case BgsaveStart::kForkFailed:
      ctx.reply.Error("ERR");
      break;
  }
}

void BgrewriteaofCommand(CommandContext& ctx) {
  switch (StartAofRewrite(ctx.server)) {
    case AofRewriteStart::kStarted:
      ctx.reply.SimpleString("Background append only file rewriting started");
      break;
    case AofRewriteStart::kScheduled:
      ctx.reply.SimpleString("Background append only file rewriting scheduled");
      break;
    case AofRewriteStart::kAlreadyRunning:
      ctx.reply.Error("ERR Background append only file rewriting already in progress");
      break;
    case AofRewriteStart::kFailed:
      ctx.reply.Error(
          "ERR Can't execute an AOF background rewriting. Please check the server logs for "
          "more information.");
      break;
  }
}

void LastsaveCommand(CommandContext& ctx) {
  ctx.reply.Integer(ctx.server.persistence().last_save_unix);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> PersistenceCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "save", .arity = 1, .flags = kAdmin | kNoScript | kNoAsyncLoading | kNoMulti,
       .since = "1.0.0", .summary = "Saves the dataset to disk, blocking.", .handler = SaveCommand},
      {.name = "bgsave", .arity = -1, .flags = kAdmin | kNoScript | kNoAsyncLoading,
       .since = "1.0.0", .summary = "Saves the dataset to disk from a background child process.",
       .handler = BgsaveCommand},
      {.name = "bgrewriteaof", .arity = 1, .flags = kAdmin | kNoScript | kNoAsyncLoading,
       .since = "1.0.0",
       .summary = "Rewrites the append-only file from the dataset in a background child.",
       .handler = BgrewriteaofCommand},
      {.name = "lastsave", .arity = 1, .flags = kLoading | kStale | kFast, .since = "1.0.0",
       .summary = "Returns the unix time of the last successful save.", .handler = LastsaveCommand,
       .acl = kAclAdmin | kAclDangerous},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
