// Handlers of the introspection and administration subcommands: COMMAND, CONFIG, OBJECT,
// MEMORY, SLOWLOG, LATENCY, FUNCTION and SCRIPT. Each is a row of server/subcommand_tables.cc
// (a subcommand of its container); the dispatcher has already checked its arity.
#pragma once

#include "server/command/command_context.h"

namespace ember::server {

void CommandCountCommand(CommandContext& ctx);
void CommandInfoCommand(CommandContext& ctx);
void CommandDocsCommand(CommandContext& ctx);
void CommandListCommand(CommandContext& ctx);
void CommandGetKeysCommand(CommandContext& ctx);
void CommandGetKeysAndFlagsCommand(CommandContext& ctx);
void CommandHelpCommand(CommandContext& ctx);

void ConfigGetCommand(CommandContext& ctx);
void ConfigSetCommand(CommandContext& ctx);
void ConfigResetStatCommand(CommandContext& ctx);
void ConfigRewriteCommand(CommandContext& ctx);
void ConfigHelpCommand(CommandContext& ctx);

void ObjectEncodingCommand(CommandContext& ctx);
void ObjectRefCountCommand(CommandContext& ctx);
void ObjectIdleTimeCommand(CommandContext& ctx);
void ObjectFreqCommand(CommandContext& ctx);
void ObjectHelpCommand(CommandContext& ctx);

void MemoryUsageCommand(CommandContext& ctx);
void MemoryStatsCommand(CommandContext& ctx);
void MemoryDoctorCommand(CommandContext& ctx);
void MemoryPurgeCommand(CommandContext& ctx);
void MemoryHelpCommand(CommandContext& ctx);

void SlowlogGetCommand(CommandContext& ctx);
void SlowlogLenCommand(CommandContext& ctx);
void SlowlogResetCommand(CommandContext& ctx);
void SlowlogHelpCommand(CommandContext& ctx);

void LatencyLatestCommand(CommandContext& ctx);
void LatencyHistoryCommand(CommandContext& ctx);
void LatencyResetCommand(CommandContext& ctx);
void LatencyDoctorCommand(CommandContext& ctx);
void LatencyHelpCommand(CommandContext& ctx);

void FunctionFlushCommand(CommandContext& ctx);
void FunctionHelpCommand(CommandContext& ctx);
void ScriptFlushCommand(CommandContext& ctx);
void ScriptHelpCommand(CommandContext& ctx);

// Replies Redis's HELP shape: "<CONTAINER> <subcommand> [<arg> ...]. Subcommands are:",
// the given lines, then the HELP entry every container has.
void ReplyHelp(CommandContext& ctx, std::string_view container,
               std::initializer_list<std::string_view> lines);

}  // namespace ember::server
