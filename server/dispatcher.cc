#include "server/dispatcher.h"

#include "server/command_context.h"
#include "server/error_replies.h"

namespace ember::server {

void Dispatcher::Execute(std::span<const std::string_view> args, ClientState& client,
                         protocol::ReplyWriter& reply, int64_t now_ms) {
  server_.stats().total_commands_processed++;
  client.commands_processed++;
  client.last_interaction_ms = now_ms;

  const CommandSpec* spec = table_.Find(args[0]);
  if (spec == nullptr) {
    reply.Error(UnknownCommandError(args[0], args.subspan(1)));
    return;
  }
  if (!spec->ArityAccepts(static_cast<int>(args.size()))) {
    reply.Error(WrongArityError(spec->name));
    return;
  }
  if (!client.authenticated && !spec->has_flag(kNoAuth)) {
    reply.Error("NOAUTH Authentication required.");
    return;
  }

  const int db_index = client.db_index;
  CommandContext ctx(args, *spec, reply, client, server_, now_ms);
  spec->handler(ctx);

  if (ctx.must_propagate()) {
    if (ctx.propagate_as().empty()) {
      server_.Propagate(db_index, args, ctx.dirty());
    } else {
      std::vector<std::string_view> rewritten(ctx.propagate_as().begin(), ctx.propagate_as().end());
      server_.Propagate(db_index, rewritten, ctx.dirty());
    }
  }
}

}  // namespace ember::server
