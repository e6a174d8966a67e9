// FUNCTION FLUSH / SCRIPT FLUSH and their HELP. Ember has no scripting yet, so there is
// nothing to flush; test harnesses and tools send these before every run and expect OK.
#include <span>
#include <string>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"

namespace ember::server {
namespace {

bool IsFlushMode(std::string_view arg) {
  return EqualsIgnoreCase(arg, "sync") || EqualsIgnoreCase(arg, "async");
}

void FunctionFlushCommand(CommandContext& ctx) {
  if (ctx.args.size() > 3) {
    ctx.reply.Error(SubcommandSyntaxError("FUNCTION", ctx.args[1]));
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

}  // namespace

// clang-format off
std::span<const CommandSpec> ScriptingCommandRows() {
  static constexpr CommandSpec kFunctionSubcommands[] = {
      {.name = "function|flush", .arity = -2, .flags = kWrite | kNoScript, .since = "7.0.0",
       .summary = "Deletes every function library.", .handler = FunctionFlushCommand},
      {.name = "function|help", .arity = 2, .flags = kLoading | kStale, .since = "7.0.0",
       .summary = "Describes the FUNCTION subcommands.", .handler = FunctionHelpCommand},
  };
  static constexpr CommandSpec kScriptSubcommands[] = {
      {.name = "script|flush", .arity = -2, .flags = kNoScript, .since = "2.6.0",
       .summary = "Empties the script cache.", .handler = ScriptFlushCommand},
      {.name = "script|help", .arity = 2, .flags = kLoading | kStale, .since = "5.0.0",
       .summary = "Describes the SCRIPT subcommands.", .handler = ScriptHelpCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "function", .arity = -2, .since = "7.0.0", .summary = "Manages function libraries.",
       .handler = nullptr, .subcommands = kFunctionSubcommands},
      {.name = "script", .arity = -2, .since = "2.6.0", .summary = "Manages the script cache.",
       .handler = nullptr, .subcommands = kScriptSubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
