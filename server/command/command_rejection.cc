#include "server/command/command_rejection.h"

#include <string>

#include "server/command/error_replies.h"
#include "server/core/server_state.h"

namespace ember::server {

void RejectCommand(ServerState& server, ClientState& client, protocol::ReplyWriter& reply,
                   const CommandSpec* spec, std::string_view error) {
  TransactionState& transaction = client.transaction;
  if (transaction.in_multi && spec != nullptr && spec->name == "exec") {
    std::string_view reason = error;
    if (reason.starts_with("ERR ")) reason.remove_prefix(4);
    reply.Error(std::string(kExecAbortBecause) + std::string(reason));
    transaction.EndMulti();
    server.watches().UnwatchAll(client);
    return;
  }
  if (transaction.in_multi) transaction.queue_error = true;
  reply.Error(error);
}

}  // namespace ember::server
