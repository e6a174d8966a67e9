#include "server/scripting/script_prepare.h"

#include <string>

#include "server/aof/aof_control.h"
#include "server/command/command_spec.h"
#include "server/core/server_state.h"
#include "server/rdb/rdb_control.h"
#include "server/scripting/script_flags.h"

namespace ember::server::scripting {
namespace {

bool OverMemoryLimit(const ServerState& server) {
  return server.config().maxmemory > 0 &&
         server.MemoryForEviction() > static_cast<uint64_t>(server.config().maxmemory);
}

// A script without declared flags is judged by the commands it calls instead.
bool RefusedBeforeRun(CommandContext& ctx, uint32_t flags, bool read_only_command) {
  if ((flags & kScriptEvalCompatMode) != 0) return false;
  if ((flags & kScriptNoWrites) == 0) {
    std::string aof_error;
    if (WritesRefusedByDiskError(ctx.server)) {
      ctx.reply.Error(
          "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
          "persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only "
          "scripts.");
      return true;
    }
    if (WritesRefusedByAofError(ctx.server, &aof_error)) {
      ctx.reply.Error(
          "MISCONF Redis is configured to persist data to AOF, but it's currently unable to "
          "persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only "
          "scripts. AOF error: " +
          aof_error.substr(aof_error.rfind(": ") + 2));
      return true;
    }
    if (read_only_command) {
      ctx.reply.Error("ERR Can not execute a script with write flag using *_ro command.");
      return true;
    }
  }
  if ((flags & (kScriptAllowOom | kScriptNoWrites)) == 0 && OverMemoryLimit(ctx.server)) {
    ctx.reply.Error(
        "OOM allow-oom flag is not set on the script, can not run it when used memory > "
        "'maxmemory'");
    return true;
  }
  return false;
}

}  // namespace

uint32_t CommandFlagsForScript(uint32_t command_flags, uint32_t script_flags) {
  if ((script_flags & kScriptEvalCompatMode) != 0) return command_flags;
  uint32_t flags = command_flags & ~(kStale | kDenyOom | kWrite | kMayReplicate);
  if ((script_flags & (kScriptAllowOom | kScriptNoWrites)) == 0) flags |= kDenyOom;
  if ((script_flags & kScriptNoWrites) == 0) flags |= kWrite;
  if ((script_flags & kScriptAllowStale) != 0) flags |= kStale;
  return flags;
}

bool ScriptMayStart(CommandContext& ctx, uint32_t flags, bool read_only_command) {
  return !RefusedBeforeRun(ctx, flags, read_only_command);
}

void PrepareRun(ScriptRun& run, uint32_t flags, bool read_only_command) {
  run.client.db_index = run.caller.client.db_index;
  run.client.protocol_version = 2;
  run.client.deny_blocking = true;
  const bool declared = (flags & kScriptEvalCompatMode) == 0;
  run.read_only = read_only_command || (declared && (flags & kScriptNoWrites) != 0);
  run.allow_oom = declared && (flags & kScriptAllowOom) != 0;
  run.oom_at_start = OverMemoryLimit(run.caller.server);
}

}  // namespace ember::server::scripting
