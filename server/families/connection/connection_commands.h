// Handlers of the connection handshake family: HELLO (protocol negotiation, AUTH and
// SETNAME in one round trip), AUTH against `requirepass` (the `default` user), and RESET.
// Shared with CLIENT: Redis's client-name rule.
#pragma once

#include <string_view>

#include "server/command/command_context.h"
#include "server/config/server_config.h"

namespace ember::server {

void HelloCommand(CommandContext& ctx);
void AuthCommand(CommandContext& ctx);
void ResetCommand(CommandContext& ctx);

// Redis's rule for CLIENT SETNAME / HELLO SETNAME: printable ASCII without spaces.
bool IsValidClientName(std::string_view name);

// Whether `user` / `password` log in as the `default` user, the only one Ember has: with
// no `requirepass` it takes any password (Redis's "nopass"), otherwise only that one.
bool CredentialsMatch(const ServerConfig& config, std::string_view user, std::string_view password);

}  // namespace ember::server
