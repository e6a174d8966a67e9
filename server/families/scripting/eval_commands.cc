// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO: run a Lua script (server/scripting/) with its keys and
// arguments. The checks before the run are Redis 7.0's evalGenericCommand: the key count,
// the script's presence or compilation; then those its flags bring (script_prepare.h).
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/scripting/script_engine.h"
#include "server/scripting/script_flags.h"
#include "server/scripting/script_prepare.h"
#include "server/scripting/script_run.h"

namespace ember::server {
namespace {

using scripting::Script;
using scripting::ScriptRun;

constexpr std::string_view kErrNoScript = "NOSCRIPT No matching script. Please use EVAL.";

void RunScript(CommandContext& ctx, const Script& script, int64_t key_count,
               bool read_only_command) {
  if (!scripting::ScriptMayStart(ctx, script.flags, read_only_command)) return;
  scripting::ScriptEngine& engine = ctx.server.scripts();
  ScriptRun run(ctx, engine.client());
  scripting::PrepareRun(run, script.flags, read_only_command);
  const auto keys = ctx.args.subspan(3, static_cast<size_t>(key_count));
  const auto args = ctx.args.subspan(3 + static_cast<size_t>(key_count));
  ctx.server.BeginPropagationBlock();
  engine.Run(script, run, keys, args);
  if (run.abandoned) {
    ctx.server.DiscardPropagationBlock();
  } else {
    ctx.server.EndPropagationBlock();
  }
}

void EvalGeneric(CommandContext& ctx, bool by_sha, bool read_only_command) {
  if (by_sha && ctx.args[1].size() != 40) {
    ctx.reply.Error(kErrNoScript);
    return;
  }
  const std::optional<int64_t> parsed_key_count = ArgToInt64(ctx.args[2]);
  if (!parsed_key_count) {
    ctx.reply.Error(kErrNotInteger);
    return;
  }
  const int64_t key_count = *parsed_key_count;
  if (key_count > static_cast<int64_t>(ctx.args.size()) - 3) {
    ctx.reply.Error("ERR Number of keys can't be greater than number of args");
    return;
  }
  if (key_count < 0) {
    ctx.reply.Error("ERR Number of keys can't be negative");
    return;
  }
  scripting::ScriptEngine& engine = ctx.server.scripts();
  const Script* script = nullptr;
  if (by_sha) {
    script = engine.Find(ctx.args[1]);
    if (script == nullptr) {
      ctx.reply.Error(kErrNoScript);
      return;
    }
  } else {
    std::string error;
    script = engine.Load(ctx.args[1], &error);
    if (script == nullptr) {
      ctx.reply.Error("ERR " + error);
      return;
    }
  }
  RunScript(ctx, *script, key_count, read_only_command);
}

// The flags of one EVAL call: its body's shebang (a cached script has the same).
uint32_t EvalFlagsForCall(std::span<const std::string_view> args, const ServerState&,
                          uint32_t declared) {
  scripting::Shebang shebang;
  std::string error;
  if (!scripting::ParseShebang(args[1], &shebang, &error)) return declared;
  return scripting::CommandFlagsForScript(declared, shebang.flags);
}

// EVALSHA's: the cached script's, or the row's when it is not cached.
uint32_t EvalShaFlagsForCall(std::span<const std::string_view> args, const ServerState& server,
                             uint32_t declared) {
  if (args[1].size() != 40) return declared;
  const Script* script = server.scripts().Find(args[1]);
  return script == nullptr ? declared : scripting::CommandFlagsForScript(declared, script->flags);
}

void EvalCommand(CommandContext& ctx) { EvalGeneric(ctx, false, false); }
void EvalShaCommand(CommandContext& ctx) { EvalGeneric(ctx, true, false); }
void EvalRoCommand(CommandContext& ctx) { EvalGeneric(ctx, false, true); }
void EvalShaRoCommand(CommandContext& ctx) { EvalGeneric(ctx, true, true); }

constexpr uint32_t kEvalFlags = kNoScript | kStale | kSkipMonitor | kNoMandatoryKeys;

}  // namespace

// clang-format off
std::span<const CommandSpec> EvalCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "eval", .arity = -3, .flags = kEvalFlags | kMayReplicate, .since = "2.6.0",
       .summary = "Executes a server-side Lua script.", .handler = EvalCommand,
       .flags_for_call = EvalFlagsForCall},
      {.name = "evalsha", .arity = -3, .flags = kEvalFlags | kMayReplicate, .since = "2.6.0",
       .summary = "Executes a server-side Lua script by SHA1 digest.", .handler = EvalShaCommand,
       .flags_for_call = EvalShaFlagsForCall},
      {.name = "eval_ro", .arity = -3, .flags = kEvalFlags | kReadOnly, .since = "7.0.0",
       .summary = "Executes a read-only server-side Lua script.", .handler = EvalRoCommand,
       .flags_for_call = EvalFlagsForCall},
      {.name = "evalsha_ro", .arity = -3, .flags = kEvalFlags | kReadOnly, .since = "7.0.0",
       .summary = "Executes a read-only server-side Lua script by SHA1 digest.",
       .handler = EvalShaRoCommand, .flags_for_call = EvalShaFlagsForCall},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
