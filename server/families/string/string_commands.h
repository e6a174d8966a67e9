// Handlers of the string family (SET, GET, INCR, APPEND...). Each parses its options,
// calls the storage operation in storage/string_ops.h, and replies. Rows in the command
// table (server/command_table.cc) point here; handlers never register themselves.
#pragma once

#include "server/command/command_context.h"

namespace ember::server {

void SetCommand(CommandContext& ctx);
void SetNxCommand(CommandContext& ctx);
void SetExCommand(CommandContext& ctx);
void PSetExCommand(CommandContext& ctx);
void GetCommand(CommandContext& ctx);
void GetDelCommand(CommandContext& ctx);
void GetExCommand(CommandContext& ctx);
void GetSetCommand(CommandContext& ctx);
void MSetCommand(CommandContext& ctx);
void MSetNxCommand(CommandContext& ctx);
void MGetCommand(CommandContext& ctx);
void AppendCommand(CommandContext& ctx);
void StrLenCommand(CommandContext& ctx);
void IncrCommand(CommandContext& ctx);
void DecrCommand(CommandContext& ctx);
void IncrByCommand(CommandContext& ctx);
void DecrByCommand(CommandContext& ctx);
void IncrByFloatCommand(CommandContext& ctx);
void GetRangeCommand(CommandContext& ctx);  // also SUBSTR
void SetRangeCommand(CommandContext& ctx);

}  // namespace ember::server
