// FunctionEngine: Redis 7.0's functions (FUNCTION LOAD / FCALL). It owns the Lua interpreter
// functions run in — separate from EVAL's, as in Redis, built with the same sandbox and
// bound to the shared ScriptRuntime — and the current set of libraries.
//
// Creating a library parses its shebang, runs its code once in the load environment
// (function_load_env.h), and links it into a LibrarySet: the current one (FUNCTION LOAD,
// the RDB, the AOF), or a scratch set that FUNCTION RESTORE joins in afterwards. FUNCTION
// FLUSH and DELETE drop libraries, never the interpreter (library code cannot leave state
// behind: globals are read-only).
//
// Running a function: the caller prepares a ScriptRun (script_run.h); Run calls the
// callback with the keys and arguments tables under the error handler and renders its
// result or error as the caller's reply, naming the function in errors. A run that passes
// busy-reply-threshold is busy, as EVAL's are (script_busy.h): FUNCTION KILL stops it.
//
// Threading: engine thread only. The interpreter is created on first use.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/core/client_state.h"
#include "server/scripting/function_library.h"
#include "server/scripting/script_runtime.h"

struct lua_State;

namespace ember::server::scripting {

struct ScriptRun;

// Redis's limit on running a library's code at FUNCTION LOAD.
inline constexpr int64_t kFunctionLoadTimeoutMs = 500;

class FunctionEngine {
 public:
  explicit FunctionEngine(ScriptRuntime& runtime);
  ~FunctionEngine();
  FunctionEngine(const FunctionEngine&) = delete;
  FunctionEngine& operator=(const FunctionEngine&) = delete;

  // Creates the library `code` describes and links it into `into` (replacing one of the
  // same name when `replace`). Returns its name, or nullopt with Redis's error text (no
  // "ERR " prefix) in `error`; `into` is then unchanged. `timeout_ms` 0: no time limit.
  std::optional<std::string> Create(std::string_view code, bool replace, int64_t timeout_ms,
                                    LibrarySet& into, std::string* error);

  // The libraries FCALL, LIST, DUMP and the persistence see.
  LibrarySet& libraries() { return libraries_; }
  const LibrarySet& libraries() const { return libraries_; }

  // Runs `function` with `keys` and `args` as its two arguments; replies to run.caller.
  void Run(const FunctionInfo& function, ScriptRun& run, std::span<const std::string_view> keys,
           std::span<const std::string_view> args);
  // The function in progress (null between runs), its run and when it started: FUNCTION
  // STATS reports them.
  const FunctionInfo* running() const { return running_; }
  const ScriptRun* running_run() const { return running_run_; }
  int64_t running_ms() const;

  // The client functions' commands run as: one for all runs, reset by PrepareRun.
  ClientState& client() { return client_; }
  ScriptRuntime& runtime() { return runtime_; }

  // INFO memory: the interpreter's heap, and the libraries' code and bookkeeping.
  size_t lua_memory_bytes() const;
  size_t libraries_memory_bytes() const { return libraries_.memory_bytes(); }

 private:
  lua_State* Lua();

  lua_State* lua_ = nullptr;
  ScriptRuntime& runtime_;
  LibrarySet libraries_;  // cleared before the interpreter closes
  ClientState client_;
  const FunctionInfo* running_ = nullptr;
  const ScriptRun* running_run_ = nullptr;
  std::chrono::steady_clock::time_point run_start_;
  uint32_t runs_since_gc_step_ = 0;
};

}  // namespace ember::server::scripting
