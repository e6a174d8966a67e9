// CLIENT and its subcommands (ID, GETNAME, SETNAME, SETINFO, INFO, LIST, KILL, REPLY,
// NO-EVICT, NO-TOUCH, PAUSE, UNPAUSE, TRACKING, CACHING, GETREDIR, TRACKINGINFO, UNBLOCK,
// HELP).
//
// client_command.cc holds the per-connection subcommands and the CLIENT rows;
// client_admin_commands.cc the subcommands that look at or act on other connections
// (INFO, LIST, KILL, PAUSE, UNPAUSE) and client_tracking_commands.cc client-side caching's,
// declared here for those rows.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/core/client_state.h"

namespace ember::server {

void ClientInfoCommand(CommandContext& ctx);
void ClientListCommand(CommandContext& ctx);
void ClientKillCommand(CommandContext& ctx);
void ClientPauseCommand(CommandContext& ctx);
void ClientUnpauseCommand(CommandContext& ctx);
void ClientTrackingCommand(CommandContext& ctx);
void ClientCachingCommand(CommandContext& ctx);
void ClientGetRedirCommand(CommandContext& ctx);
void ClientTrackingInfoCommand(CommandContext& ctx);

// One CLIENT LIST / CLIENT INFO line, in Redis 7.0's field order, ending with '\n'.
std::string ClientInfoLine(const ClientState& client, int64_t now_ms);

}  // namespace ember::server
