#include "server/scripting/script_engine.h"

#include <array>
#include <cctype>
#include <lua.hpp>

#include "server/core/ascii.h"
#include "server/scripting/lua_errors.h"
#include "server/scripting/lua_sandbox.h"
#include "server/scripting/lua_to_reply.h"
#include "server/scripting/redis_api.h"
#include "server/scripting/script_busy.h"
#include "server/scripting/script_flags.h"
#include "server/scripting/script_run.h"
#include "server/scripting/sha1_hex.h"

namespace ember::server::scripting {
namespace {

// Redis steps the collector every this many runs, so garbage from short scripts is
// reclaimed without a full collection on the hot path.
constexpr uint32_t kRunsPerGcStep = 50;
// What a cached script costs besides its body: the key, the entry and its index slot.
constexpr size_t kScriptOverheadBytes = 40 + sizeof(Script) + 3 * sizeof(void*);

}  // namespace

ScriptEngine::ScriptEngine(ScriptRuntime& runtime) : runtime_(runtime) {
  client_.address = kScriptClientAddress;
  client_.is_script = true;
}

ScriptEngine::~ScriptEngine() { CloseLua(); }

lua_State* ScriptEngine::Lua() {
  if (lua_ != nullptr) return lua_;
  lua_ = NewScriptState();
  RegisterRedisApi(lua_, runtime_);
  ProtectGlobals(lua_);
  WatchForBusy(lua_, runtime_);
  lua_pushcfunction(lua_, ScriptErrorHandler);
  error_handler_ref_ = luaL_ref(lua_, LUA_REGISTRYINDEX);
  return lua_;
}

void ScriptEngine::CloseLua() {
  if (lua_ != nullptr) lua_close(lua_);
  lua_ = nullptr;
}

const Script* ScriptEngine::Load(std::string_view body, std::string* error) {
  std::string sha = Sha1Hex(body);
  if (auto it = scripts_.find(sha); it != scripts_.end()) return &it->second;
  Shebang shebang;
  if (!ParseShebang(body, &shebang, error)) return nullptr;
  lua_State* L = Lua();
  const std::string_view code = body.substr(shebang.length);
  if (luaL_loadbuffer(L, code.data(), code.size(), "@user_script") != 0) {
    *error = std::string("Error compiling script (new function): ") + lua_tostring(L, -1);
    lua_pop(L, 1);
    return nullptr;
  }
  Script script;
  script.function_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  script.sha = sha;
  script.body = std::string(body);
  script.flags = shebang.flags;
  scripts_memory_ += body.size() + kScriptOverheadBytes;
  return &scripts_.emplace(std::move(sha), std::move(script)).first->second;
}

const Script* ScriptEngine::Find(std::string_view sha) const {
  if (sha.size() != 40) return nullptr;
  std::array<char, 40> lower;
  for (size_t i = 0; i < sha.size(); ++i) {
    lower[i] = AsciiLower(sha[i]);
  }
  auto it = scripts_.find(std::string_view(lower.data(), lower.size()));
  return it == scripts_.end() ? nullptr : &it->second;
}

void ScriptEngine::Flush() {
  scripts_.clear();
  scripts_memory_ = 0;
  CloseLua();
}

void ScriptEngine::Run(const Script& script, ScriptRun& run, std::span<const std::string_view> keys,
                       std::span<const std::string_view> args) {
  lua_State* L = Lua();
  run.name = script.sha;
  ScriptRuntime::RunScope in_progress(runtime_, run);
  BusyWatch watch(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, error_handler_ref_);
  lua_rawgeti(L, LUA_REGISTRYINDEX, script.function_ref);
  PushStringArray(L, keys);
  SetRawGlobal(L, "KEYS");
  PushStringArray(L, args);
  SetRawGlobal(L, "ARGV");
  const bool failed = lua_pcall(L, 0, 1, -2) != 0;
  run.caller.client.error_reply_counted = ErrorAlreadyCounted(L);
  if (failed) {
    run.caller.reply.Error(ScriptErrorReply(L, script.sha));
    lua_pop(L, 1);
  } else {
    ReplyWithLuaValue(L, run.caller.reply, run.client.protocol_version);
  }
  lua_pop(L, 1);  // the error handler
  if (++runs_since_gc_step_ == kRunsPerGcStep) {
    lua_gc(L, LUA_GCSTEP, static_cast<int>(kRunsPerGcStep));
    runs_since_gc_step_ = 0;
  }
}

size_t ScriptEngine::lua_memory_bytes() const {
  if (lua_ == nullptr) return 0;
  return static_cast<size_t>(lua_gc(lua_, LUA_GCCOUNT, 0)) * 1024;
}

}  // namespace ember::server::scripting
