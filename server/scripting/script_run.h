// ScriptRun: one execution of a script — who called it, the client its commands run as,
// and what the script has declared and done so far. The EVAL family builds one on the stack
// and hands it to ScriptEngine::Run; redis.call and friends read it while the script runs.
//
// Engine thread only. Lifetime: the run; nothing keeps a pointer to it afterwards.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/command_context.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"

namespace ember::server::scripting {

// The address of the client scripts run their commands as, as Redis's connectionless
// clients report it (the slow log's client column).
inline constexpr std::string_view kScriptClientAddress = "?:0";

struct ScriptRun {
  ScriptRun(CommandContext& caller_context, ClientState& script_client)
      : caller(caller_context), client(script_client) {}

  CommandContext& caller;  // the EVAL (or FCALL) command that runs the script
  ClientState& client;     // the script's own client: its database, its RESP version
  std::string_view name;   // the script's SHA-1, as error messages name it
  // Write commands are refused: EVAL_RO / EVALSHA_RO, or a `no-writes` script.
  bool read_only = false;
  // `allow-oom`: commands that may grow memory run even over maxmemory.
  bool allow_oom = false;
  // Memory was over maxmemory when the script started: its first write that may grow
  // memory is refused (later ones cannot be: the script already changed the data).
  bool oom_at_start = false;
  // A write command ran: later writes are no longer refused for the server's state.
  bool wrote = false;
  // A function (FCALL) rather than an EVAL script: errors name FUNCTION KILL.
  bool is_function = false;
  // The server is shutting down (SHUTDOWN NOSAVE while the script was busy): the script was
  // stopped, and what it wrote must not reach the AOF.
  bool abandoned = false;
  // Where the script's commands propagate (redis.set_repl): ServerState::kPropagate* bits.
  int propagation_targets = ServerState::kPropagateAll;
};

// Runs `args` (args[0] the command) for the script, as Redis's scriptCall does: the command
// must exist, accept the argument count, be allowed in scripts, and pass the read-only,
// disk-error and OOM rules; then it runs through the dispatcher (statistics, slow log,
// propagation held in the script's block) and its reply's bytes replace `*reply`. On refusal
// returns false with the error in `error`: "-CODE message", or a message reported as ERR.
bool CallFromScript(ScriptRun& run, std::span<const std::string_view> args, std::string* reply,
                    std::string* error);

// redis.acl_check_cmd: whether `args` name a command (and subcommand) that exists. Ember's
// only user may run every command, so existing is being permitted.
bool CommandExistsForScript(const ScriptRun& run, std::span<const std::string_view> args);

}  // namespace ember::server::scripting
