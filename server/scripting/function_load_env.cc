#include "server/scripting/function_load_env.h"

#include <strings.h>

#include <cctype>
#include <chrono>
#include <optional>

#include "server/scripting/function_library.h"
#include "server/scripting/lua_errors.h"
#include "server/scripting/lua_sandbox.h"
#include "server/scripting/script_flags.h"

namespace ember::server::scripting {
namespace {

// Registry fields.
constexpr const char* kEnvMeta = "ember.fn.env_meta";  // the environment's metatable
constexpr const char* kEnv = "ember.fn.env";
constexpr const char* kLoadApi = "ember.fn.load_api";  // proxy of the load-time globals
constexpr const char* kGlobals = "ember.fn.globals";   // the protected globals
constexpr const char* kLoadRun = "ember.fn.load_run";  // LoadRun*, only while loading

// Redis checks the time every 100,000 instructions.
constexpr int kHookInstructions = 100'000;

struct LoadRun {
  FunctionLibrary* library;
  std::chrono::steady_clock::time_point start;
  int64_t timeout_ms;
};

LoadRun* CurrentLoad(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kLoadRun);
  auto* run = static_cast<LoadRun*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return run;
}

int Raise(lua_State* L, std::string_view text) {
  PushErrorTable(L, text);
  return lua_error(L);
}

// __index of the load-time tables: what they do not hold does not exist.
int MissingName(lua_State* L) {
  if (!lua_isstring(L, 2)) {
    return luaL_error(L, "Second argument to luaProtectedTableError must be a string or number");
  }
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                    lua_tostring(L, 2));
}

int ReadonlyEnvironment(lua_State* L) {
  return luaL_error(L, "Attempt to modify a readonly table");
}

// Gives the table on top a metatable whose __index raises MissingName, then replaces it by
// its read-only proxy.
void SealLoadTable(lua_State* L) {
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, MissingName);
  lua_setfield(L, -2, "__index");
  PushReadOnlyProxy(L, -1);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  PushReadOnlyProxy(L, -1);
  lua_remove(L, -2);
}

std::optional<std::string> StringAt(lua_State* L, int index) {
  if (!lua_isstring(L, index)) return std::nullopt;
  size_t length = 0;
  const char* text = lua_tolstring(L, index, &length);
  return std::string(text, length);
}

// The flags table on top: every entry 1..n must name a flag (any case).
bool ReadFlags(lua_State* L, uint32_t* flags) {
  *flags = 0;
  for (int i = 1;; ++i) {
    lua_pushinteger(L, i);
    lua_gettable(L, -2);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      return true;
    }
    std::optional<std::string> name = StringAt(L, -1);
    lua_pop(L, 1);
    if (!name) return false;
    for (char& c : *name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const uint32_t flag = ScriptFlagNamed(*name);
    if (flag == 0) return false;
    *flags |= flag;
  }
}

struct Registration {
  std::string name;
  std::optional<std::string> description;
  uint32_t flags = 0;
  std::optional<int> callback_ref;
};

// redis.register_function{function_name=..., callback=..., flags={...}, description=...}.
// Returns "" or the error; the callback reference is released on error.
std::string ReadNamedArgs(lua_State* L, Registration* out) {
  if (!lua_istable(L, 1)) {
    return "calling redis.register_function with a single argument is only applicable to Lua "
           "table (representing named arguments).";
  }
  std::optional<std::string> name;
  std::string error;
  lua_pushnil(L);
  while (error.empty() && lua_next(L, 1)) {
    lua_pushvalue(L, -2);  // a copy: converting the key itself would derail lua_next
    std::optional<std::string> key = StringAt(L, -1);
    lua_pop(L, 1);
    if (!key) {
      error = "named argument key given to redis.register_function is not a string";
    } else if (::strcasecmp(key->c_str(), "function_name") == 0) {
      name = StringAt(L, -1);
      if (!name) error = "function_name argument given to redis.register_function must be a string";
    } else if (::strcasecmp(key->c_str(), "description") == 0) {
      out->description = StringAt(L, -1);
      if (!out->description) {
        error = "description argument given to redis.register_function must be a string";
      }
    } else if (::strcasecmp(key->c_str(), "callback") == 0) {
      if (!lua_isfunction(L, -1)) {
        error = "callback argument given to redis.register_function must be a function";
      } else {
        if (out->callback_ref) luaL_unref(L, LUA_REGISTRYINDEX, *out->callback_ref);
        out->callback_ref = luaL_ref(L, LUA_REGISTRYINDEX);  // pops the value
        continue;
      }
    } else if (::strcasecmp(key->c_str(), "flags") == 0) {
      if (!lua_istable(L, -1)) {
        error =
            "flags argument to redis.register_function must be a table representing function "
            "flags";
      } else if (!ReadFlags(L, &out->flags)) {
        error = "unknown flag given";
      }
    } else {
      error = "unknown argument given to redis.register_function";
    }
    lua_pop(L, 1);
  }
  if (error.empty() && !name) error = "redis.register_function must get a function name argument";
  if (error.empty() && !out->callback_ref) {
    error = "redis.register_function must get a callback argument";
  }
  if (!error.empty()) {
    if (out->callback_ref) luaL_unref(L, LUA_REGISTRYINDEX, *out->callback_ref);
    return error;
  }
  out->name = std::move(*name);
  return "";
}

// redis.register_function(name, callback).
std::string ReadPositionalArgs(lua_State* L, Registration* out) {
  std::optional<std::string> name = StringAt(L, 1);
  if (!name) return "first argument to redis.register_function must be a string";
  if (!lua_isfunction(L, 2)) return "second argument to redis.register_function must be a function";
  lua_settop(L, 2);
  out->callback_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  out->name = std::move(*name);
  return "";
}

int RegisterFunction(lua_State* L) {
  LoadRun* run = CurrentLoad(L);
  if (run == nullptr) {
    return Raise(L, "redis.register_function can only be called on FUNCTION LOAD command");
  }
  const int argc = lua_gettop(L);
  if (argc < 1 || argc > 2) return Raise(L, "wrong number of arguments to redis.register_function");
  Registration registration;
  std::string error =
      argc == 1 ? ReadNamedArgs(L, &registration) : ReadPositionalArgs(L, &registration);
  if (error.empty()) {
    run->library->AddFunction(std::move(registration.name), std::move(registration.description),
                              registration.flags, *registration.callback_ref, &error);
  }
  if (!error.empty()) return Raise(L, error);
  return 0;
}

void LoadHook(lua_State* L, lua_Debug*) {
  const LoadRun* run = CurrentLoad(L);
  if (run == nullptr || run->timeout_ms <= 0) return;
  const auto elapsed = std::chrono::steady_clock::now() - run->start;
  if (elapsed > std::chrono::milliseconds(run->timeout_ms)) {
    lua_sethook(L, LoadHook, LUA_MASKLINE, 0);
    Raise(L, "FUNCTION LOAD timeout");
  }
}

// Points the environment's lookups at the registry table `source`.
void SetLookups(lua_State* L, const char* source) {
  lua_getfield(L, LUA_REGISTRYINDEX, kEnvMeta);
  lua_getfield(L, LUA_REGISTRYINDEX, source);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

// What a failed load run left on top, as Redis's luaExtractErrorInformation reads it.
std::string LoadErrorMessage(lua_State* L) {
  std::string message = "(null)";
  if (lua_isstring(L, -1)) {
    message = "ERR " + *StringAt(L, -1);
  } else if (lua_istable(L, -1)) {
    lua_getfield(L, -1, "err");
    if (lua_isstring(L, -1)) message = *StringAt(L, -1);
    lua_pop(L, 1);
  }
  return message;
}

}  // namespace

void InstallFunctionEnvironment(lua_State* L) {
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  lua_setfield(L, LUA_REGISTRYINDEX, kGlobals);

  // The load-time `redis`: register_function plus what the full API shares with it.
  lua_createtable(L, 0, 8);
  lua_pushcfunction(L, RegisterFunction);
  lua_setfield(L, -2, "register_function");
  lua_getglobal(L, "redis");
  for (const char* field : {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING",
                            "REDIS_VERSION", "REDIS_VERSION_NUM"}) {
    lua_getfield(L, -1, field);
    lua_setfield(L, -3, field);
  }
  lua_pop(L, 1);
  SealLoadTable(L);
  lua_createtable(L, 0, 1);  // the load-time globals
  lua_insert(L, -2);
  lua_setfield(L, -2, "redis");
  SealLoadTable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kLoadApi);

  lua_newtable(L);           // the environment
  lua_createtable(L, 0, 3);  // its metatable
  lua_pushcfunction(L, ReadonlyEnvironment);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kEnvMeta);
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kEnv);
  SetLookups(L, kGlobals);
}

bool RunLibraryCode(lua_State* L, std::string_view code, FunctionLibrary& library,
                    int64_t timeout_ms, std::string* error) {
  if (luaL_loadbuffer(L, code.data(), code.size(), "@user_function") != 0) {
    *error = std::string("Error compiling function: ") + lua_tostring(L, -1);
    lua_pop(L, 1);
    return false;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kEnv);
  lua_setfenv(L, -2);
  LoadRun run{&library, std::chrono::steady_clock::now(), timeout_ms};
  lua_pushlightuserdata(L, &run);
  lua_setfield(L, LUA_REGISTRYINDEX, kLoadRun);
  SetLookups(L, kLoadApi);
  lua_sethook(L, LoadHook, LUA_MASKCOUNT, kHookInstructions);
  const bool ok = lua_pcall(L, 0, 0, 0) == 0;
  lua_sethook(L, nullptr, 0, 0);
  SetLookups(L, kGlobals);
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kLoadRun);
  if (!ok) {
    *error = "Error registering functions: " + LoadErrorMessage(L);
    lua_pop(L, 1);
  }
  return ok;
}

}  // namespace ember::server::scripting
