// Redis's rejectCommand: how a gate refuses a command (error reply, and the transaction it
// was queued in fails whole at EXEC). Shared by the dispatcher's gates.
#pragma once

#include <string_view>

#include "protocol/reply_writer.h"
#include "server/command/command_spec.h"
#include "server/core/client_state.h"

namespace ember::server {

class ServerState;

// A command rejected while queuing makes the EXEC fail whole (flagTransaction); a rejected
// EXEC itself ends the transaction with the reason (EXECABORT).
void RejectCommand(ServerState& server, ClientState& client, protocol::ReplyWriter& reply,
                   const CommandSpec* spec, std::string_view error);

}  // namespace ember::server
