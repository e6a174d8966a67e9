// The `redis` table scripts call into (redis.call, pcall, error_reply, status_reply,
// sha1hex, log, setresp, set_repl, replicate_commands, breakpoint, debug, the LOG_* and
// REPL_* constants, REDIS_VERSION), the global pcall that reports error tables as their
// message, and the deterministic math.random / math.randomseed. Texts and conversions are
// Redis 7.0's (script_lua.c).
//
// Engine thread only.
#pragma once

#include <lua.hpp>

namespace ember::server::scripting {

class ScriptRuntime;

// Registers the table and the replaced globals in `L`, bound to `runtime` (whose
// current_run() the functions act on). Call before ProtectGlobals.
void RegisterRedisApi(lua_State* L, ScriptRuntime& runtime);

}  // namespace ember::server::scripting
