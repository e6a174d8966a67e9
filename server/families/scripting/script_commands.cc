// SCRIPT LOAD / EXISTS / FLUSH / DEBUG / KILL / HELP. (FUNCTION is in function_commands.cc.)
#include <span>
#include <string>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"
#include "server/core/server_state.h"
#include "server/scripting/script_busy.h"
#include "server/scripting/script_engine.h"

namespace ember::server {
namespace {

bool IsFlushMode(std::string_view arg) {
  return EqualsIgnoreCase(arg, "sync") || EqualsIgnoreCase(arg, "async");
}

// The script cache is small: flushing it at once is what ASYNC would amount to.
void ScriptFlushCommand(CommandContext& ctx) {
  if (ctx.args.size() > 3 || (ctx.args.size() == 3 && !IsFlushMode(ctx.args[2]))) {
    ctx.reply.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    return;
  }
  ctx.server.scripts().Flush();
  ctx.reply.Ok();
}

void ScriptLoadCommand(CommandContext& ctx) {
  std::string error;
  const scripting::Script* script = ctx.server.scripts().Load(ctx.args[2], &error);
  if (script == nullptr) {
    ctx.reply.Error("ERR " + error);
    return;
  }
  ctx.reply.Bulk(script->sha);
}

void ScriptExistsCommand(CommandContext& ctx) {
  const scripting::ScriptEngine& engine = ctx.server.scripts();
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.args.size() - 2));
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    ctx.reply.Integer(engine.Find(ctx.args[i]) != nullptr ? 1 : 0);
  }
}

// The Lua debugger is not offered: turning it off is all that succeeds.
void ScriptDebugCommand(CommandContext& ctx) {
  if (EqualsIgnoreCase(ctx.args[2], "no")) {
    ctx.reply.Ok();
  } else if (EqualsIgnoreCase(ctx.args[2], "yes") || EqualsIgnoreCase(ctx.args[2], "sync")) {
    ctx.reply.Error("ERR Ember does not offer the Lua debugger");
  } else {
    ctx.reply.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
  }
}

// Only a busy script can be killed: other commands are read only while one is busy.
void ScriptKillCommand(CommandContext& ctx) {
  scripting::ReplyToKill(ctx.reply, ctx.server.script_runtime(), /*from_eval=*/true);
}

void ScriptHelpCommand(CommandContext& ctx) {
  ReplyHelp(
      ctx, "SCRIPT",
      {"DEBUG (YES|SYNC|NO)",
       "    Set the debug mode for subsequent scripts executed (Ember: NO only).",
       "EXISTS <sha1> [<sha1> ...]",
       "    Return information about the existence of the scripts in the script cache.",
       "FLUSH [ASYNC|SYNC]", "    Flush the Lua scripts cache. Very dangerous on replicas.",
       "    When called without the optional mode argument, the behavior is determined by the",
       "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
       "    * ASYNC: Asynchronously flush the scripts cache.",
       "    * SYNC: Synchronously flush the scripts cache.", "KILL",
       "    Kill the currently executing Lua script.", "LOAD <script>",
       "    Load a script into the scripts cache without executing it."});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ScriptingCommandRows() {
  static constexpr CommandSpec kScriptSubcommands[] = {
      {.name = "script|debug", .arity = 3, .flags = kNoScript, .since = "3.2.0",
       .summary = "Sets the debug mode of server-side Lua scripts.",
       .handler = ScriptDebugCommand},
      {.name = "script|exists", .arity = -3, .flags = kNoScript, .since = "2.6.0",
       .summary = "Determines whether server-side Lua scripts exist in the script cache.",
       .handler = ScriptExistsCommand},
      {.name = "script|flush", .arity = -2, .flags = kNoScript, .since = "2.6.0",
       .summary = "Empties the script cache.", .handler = ScriptFlushCommand},
      {.name = "script|help", .arity = 2, .flags = kLoading | kStale, .since = "5.0.0",
       .summary = "Describes the SCRIPT subcommands.", .handler = ScriptHelpCommand},
      {.name = "script|kill", .arity = 2, .flags = kNoScript | kAllowBusy, .since = "2.6.0",
       .summary = "Terminates a server-side Lua script during execution.",
       .handler = ScriptKillCommand},
      {.name = "script|load", .arity = 3, .flags = kNoScript | kStale, .since = "2.6.0",
       .summary = "Loads a server-side Lua script to the script cache.",
       .handler = ScriptLoadCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "script", .arity = -2, .since = "2.6.0", .summary = "Manages the script cache.",
       .handler = nullptr, .subcommands = kScriptSubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
