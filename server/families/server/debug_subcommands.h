// DEBUG's subcommands that read or rewrite the dataset: debug_inspect.cc (DIGEST,
// DIGEST-VALUE, OBJECT, LISTPACK, QUICKLIST) and debug_reload.cc (RELOAD, POPULATE). The
// command itself, its HELP and the reply and timing tools are in debug_command.cc, which
// calls these once args[1] has chosen them and the argument count is right.
#pragma once

#include "server/command/command_context.h"

namespace ember::server {

void DebugDigest(CommandContext& ctx);
void DebugDigestValue(CommandContext& ctx);
void DebugObject(CommandContext& ctx);
void DebugListpack(CommandContext& ctx);
void DebugQuicklist(CommandContext& ctx);
void DebugReload(CommandContext& ctx);
void DebugPopulate(CommandContext& ctx);

}  // namespace ember::server
