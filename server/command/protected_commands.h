// Who may run a protected command (DEBUG): Redis 7.0's enable-debug-command, "no" (nobody,
// the default), "yes" (every client) or "local" (clients connected from 127.0.0.1 or ::1).
// A refused call gets kErrDebugNotAllowed, checked right after the arity, before AUTH.
#pragma once

#include <string_view>

#include "server/config/server_config.h"
#include "server/core/client_state.h"

namespace ember::server {

inline constexpr std::string_view kErrDebugNotAllowed =
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
    "you can run it from a local connection, otherwise you need to set this option in the "
    "configuration file, and then restart the server.";

bool ProtectedCommandAllowed(const ServerConfig& config, const ClientState& client);

}  // namespace ember::server
