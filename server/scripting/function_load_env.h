// Where function library code runs (Redis 7.0's function_lua.c). Every library's chunk,
// and so every function it defines, has one shared environment: an empty, read-only table
// whose lookups go elsewhere depending on the moment.
//
//  - While FUNCTION LOAD runs the chunk, only the load API is visible: `redis` with
//    register_function, log, the LOG_* levels, REDIS_VERSION and REDIS_VERSION_NUM. Any
//    other name (redis.call, math, pcall...) raises "Script attempted to access nonexistent
//    global variable". The run is aborted with "FUNCTION LOAD timeout" past its time limit.
//  - Afterwards (FCALL), the protected globals of the interpreter: the full `redis` API,
//    and no register_function ("attempt to call field 'register_function' (a nil value)").
//
// Assigning a global raises "Attempt to modify a readonly table" at both moments. The
// environment table is reachable from no script (getfenv, debug and the like are gone).
//
// Engine thread only.
#pragma once

#include <cstdint>
#include <lua.hpp>
#include <string>
#include <string_view>

namespace ember::server::scripting {

class FunctionLibrary;

// Builds the environment in `L`, which must already hold the `redis` API
// (RegisterRedisApi) and protected globals (ProtectGlobals). Call once.
void InstallFunctionEnvironment(lua_State* L);

// Compiles `code` as "@user_function" and runs it once in the load environment; the
// functions it registers are added to `library`. `timeout_ms` 0 means no limit (loading
// from the RDB, the AOF or a restore payload). Returns false with Redis's error text (no
// "ERR " prefix): "Error compiling function: ..." or "Error registering functions: ...".
bool RunLibraryCode(lua_State* L, std::string_view code, FunctionLibrary& library,
                    int64_t timeout_ms, std::string* error);

}  // namespace ember::server::scripting
