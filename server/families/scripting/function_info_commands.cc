// FUNCTION LIST, STATS, DUMP and RESTORE: the libraries as a whole. LIST and STATS reply in
// Redis 7.0's shapes (maps, flattened in RESP2; flags as a set); DUMP and RESTORE move every
// library in one payload, byte-compatible with redis-server's (persistence/rdb_functions.h).
#include <string>
#include <string_view>
#include <vector>

#include "persistence/rdb_functions.h"
#include "server/command/arg_parsing.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/families/scripting/function_commands.h"
#include "server/scripting/function_engine.h"
#include "server/scripting/function_persistence.h"
#include "server/scripting/script_busy.h"
#include "server/scripting/script_flags.h"
#include "server/scripting/script_run.h"
#include "storage/ops/glob.h"

namespace ember::server {
namespace {

using scripting::FunctionEngine;
using scripting::FunctionInfo;
using scripting::FunctionLibrary;
using scripting::LibrarySet;

// The flags a function declared, in Redis's order, as a set of status strings.
void ReplyFlags(CommandContext& ctx, uint32_t flags) {
  static constexpr std::string_view kNames[] = {"no-writes", "allow-oom", "allow-stale",
                                                "no-cluster", "allow-cross-slot-keys"};
  int64_t count = 0;
  for (std::string_view name : kNames) count += (flags & scripting::ScriptFlagNamed(name)) ? 1 : 0;
  ctx.reply.SetHeader(count);
  for (std::string_view name : kNames) {
    if ((flags & scripting::ScriptFlagNamed(name)) != 0) ctx.reply.SimpleString(name);
  }
}

void ReplyLibrary(CommandContext& ctx, const FunctionLibrary& library, bool with_code) {
  ctx.reply.MapHeader(with_code ? 4 : 3);
  ctx.reply.Bulk("library_name");
  ctx.reply.Bulk(library.name());
  ctx.reply.Bulk("engine");
  ctx.reply.Bulk("LUA");
  ctx.reply.Bulk("functions");
  ctx.reply.ArrayHeader(static_cast<int64_t>(library.functions().size()));
  for (const auto& function : library.functions()) {
    ctx.reply.MapHeader(3);
    ctx.reply.Bulk("name");
    ctx.reply.Bulk(function->name);
    ctx.reply.Bulk("description");
    if (function->description) {
      ctx.reply.Bulk(*function->description);
    } else {
      ctx.reply.Null();
    }
    ctx.reply.Bulk("flags");
    ReplyFlags(ctx, function->flags);
  }
  if (with_code) {
    ctx.reply.Bulk("library_code");
    ctx.reply.Bulk(library.code());
  }
}

}  // namespace

void FunctionListCommand(CommandContext& ctx) {
  bool with_code = false;
  std::optional<std::string_view> pattern;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::string_view arg = ctx.args[i];
    if (!with_code && EqualsIgnoreCase(arg, "withcode")) {
      with_code = true;
    } else if (!pattern && EqualsIgnoreCase(arg, "libraryname")) {
      if (i + 1 >= ctx.args.size()) {
        ctx.reply.Error("ERR library name argument was not given");
        return;
      }
      pattern = ctx.args[++i];
    } else {
      ctx.reply.Error("ERR Unknown argument " + std::string(arg));
      return;
    }
  }
  std::vector<const FunctionLibrary*> listed;
  for (const auto& [name, library] : ctx.server.functions().libraries().libraries()) {
    if (!pattern || storage::GlobMatch(*pattern, name, /*nocase=*/true)) {
      listed.push_back(library.get());
    }
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(listed.size()));
  for (const FunctionLibrary* library : listed) ReplyLibrary(ctx, *library, with_code);
}

void FunctionStatsCommand(CommandContext& ctx) {
  const FunctionEngine& engine = ctx.server.functions();
  if (ctx.server.script_runtime().current_run() != nullptr && engine.running() == nullptr) {
    ctx.reply.Error(scripting::kErrBusyEval);
    return;
  }
  ctx.reply.MapHeader(2);
  ctx.reply.Bulk("running_script");
  if (engine.running() == nullptr) {
    ctx.reply.Null();
  } else {
    ctx.reply.MapHeader(3);
    ctx.reply.Bulk("name");
    ctx.reply.Bulk(engine.running()->name);
    ctx.reply.Bulk("command");
    const auto command = engine.running_run()->caller.args;
    ctx.reply.ArrayHeader(static_cast<int64_t>(command.size()));
    for (std::string_view arg : command) ctx.reply.Bulk(arg);
    ctx.reply.Bulk("duration_ms");
    ctx.reply.Integer(engine.running_ms());
  }
  ctx.reply.Bulk("engines");
  ctx.reply.MapHeader(1);
  ctx.reply.Bulk("LUA");
  ctx.reply.MapHeader(2);
  ctx.reply.Bulk("libraries_count");
  ctx.reply.Integer(static_cast<int64_t>(engine.libraries().library_count()));
  ctx.reply.Bulk("functions_count");
  ctx.reply.Integer(static_cast<int64_t>(engine.libraries().function_count()));
}

void FunctionDumpCommand(CommandContext& ctx) {
  const std::vector<std::string> codes = scripting::FunctionLibraryCodes(ctx.server.functions());
  ctx.reply.Bulk(persistence::EncodeFunctionsPayload(codes, ctx.server.config().rdbcompression));
}

// The payload's libraries are created in a scratch set first, so a bad payload or a
// collision leaves the current libraries as they were.
void FunctionRestoreCommand(CommandContext& ctx) {
  if (ctx.args.size() > 4) {
    ctx.reply.Error(SubcommandSyntaxError("FUNCTION", ctx.args[1]));
    return;
  }
  enum class Policy { kAppend, kReplace, kFlush } policy = Policy::kAppend;
  if (ctx.args.size() == 4) {
    const std::string_view word = ctx.args[3];
    if (EqualsIgnoreCase(word, "append")) {
      policy = Policy::kAppend;
    } else if (EqualsIgnoreCase(word, "replace")) {
      policy = Policy::kReplace;
    } else if (EqualsIgnoreCase(word, "flush")) {
      policy = Policy::kFlush;
    } else {
      ctx.reply.Error(
          "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
      return;
    }
  }
  std::vector<std::string> codes;
  persistence::Status s = persistence::DecodeFunctionsPayload(ctx.args[2], &codes);
  if (!s.ok()) {
    ctx.reply.Error("ERR " + s.message());
    return;
  }
  FunctionEngine& engine = ctx.server.functions();
  LibrarySet restored;
  std::string error;
  for (const std::string& code : codes) {
    if (!engine.Create(code, /*replace=*/false, /*timeout_ms=*/0, restored, &error)) {
      ctx.reply.Error("ERR " + error);
      return;
    }
  }
  if (policy == Policy::kFlush) {
    engine.libraries() = std::move(restored);
  } else if (!engine.libraries().Join(restored, policy == Policy::kReplace, &error)) {
    ctx.reply.Error("ERR " + error);
    return;
  }
  ctx.MarkDirty();
  ctx.reply.Ok();
}

}  // namespace ember::server
