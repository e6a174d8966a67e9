#include "server/scripting/script_busy.h"

#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/scripting/lua_errors.h"
#include "server/scripting/script_run.h"

namespace ember::server::scripting {
namespace {

// Redis's period: cheap enough to be invisible, frequent enough (about a millisecond of
// Lua) to keep the server answering while a script is busy.
constexpr int kInstructionsPerCheck = 100'000;
constexpr const char* kRuntimeKey = "ember.busy_runtime";

enum class Verdict { kContinue, kKill, kAbandon };

Verdict Check(ScriptRuntime& runtime) {
  ScriptRun* run = runtime.current_run();
  if (run == nullptr) return Verdict::kContinue;
  ServerState& server = run->caller.server;
  if (!runtime.busy()) {
    const int64_t threshold = server.config().busy_reply_threshold;
    if (threshold <= 0 || runtime.ElapsedMs() < threshold) return Verdict::kContinue;
    runtime.set_timed_out();
    Log(LogLevel::kWarning,
        "Slow script detected: still in execution after {} milliseconds. You can try killing "
        "the script using the {} command. Script name is: {}.",
        runtime.ElapsedMs(), run->is_function ? "FUNCTION KILL" : "SCRIPT KILL", run->name);
  }
  server.ServeWhileBusy();
  if (server.shutdown_requested()) return Verdict::kAbandon;
  return runtime.kill_requested() ? Verdict::kKill : Verdict::kContinue;
}

void CheckHook(lua_State* L, lua_Debug*) {
  lua_getfield(L, LUA_REGISTRYINDEX, kRuntimeKey);
  auto* runtime = static_cast<ScriptRuntime*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  if (runtime == nullptr) return;
  const Verdict verdict = Check(*runtime);
  if (verdict == Verdict::kContinue) return;
  if (verdict == Verdict::kAbandon) runtime->current_run()->abandoned = true;
  Log(LogLevel::kWarning, "{}",
      verdict == Verdict::kKill ? "Lua script killed by user with SCRIPT KILL."
                                : "Lua script stopped: the server is shutting down.");
  // From now on the hook fires on every line, so a pcall in the script cannot swallow the
  // kill and go on.
  lua_sethook(L, CheckHook, LUA_MASKLINE, 0);
  PushErrorTable(L, "Script killed by user with SCRIPT KILL...");
  lua_error(L);
}

}  // namespace

std::string_view BusyError(const ScriptRuntime& runtime) {
  const ScriptRun* run = runtime.current_run();
  return run != nullptr && run->is_function ? kErrBusyFunction : kErrBusyEval;
}

void WatchForBusy(lua_State* L, ScriptRuntime& runtime) {
  lua_pushlightuserdata(L, &runtime);
  lua_setfield(L, LUA_REGISTRYINDEX, kRuntimeKey);
}

BusyWatch::BusyWatch(lua_State* L) : L_(L) {
  lua_sethook(L, CheckHook, LUA_MASKCOUNT, kInstructionsPerCheck);
}

BusyWatch::~BusyWatch() { lua_sethook(L_, nullptr, 0, 0); }

KillOutcome RequestKill(ScriptRuntime& runtime, bool from_eval) {
  const ScriptRun* run = runtime.current_run();
  if (run == nullptr) return KillOutcome::kNotBusy;
  if (run->wrote) return KillOutcome::kUnkillable;
  if (from_eval == run->is_function) return KillOutcome::kWrongKind;
  runtime.RequestKill();
  return KillOutcome::kKilled;
}

void ReplyToKill(protocol::ReplyWriter& reply, ScriptRuntime& runtime, bool from_eval) {
  switch (RequestKill(runtime, from_eval)) {
    case KillOutcome::kKilled:
      reply.Ok();
      break;
    case KillOutcome::kNotBusy:
      reply.Error("NOTBUSY No scripts in execution right now.");
      break;
    case KillOutcome::kUnkillable:
      reply.Error(
          "UNKILLABLE Sorry the script already executed write commands against the dataset. "
          "You can either wait the script termination or kill the server in a hard way using "
          "the SHUTDOWN NOSAVE command.");
      break;
    case KillOutcome::kWrongKind:
      reply.Error(BusyError(runtime));
      break;
  }
}

}  // namespace ember::server::scripting
