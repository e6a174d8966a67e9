// FUNCTION and FCALL (Redis 7.0's functions; the engine lives in server/scripting/).
//
// function_commands.cc holds LOAD, DELETE, FLUSH, KILL, HELP, FCALL, FCALL_RO and the rows;
// function_info_commands.cc the subcommands that read or move the libraries as a whole
// (LIST, STATS, DUMP, RESTORE), declared here for those rows.
#pragma once

#include "server/command/command_context.h"

namespace ember::server {

void FunctionListCommand(CommandContext& ctx);
void FunctionStatsCommand(CommandContext& ctx);
void FunctionDumpCommand(CommandContext& ctx);
void FunctionRestoreCommand(CommandContext& ctx);

}  // namespace ember::server
