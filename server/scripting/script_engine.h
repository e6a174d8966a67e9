// ScriptEngine: the Lua interpreter scripts run in and the cache of scripts by SHA-1
// (EVAL, EVALSHA, SCRIPT LOAD / EXISTS / FLUSH). A script is compiled once, when first
// seen, and kept until SCRIPT FLUSH, which also replaces the interpreter (as Redis's
// scriptingReset does) so nothing a script left behind survives a flush.
//
// Running a script: the caller prepares a ScriptRun (script_run.h); Run publishes KEYS and
// ARGV, calls the compiled function under the error handler, and renders its result or
// error as the caller's reply. Scripts run to completion on the engine thread, so no other
// command runs between a script's commands.
//
// Threading: engine thread only. The interpreter is created on first use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/core/client_state.h"
#include "server/core/string_hash.h"
#include "server/scripting/script_runtime.h"

struct lua_State;

namespace ember::server::scripting {

struct ScriptRun;

struct Script {
  std::string sha;       // 40 lowercase hex digits
  std::string body;      // as sent, shebang included
  uint32_t flags = 0;    // ScriptFlag bits (script_flags.h)
  int function_ref = 0;  // the compiled chunk, in the interpreter's registry
};

class ScriptEngine {
 public:
  explicit ScriptEngine(ScriptRuntime& runtime);
  ~ScriptEngine();
  ScriptEngine(const ScriptEngine&) = delete;
  ScriptEngine& operator=(const ScriptEngine&) = delete;

  // The cached script for `body`, compiled and cached now if new. Null when its shebang or
  // its code does not compile, with Redis's error text (no "ERR " prefix) in `error`.
  const Script* Load(std::string_view body, std::string* error);
  // The cached script named `sha` (any case), or null.
  const Script* Find(std::string_view sha) const;
  // SCRIPT FLUSH: forgets every script and starts a fresh interpreter.
  void Flush();

  // Runs `script` with `keys` and `args` as KEYS and ARGV; replies to run.caller.
  void Run(const Script& script, ScriptRun& run, std::span<const std::string_view> keys,
           std::span<const std::string_view> args);

  // The client scripts' commands run as (Redis's Lua client): one for all runs; each run
  // starts it on its caller's database, in RESP2, unable to block.
  ClientState& client() { return client_; }

  ScriptRuntime& runtime() { return runtime_; }

  size_t script_count() const { return scripts_.size(); }
  // INFO memory: the interpreter's heap, and the cached bodies and their index.
  size_t lua_memory_bytes() const;
  size_t scripts_memory_bytes() const { return scripts_memory_; }

 private:
  lua_State* Lua();
  void CloseLua();

  lua_State* lua_ = nullptr;
  int error_handler_ref_ = 0;  // ScriptErrorHandler, made once per interpreter
  std::unordered_map<std::string, Script, TransparentStringHash, std::equal_to<>>
      scripts_;  // by sha
  size_t scripts_memory_ = 0;
  ScriptRuntime& runtime_;
  ClientState client_;
  uint32_t runs_since_gc_step_ = 0;
};

}  // namespace ember::server::scripting
