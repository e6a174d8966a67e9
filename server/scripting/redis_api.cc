#include "server/scripting/redis_api.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "protocol/redis_version.h"
#include "server/core/logger.h"
#include "server/scripting/lua_errors.h"
#include "server/scripting/reply_to_lua.h"
#include "server/scripting/script_run.h"
#include "server/scripting/script_runtime.h"
#include "server/scripting/sha1_hex.h"

namespace ember::server::scripting {
namespace {

// Redis's log levels (LL_DEBUG .. LL_WARNING).
constexpr int kLogDebug = 0;
constexpr int kLogVerbose = 1;
constexpr int kLogNotice = 2;
constexpr int kLogWarning = 3;
// REDIS_VERSION_NUM: 0x00MMmmpp of the version Ember answers as (7.0.15).
constexpr int kRedisVersionNum = (7 << 16) | (0 << 8) | 15;

ScriptRuntime& RuntimeOf(lua_State* L) {
  return *static_cast<ScriptRuntime*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// Raises the error table for `text` (see PushErrorTable).
int RaiseError(lua_State* L, std::string_view text) {
  PushErrorTable(L, text);
  return lua_error(L);
}

// Collects the call's arguments into scratch.arguments: strings as they are, numbers as
// Redis prints them (%.17g, so 10 is "10" and 0.1 keeps its digits). False on any other
// type. The views point into the Lua stack: valid until the arguments are popped.
bool CollectArguments(lua_State* L, ScriptRuntime::CallScratch& scratch) {
  const int argc = lua_gettop(L);
  scratch.arguments.clear();
  if (scratch.number_arguments.size() < static_cast<size_t>(argc)) {
    scratch.number_arguments.resize(static_cast<size_t>(argc));
  }
  for (int i = 1; i <= argc; ++i) {
    if (lua_type(L, i) == LUA_TNUMBER) {
      std::string& text = scratch.number_arguments[static_cast<size_t>(i - 1)];
      char digits[64];
      const int length = std::snprintf(digits, sizeof(digits), "%.17g", lua_tonumber(L, i));
      text.assign(digits, static_cast<size_t>(length));
      scratch.arguments.emplace_back(text);
      continue;
    }
    size_t length = 0;
    const char* text = lua_tolstring(L, i, &length);
    if (text == nullptr) return false;
    scratch.arguments.emplace_back(text, length);
  }
  return true;
}

// redis.call (raise = true) and redis.pcall (raise = false).
int CallCommand(lua_State* L, bool raise) {
  ScriptRun* run = RuntimeOf(L).current_run();
  if (run == nullptr) {
    return RaiseError(L, "redis.call/pcall can only be called inside a script invocation");
  }
  if (lua_gettop(L) == 0) {
    PushErrorTable(L, "Please specify at least one argument for this redis lib call");
    return raise ? lua_error(L) : 1;
  }
  ScriptRuntime::CallScratch& scratch = RuntimeOf(L).scratch();
  if (!CollectArguments(L, scratch)) {
    PushErrorTable(L, "Lua redis lib command arguments must be strings or integers");
    return raise ? lua_error(L) : 1;
  }
  std::string error;
  const bool ran = CallFromScript(*run, scratch.arguments, &scratch.reply, &error);
  lua_settop(L, 0);
  if (!ran) {
    PushCountedErrorTable(L, error);
    return raise ? lua_error(L) : 1;
  }
  const bool failed = PushReplyAsLua(L, scratch.reply);
  return raise && failed ? lua_error(L) : 1;
}

int AclCheckCommand(lua_State* L) {
  ScriptRun* run = RuntimeOf(L).current_run();
  if (run == nullptr) {
    return RaiseError(L, "redis.acl_check_cmd can only be called inside a script invocation");
  }
  if (lua_gettop(L) == 0) {
    return RaiseError(L, "Please specify at least one argument for this redis lib call");
  }
  ScriptRuntime::CallScratch& scratch = RuntimeOf(L).scratch();
  if (!CollectArguments(L, scratch)) {
    return RaiseError(L, "Lua redis lib command arguments must be strings or integers");
  }
  if (!CommandExistsForScript(*run, scratch.arguments)) {
    return RaiseError(L, "Invalid command passed to redis.acl_check_cmd()");
  }
  lua_pushboolean(L, 1);
  return 1;
}

int RedisCall(lua_State* L) { return CallCommand(L, true); }
int RedisPcall(lua_State* L) { return CallCommand(L, false); }

int Sha1hex(lua_State* L) {
  if (lua_gettop(L) != 1) return RaiseError(L, "wrong number of arguments");
  size_t length = 0;
  const char* text = lua_tolstring(L, 1, &length);
  const std::string hex =
      Sha1Hex(text == nullptr ? std::string_view() : std::string_view(text, length));
  lua_pushlstring(L, hex.data(), hex.size());
  return 1;
}

int ErrorReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  std::string_view text = lua_tostring(L, -1);
  PushErrorTable(L, text.starts_with('-') ? std::string(text) : "-" + std::string(text));
  return 1;
}

int StatusReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "ok");
  return 1;
}

int RedisLog(lua_State* L) {
  const int argc = lua_gettop(L);
  if (argc < 2) return RaiseError(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1)) return RaiseError(L, "First argument must be a number (log level).");
  const auto level = static_cast<int>(lua_tonumber(L, 1));
  if (level < kLogDebug || level > kLogWarning) return RaiseError(L, "Invalid debug level.");
  std::string line;
  for (int i = 2; i <= argc; ++i) {
    size_t length = 0;
    const char* text = lua_tolstring(L, i, &length);
    if (text == nullptr) continue;
    if (i != 2) line.push_back(' ');
    line.append(text, length);
  }
  static constexpr LogLevel kLevels[] = {LogLevel::kDebug, LogLevel::kVerbose, LogLevel::kNotice,
                                         LogLevel::kWarning};
  Log(kLevels[level], "{}", line);
  return 0;
}

int SetResp(lua_State* L) {
  ScriptRun* run = RuntimeOf(L).current_run();
  if (run == nullptr) {
    return RaiseError(L, "redis.setresp can only be called inside a script invocation");
  }
  if (lua_gettop(L) != 1) return RaiseError(L, "redis.setresp() requires one argument.");
  const auto resp = static_cast<int>(lua_tonumber(L, 1));
  if (resp != 2 && resp != 3) return RaiseError(L, "RESP version must be 2 or 3.");
  run->client.protocol_version = resp;
  return 0;
}

int SetRepl(lua_State* L) {
  ScriptRun* run = RuntimeOf(L).current_run();
  if (run == nullptr) {
    return RaiseError(L, "redis.set_repl can only be called inside a script invocation");
  }
  if (lua_gettop(L) != 1) return RaiseError(L, "redis.set_repl() requires two arguments.");
  const auto targets = static_cast<int>(lua_tonumber(L, 1));
  if ((targets & ~ServerState::kPropagateAll) != 0) {
    return RaiseError(
        L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  }
  run->propagation_targets = targets;
  return 0;
}

// Effects replication is the only mode since Redis 7.0: kept for old scripts.
int ReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

// The debugger (SCRIPT DEBUG) is not offered: outside it these do nothing, as in Redis.
int Breakpoint(lua_State* L) {
  lua_pushboolean(L, 0);
  return 1;
}
int Debug(lua_State*) { return 0; }

// Redis's pcall: an error table raised inside comes back as its message.
int Pcall(lua_State* L) {
  luaL_checkany(L, 1);
  const int argc = lua_gettop(L);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0) {
    lua_remove(L, 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) lua_replace(L, -2);
    }
    lua_pushboolean(L, 0);
    lua_insert(L, 1);
  }
  return lua_gettop(L);
}

int MathRandom(lua_State* L) {
  const double r = RuntimeOf(L).random().NextUnit();
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      const int upper = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= upper, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * upper) + 1);
      break;
    }
    case 2: {
      const int lower = luaL_checkint(L, 1);
      const int upper = luaL_checkint(L, 2);
      luaL_argcheck(L, lower <= upper, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (upper - lower + 1)) + lower);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

int MathRandomSeed(lua_State* L) {
  RuntimeOf(L).random().Seed(luaL_checkint(L, 1));
  return 0;
}

void SetFunction(lua_State* L, const char* name, lua_CFunction function, ScriptRuntime& runtime) {
  lua_pushlightuserdata(L, &runtime);
  lua_pushcclosure(L, function, 1);
  lua_setfield(L, -2, name);
}

void SetNumber(lua_State* L, const char* name, lua_Number value) {
  lua_pushnumber(L, value);
  lua_setfield(L, -2, name);
}

}  // namespace

void RegisterRedisApi(lua_State* L, ScriptRuntime& runtime) {
  lua_pushlightuserdata(L, &runtime);
  lua_pushcclosure(L, Pcall, 1);
  lua_setglobal(L, "pcall");

  lua_newtable(L);
  SetFunction(L, "call", RedisCall, runtime);
  SetFunction(L, "pcall", RedisPcall, runtime);
  SetFunction(L, "log", RedisLog, runtime);
  SetNumber(L, "LOG_DEBUG", kLogDebug);
  SetNumber(L, "LOG_VERBOSE", kLogVerbose);
  SetNumber(L, "LOG_NOTICE", kLogNotice);
  SetNumber(L, "LOG_WARNING", kLogWarning);
  SetNumber(L, "REDIS_VERSION_NUM", kRedisVersionNum);
  lua_pushlstring(L, protocol::kCompatibleRedisVersion.data(),
                  protocol::kCompatibleRedisVersion.size());
  lua_setfield(L, -2, "REDIS_VERSION");
  SetFunction(L, "setresp", SetResp, runtime);
  SetFunction(L, "sha1hex", Sha1hex, runtime);
  SetFunction(L, "error_reply", ErrorReply, runtime);
  SetFunction(L, "status_reply", StatusReply, runtime);
  SetFunction(L, "set_repl", SetRepl, runtime);
  SetNumber(L, "REPL_NONE", 0);
  SetNumber(L, "REPL_AOF", ServerState::kPropagateAof);
  SetNumber(L, "REPL_SLAVE", ServerState::kPropagateReplicas);
  SetNumber(L, "REPL_REPLICA", ServerState::kPropagateReplicas);
  SetNumber(L, "REPL_ALL", ServerState::kPropagateAll);
  SetFunction(L, "acl_check_cmd", AclCheckCommand, runtime);
  SetFunction(L, "breakpoint", Breakpoint, runtime);
  SetFunction(L, "debug", Debug, runtime);
  SetFunction(L, "replicate_commands", ReplicateCommands, runtime);
  lua_setglobal(L, "redis");

  lua_getglobal(L, "math");
  SetFunction(L, "random", MathRandom, runtime);
  SetFunction(L, "randomseed", MathRandomSeed, runtime);
  lua_pop(L, 1);
}

}  // namespace ember::server::scripting
