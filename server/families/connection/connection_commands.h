// The connection family's rules that CLIENT shares with HELLO and AUTH: Redis's
// client-name rule and the `default` user's credentials.
#pragma once

#include <string_view>

#include "server/command/command_context.h"
#include "server/config/server_config.h"

namespace ember::server {

// Redis's rule for CLIENT SETNAME / HELLO SETNAME: printable ASCII without spaces.
bool IsValidClientName(std::string_view name);

// Whether `user` / `password` log in as the `default` user, the only one Ember has: with
// no `requirepass` it takes any password (Redis's "nopass"), otherwise only that one.
bool CredentialsMatch(const ServerConfig& config, std::string_view user, std::string_view password);

}  // namespace ember::server
