#include "server/command/command_context.h"

#include "server/command/error_replies.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"

namespace ember::server {

CommandContext::CommandContext(std::span<const std::string_view> args_in,
                               const CommandSpec& spec_in, protocol::ReplyWriter& reply_in,
                               ClientState& client_in, ServerState& server_in, int64_t now)
    : args(args_in),
      spec(spec_in),
      reply(reply_in),
      client(client_in),
      server(server_in),
      now_ms(now) {}

storage::Keyspace& CommandContext::keyspace() { return server.keyspace(); }

storage::Database& CommandContext::db() { return server.keyspace().db(client.db_index); }

int CommandContext::db_index() const { return client.db_index; }

void CommandContext::Notify(uint32_t event_class, std::string_view event, std::string_view key) {
  server.notifier().Raise(event_class, event, client.db_index, key);
}

void CommandContext::NotifyIn(int db, uint32_t event_class, std::string_view event,
                              std::string_view key) {
  server.notifier().Raise(event_class, event, db, key);
}

void CommandContext::ReplyError(storage::OpStatus status) { reply.Error(ErrorText(status)); }

}  // namespace ember::server
