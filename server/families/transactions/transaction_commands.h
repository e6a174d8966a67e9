// Handlers of the transaction family: MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queuing itself
// is a dispatcher gate (server/dispatcher.cc); these only open, run and close the queue.
#pragma once

#include "server/command/command_context.h"

namespace ember::server {

void MultiCommand(CommandContext& ctx);
void ExecCommand(CommandContext& ctx);
void DiscardCommand(CommandContext& ctx);
void WatchCommand(CommandContext& ctx);
void UnwatchCommand(CommandContext& ctx);

}  // namespace ember::server
