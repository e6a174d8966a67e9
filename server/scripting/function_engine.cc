#include "server/scripting/function_engine.h"

#include <fmt/format.h>
#include <strings.h>

#include <lua.hpp>
#include <memory>

#include "server/scripting/function_load_env.h"
#include "server/scripting/library_metadata.h"
#include "server/scripting/lua_errors.h"
#include "server/scripting/lua_sandbox.h"
#include "server/scripting/lua_to_reply.h"
#include "server/scripting/redis_api.h"
#include "server/scripting/script_busy.h"
#include "server/scripting/script_run.h"

namespace ember::server::scripting {
namespace {

// As for EVAL: a collector step every this many runs.
constexpr uint32_t kRunsPerGcStep = 50;

}  // namespace

FunctionEngine::FunctionEngine(ScriptRuntime& runtime) : runtime_(runtime) {
  client_.address = kScriptClientAddress;
  client_.is_script = true;
}

FunctionEngine::~FunctionEngine() {
  libraries_.Clear();
  if (lua_ != nullptr) lua_close(lua_);
}

lua_State* FunctionEngine::Lua() {
  if (lua_ != nullptr) return lua_;
  lua_ = NewScriptState();
  RegisterRedisApi(lua_, runtime_);
  ProtectGlobals(lua_);
  InstallFunctionEnvironment(lua_);
  WatchForBusy(lua_, runtime_);
  return lua_;
}

std::optional<std::string> FunctionEngine::Create(std::string_view code, bool replace,
                                                  int64_t timeout_ms, LibrarySet& into,
                                                  std::string* error) {
  LibraryMetadata metadata;
  if (!ParseLibraryMetadata(code, &metadata, error)) return std::nullopt;
  if (!IsValidFunctionName(metadata.name)) {
    *error = kErrBadLibraryName;
    return std::nullopt;
  }
  if (::strcasecmp(metadata.engine.c_str(), "lua") != 0) {
    *error = fmt::format("Engine '{}' not found", metadata.engine);
    return std::nullopt;
  }
  if (!replace && into.FindLibrary(metadata.name) != nullptr) {
    *error = fmt::format("Library '{}' already exists", metadata.name);
    return std::nullopt;
  }
  lua_State* L = Lua();
  auto library = std::make_unique<FunctionLibrary>(L, metadata.name, std::string(code));
  if (!RunLibraryCode(L, metadata.code, *library, timeout_ms, error)) return std::nullopt;
  if (library->functions().empty()) {
    *error = "No functions registered";
    return std::nullopt;
  }
  if (!into.Add(std::move(library), replace, error)) return std::nullopt;
  return metadata.name;
}

void FunctionEngine::Run(const FunctionInfo& function, ScriptRun& run,
                         std::span<const std::string_view> keys,
                         std::span<const std::string_view> args) {
  lua_State* L = Lua();
  run.name = function.name;
  ScriptRuntime::RunScope in_progress(runtime_, run);
  BusyWatch watch(L);
  running_ = &function;
  running_run_ = &run;
  run_start_ = std::chrono::steady_clock::now();
  lua_pushcfunction(L, ScriptErrorHandler);
  lua_rawgeti(L, LUA_REGISTRYINDEX, function.function_ref);
  PushStringArray(L, keys);
  PushStringArray(L, args);
  const bool failed = lua_pcall(L, 2, 1, -4) != 0;
  run.caller.client.error_reply_counted = ErrorAlreadyCounted(L);
  if (failed) {
    run.caller.reply.Error(ScriptErrorReply(L, function.name));
  } else {
    ReplyWithLuaValue(L, run.caller.reply, run.client.protocol_version);
    lua_pushnil(L);  // ReplyWithLuaValue popped the result: keep the stack shape
  }
  lua_pop(L, 2);  // the error (or placeholder) and the error handler
  running_ = nullptr;
  running_run_ = nullptr;
  if (++runs_since_gc_step_ == kRunsPerGcStep) {
    lua_gc(L, LUA_GCSTEP, static_cast<int>(kRunsPerGcStep));
    runs_since_gc_step_ = 0;
  }
}

int64_t FunctionEngine::running_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               run_start_)
      .count();
}

size_t FunctionEngine::lua_memory_bytes() const {
  if (lua_ == nullptr) return 0;
  return static_cast<size_t>(lua_gc(lua_, LUA_GCCOUNT, 0)) * 1024;
}

}  // namespace ember::server::scripting
