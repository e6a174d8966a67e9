// What happens between a script command's own checks and the script's first line, shared by
// EVAL* and FCALL*: Redis 7.0's scriptPrepareForRun. A script that declared its flags (a
// shebang, or register_function's flags) is refused up front when they cannot be honoured:
// writes while the disk is failing, writes from an *_RO command, or running over maxmemory
// without allow-oom. Then the run takes its rules from the flags, and the script's client
// starts on its caller's database, in RESP2, unable to block.
//
// Engine thread only.
#pragma once

#include <cstdint>

#include "server/command/command_context.h"
#include "server/scripting/script_run.h"

namespace ember::server::scripting {

// False after replying with Redis's error when a script with `flags` (ScriptFlag bits) may
// not start for the command in `ctx` (`read_only_command`: EVAL_RO, FCALL_RO...).
bool ScriptMayStart(CommandContext& ctx, uint32_t flags, bool read_only_command);

// Sets `run`'s rules from `flags` and resets its client for the caller.
void PrepareRun(ScriptRun& run, uint32_t flags, bool read_only_command);

}  // namespace ember::server::scripting
