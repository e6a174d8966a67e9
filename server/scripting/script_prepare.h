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

// Redis's scriptFlagsToCmdFlags: the command flags (CommandFlag bits) a call of a script
// command has once the script declared `script_flags`: it may write unless `no-writes`,
// is refused over maxmemory unless `allow-oom` or `no-writes`, runs on a stale replica with
// `allow-stale`. A script in compatibility mode leaves `command_flags` as they are.
uint32_t CommandFlagsForScript(uint32_t command_flags, uint32_t script_flags);

// Sets `run`'s rules from `flags` and resets its client for the caller.
void PrepareRun(ScriptRun& run, uint32_t flags, bool read_only_command);

}  // namespace ember::server::scripting
