#include "server/commands/persistence_commands.h"

#include "server/command_context.h"
#include "server/commands/arg_parsing.h"
#include "server/error_replies.h"
#include "server/rdb_saver.h"
#include "server/server_state.h"

namespace ember::server {

void SaveCommand(CommandContext& ctx) {
  if (ctx.server.persistence().child_pid > 0) {
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
  // SCHEDULE only matters while another kind of child (an AOF rewrite) runs; Ember has
  // none yet, so it starts the save at once, as Redis does when no child is active.
  if (ctx.args.size() > 2 || (ctx.args.size() == 2 && !EqualsIgnoreCase(ctx.args[1], "schedule"))) {
    ctx.reply.Error(kErrSyntax);
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

void LastsaveCommand(CommandContext& ctx) {
  ctx.reply.Integer(ctx.server.persistence().last_save_unix);
}

}  // namespace ember::server
