// FUNCTION LOAD / DELETE / FLUSH / KILL / HELP, FCALL and FCALL_RO, and the rows of FUNCTION
// and FCALL*. The checks and texts are Redis 7.0's (functions.c): FCALL looks the function
// up (any case) before it reads numkeys; then the function's declared flags decide whether
// it may start and what it may do (script_prepare.h); its effects propagate like EVAL's.
// Library changes are write commands: they propagate as sent (the AOF replays them).
#include "server/families/scripting/function_commands.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"
#include "server/core/server_state.h"
#include "server/scripting/function_engine.h"
#include "server/scripting/script_busy.h"
#include "server/scripting/script_prepare.h"
#include "server/scripting/script_run.h"

namespace ember::server {
namespace {

using scripting::FunctionEngine;
using scripting::FunctionInfo;

void FunctionLoadCommand(CommandContext& ctx) {
  bool replace = false;
  size_t pos = 2;
  while (pos < ctx.args.size() - 1) {
    const std::string_view option = ctx.args[pos++];
    if (!EqualsIgnoreCase(option, "replace")) {
      ctx.reply.Error("ERR Unknown option given: " + std::string(option));
      return;
    }
    replace = true;
  }
  // Code replayed from the AOF has no time limit (Redis's mustObeyClient).
  const int64_t timeout_ms =
      ctx.server.persistence().loading ? 0 : scripting::kFunctionLoadTimeoutMs;
  FunctionEngine& engine = ctx.server.functions();
  std::string error;
  const std::optional<std::string> name =
      engine.Create(ctx.args[pos], replace, timeout_ms, engine.libraries(), &error);
  if (!name) {
    ctx.reply.Error("ERR " + error);
    return;
  }
  ctx.MarkDirty();
  ctx.reply.Bulk(*name);
}

void FunctionDeleteCommand(CommandContext& ctx) {
  if (!ctx.server.functions().libraries().Remove(ctx.args[2])) {
    ctx.reply.Error("ERR Library not found");
    return;
  }
  ctx.MarkDirty();
  ctx.reply.Ok();
}

// ASYNC and SYNC alike: the libraries are small, freeing them at once is what ASYNC amounts to.
void FunctionFlushCommand(CommandContext& ctx) {
  if (ctx.args.size() > 3) {
    ctx.reply.Error(SubcommandSyntaxError("FUNCTION", ctx.args[1]));
    return;
  }
  if (ctx.args.size() == 3 && !EqualsIgnoreCase(ctx.args[2], "sync") &&
      !EqualsIgnoreCase(ctx.args[2], "async")) {
    ctx.reply.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    return;
  }
  ctx.server.functions().libraries().Clear();
  ctx.MarkDirty();
  ctx.reply.Ok();
}

// Reaches a function only while it is busy (script_busy.h): other commands wait for it.
void FunctionKillCommand(CommandContext& ctx) {
  scripting::ReplyToKill(ctx.reply, ctx.server.script_runtime(), /*from_eval=*/false);
}

void FunctionHelpCommand(CommandContext& ctx) {
  ReplyHelp(
      ctx, "FUNCTION",
      {"LOAD [REPLACE] <FUNCTION CODE>",
       "    Create a new library with the given library name and code.",
       "DELETE <LIBRARY NAME>",
       "    Delete the given library.",
       "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
       "    Return general information on all the libraries:",
       "    * Library name",
       "    * The engine used to run the Library",
       "    * Library description",
       "    * Functions list",
       "    * Library code (if WITHCODE is given)",
       "    It also possible to get only function that matches a pattern using LIBRARYNAME "
       "argument.",
       "STATS",
       "    Return information about the current function running:",
       "    * Function name",
       "    * Command used to run the function",
       "    * Duration in MS that the function is running",
       "    If no function is running, return nil",
       "    In addition, returns a list of available engines.",
       "KILL",
       "    Kill the current running function.",
       "FLUSH [ASYNC|SYNC]",
       "    Delete all the libraries.",
       "    When called without the optional mode argument, the behavior is determined by the",
       "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
       "    * ASYNC: Asynchronously flush the libraries.",
       "    * SYNC: Synchronously flush the libraries.",
       "DUMP",
       "    Return a serialized payload representing the current libraries, can be restored "
       "using FUNCTION RESTORE command",
       "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
       "    Restore the libraries represented by the given payload, it is possible to give a "
       "restore policy to",
       "    control how to handle existing libraries (default APPEND):",
       "    * FLUSH: delete all existing libraries.",
       "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
       "abort.",
       "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
       "replace the old",
       "      libraries with the new libraries (notice that even on this option there is a "
       "chance of failure",
       "      in case of functions name collision with another library)."});
}

void FcallGeneric(CommandContext& ctx, bool read_only_command) {
  FunctionEngine& engine = ctx.server.functions();
  const FunctionInfo* function = engine.libraries().FindFunction(ctx.args[1]);
  if (function == nullptr) {
    ctx.reply.Error("ERR Function not found");
    return;
  }
  const std::optional<int64_t> key_count = ArgToInt64(ctx.args[2]);
  if (!key_count) {
    ctx.reply.Error("ERR Bad number of keys provided");
    return;
  }
  if (*key_count > static_cast<int64_t>(ctx.args.size()) - 3) {
    ctx.reply.Error("ERR Number of keys can't be greater than number of args");
    return;
  }
  if (*key_count < 0) {
    ctx.reply.Error("ERR Number of keys can't be negative");
    return;
  }
  if (!scripting::ScriptMayStart(ctx, function->flags, read_only_command)) return;
  scripting::ScriptRun run(ctx, engine.client());
  scripting::PrepareRun(run, function->flags, read_only_command);
  run.is_function = true;
  const auto keys = ctx.args.subspan(3, static_cast<size_t>(*key_count));
  const auto args = ctx.args.subspan(3 + static_cast<size_t>(*key_count));
  ctx.server.BeginPropagationBlock();
  engine.Run(*function, run, keys, args);
  if (run.abandoned) {
    ctx.server.DiscardPropagationBlock();
  } else {
    ctx.server.EndPropagationBlock();
  }
}

// The flags of one FCALL call: the function's, or the row's when there is no such function.
uint32_t FcallFlagsForCall(std::span<const std::string_view> args, const ServerState& server,
                           uint32_t declared) {
  const scripting::FunctionInfo* function = server.functions().libraries().FindFunction(args[1]);
  return function == nullptr ? declared
                             : scripting::CommandFlagsForScript(declared, function->flags);
}

void FcallCommand(CommandContext& ctx) { FcallGeneric(ctx, false); }
void FcallRoCommand(CommandContext& ctx) { FcallGeneric(ctx, true); }

constexpr uint32_t kFcallFlags = kNoScript | kSkipMonitor | kNoMandatoryKeys | kStale;

}  // namespace

// clang-format off
std::span<const CommandSpec> FunctionCommandRows() {
  static constexpr CommandSpec kFunctionSubcommands[] = {
      {.name = "function|delete", .arity = 3, .flags = kNoScript | kWrite, .since = "7.0.0",
       .summary = "Deletes a library and its functions.", .handler = FunctionDeleteCommand},
      {.name = "function|dump", .arity = 2, .flags = kNoScript, .since = "7.0.0",
       .summary = "Dumps every library into a serialized payload.",
       .handler = FunctionDumpCommand},
      {.name = "function|flush", .arity = -2, .flags = kNoScript | kWrite, .since = "7.0.0",
       .summary = "Deletes every library.", .handler = FunctionFlushCommand},
      {.name = "function|help", .arity = 2, .flags = kLoading | kStale, .since = "7.0.0",
       .summary = "Describes the FUNCTION subcommands.", .handler = FunctionHelpCommand},
      {.name = "function|kill", .arity = 2, .flags = kNoScript | kAllowBusy, .since = "7.0.0",
       .summary = "Terminates the function in execution.", .handler = FunctionKillCommand},
      {.name = "function|list", .arity = -2, .flags = kNoScript, .since = "7.0.0",
       .summary = "Lists the libraries and their functions.", .handler = FunctionListCommand},
      {.name = "function|load", .arity = -3, .flags = kNoScript | kWrite | kDenyOom,
       .since = "7.0.0", .summary = "Creates a library from its code.",
       .handler = FunctionLoadCommand},
      {.name = "function|restore", .arity = -3, .flags = kNoScript | kWrite | kDenyOom,
       .since = "7.0.0", .summary = "Restores libraries from a FUNCTION DUMP payload.",
       .handler = FunctionRestoreCommand},
      {.name = "function|stats", .arity = 2, .flags = kNoScript | kAllowBusy, .since = "7.0.0",
       .summary = "Describes the function in execution and counts the libraries.",
       .handler = FunctionStatsCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "fcall", .arity = -3, .flags = kFcallFlags | kMayReplicate, .since = "7.0.0",
       .summary = "Invokes a function.", .handler = FcallCommand,
       .flags_for_call = FcallFlagsForCall},
      {.name = "fcall_ro", .arity = -3, .flags = kFcallFlags | kReadOnly, .since = "7.0.0",
       .summary = "Invokes a read-only function.", .handler = FcallRoCommand,
       .flags_for_call = FcallFlagsForCall},
      {.name = "function", .arity = -2, .since = "7.0.0", .summary = "Manages function libraries.",
       .handler = nullptr, .subcommands = kFunctionSubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
