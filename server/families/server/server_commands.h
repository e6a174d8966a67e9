// Handlers of the connection and server families (PING, ECHO, SELECT, INFO, SHUTDOWN...).
#pragma once

#include "server/command/command_context.h"

namespace ember::server {

void PingCommand(CommandContext& ctx);
void EchoCommand(CommandContext& ctx);
void QuitCommand(CommandContext& ctx);
void SelectCommand(CommandContext& ctx);
void TimeCommand(CommandContext& ctx);
void InfoCommand(CommandContext& ctx);
void ShutdownCommand(CommandContext& ctx);
void CommandCommand(CommandContext& ctx);

}  // namespace ember::server
