// FUNCTION FLUSH / SCRIPT FLUSH and their HELP. Ember has no scripting yet, so there is
// nothing to flush; test harnesses and tools send these before every run and expect OK.
#include <string>

#include "server/command/arg_parsing.h"
#include "server/families/server/introspection_commands.h"

namespace ember::server {
namespace {

bool IsFlushMode(std::string_view arg) {
  return EqualsIgnoreCase(arg, "sync") || EqualsIgnoreCase(arg, "async");
}

}  // namespace

void FunctionFlushCommand(CommandContext& ctx) {
  if (ctx.args.size() > 3) {
    ctx.reply.Error("ERR unknown subcommand or wrong number of arguments for '" +
                    std::string(ctx.args[1]) + "'. Try FUNCTION HELP.");
  } else if (ctx.args.size() == 3 && !IsFlushMode(ctx.args[2])) {
    ctx.reply.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  } else {
    ctx.reply.Ok();
  }
}

void ScriptFlushCommand(CommandContext& ctx) {
  if (ctx.args.size() > 3 || (ctx.args.size() == 3 && !IsFlushMode(ctx.args[2]))) {
    ctx.reply.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  } else {
    ctx.reply.Ok();
  }
}

void FunctionHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "FUNCTION",
            {"FLUSH [ASYNC|SYNC]", "    Delete every function library (Ember has none yet)."});
}

void ScriptHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "SCRIPT",
            {"FLUSH [ASYNC|SYNC]", "    Empty the script cache (Ember has none yet)."});
}

}  // namespace ember::server
