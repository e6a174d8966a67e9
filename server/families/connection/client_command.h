// CLIENT and its subcommands (ID, GETNAME, SETNAME, SETINFO, INFO, LIST, KILL, REPLY,
// NO-EVICT, NO-TOUCH, PAUSE, UNPAUSE, GETREDIR, TRACKINGINFO, UNBLOCK, HELP), declared as the
// container's subcommand rows so the dispatcher checks each one's arity and flags.
//
// client_command.cc holds the per-connection subcommands; client_admin_commands.cc those
// that look at or act on other connections (LIST, INFO, KILL, PAUSE, UNPAUSE).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/core/client_state.h"

namespace ember::server {

void ClientIdCommand(CommandContext& ctx);
void ClientGetNameCommand(CommandContext& ctx);
void ClientSetNameCommand(CommandContext& ctx);
void ClientSetInfoCommand(CommandContext& ctx);
void ClientReplyCommand(CommandContext& ctx);
void ClientNoEvictCommand(CommandContext& ctx);
void ClientNoTouchCommand(CommandContext& ctx);
void ClientGetRedirCommand(CommandContext& ctx);
void ClientTrackingInfoCommand(CommandContext& ctx);
void ClientUnblockCommand(CommandContext& ctx);
void ClientCachingCommand(CommandContext& ctx);
void ClientHelpCommand(CommandContext& ctx);
void ClientInfoCommand(CommandContext& ctx);
void ClientListCommand(CommandContext& ctx);
void ClientKillCommand(CommandContext& ctx);
void ClientPauseCommand(CommandContext& ctx);
void ClientUnpauseCommand(CommandContext& ctx);

// One CLIENT LIST / CLIENT INFO line, in Redis 7.0's field order, ending with '\n'.
std::string ClientInfoLine(const ClientState& client, int64_t now_ms);

}  // namespace ember::server
