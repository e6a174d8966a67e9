// Long-running scripts, Redis 7.0's way. A count hook checks a running script every 100,000
// Lua instructions. Past busy-reply-threshold the script is busy: the check serves the
// event loop (ServerState::ServeWhileBusy), so other clients are answered — BUSY for all but
// the commands flagged allow-busy (SCRIPT KILL, FUNCTION KILL, SHUTDOWN NOSAVE...). A kill
// request stops the script with Redis's error at its next check; so does a shutdown, which
// marks the run abandoned so its effects are not propagated.
//
// Engine thread only.
#pragma once

#include <lua.hpp>
#include <string_view>

#include "protocol/reply_writer.h"
#include "server/scripting/script_runtime.h"

namespace ember::server::scripting {

// Redis's replies to other clients while a script is busy.
inline constexpr std::string_view kErrBusyEval =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
inline constexpr std::string_view kErrBusyFunction =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

// The BUSY text for the run in progress (EVAL or function).
std::string_view BusyError(const ScriptRuntime& runtime);

// Binds interpreter `L` to `runtime`, whose current run the check inspects. Once per
// interpreter, before its first run.
void WatchForBusy(lua_State* L, ScriptRuntime& runtime);

// Installs the check on `L` for one run and removes it after.
class BusyWatch {
 public:
  explicit BusyWatch(lua_State* L);
  BusyWatch(const BusyWatch&) = delete;
  BusyWatch& operator=(const BusyWatch&) = delete;
  ~BusyWatch();

 private:
  lua_State* L_;
};

// SCRIPT KILL (`from_eval`) or FUNCTION KILL: Redis's reply, and the kill request when the
// run may be stopped (it has not written, and it is of the kind the command kills).
enum class KillOutcome { kKilled, kNotBusy, kUnkillable, kWrongKind };
KillOutcome RequestKill(ScriptRuntime& runtime, bool from_eval);
// RequestKill, answered with Redis's reply for its outcome.
void ReplyToKill(protocol::ReplyWriter& reply, ScriptRuntime& runtime, bool from_eval);

}  // namespace ember::server::scripting
