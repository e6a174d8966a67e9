// WAIT numreplicas timeout: blocks until `numreplicas` replicas acknowledged every write
// this client made (its stream offset after its last propagated command), or the timeout
// (milliseconds, 0: none) passes; replies with how many did. Redis 7.0's rules: a replica
// refuses it, and inside MULTI (or wherever the client may not block) it answers at once.
#include <fmt/format.h>

#include <limits>
#include <span>

#include "server/command/acl_categories.h"
#include "server/command/arg_parsing.h"
#include "server/command/blocking.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/replication/replication_control.h"

namespace ember::server {
namespace {

void WaitCommand(CommandContext& ctx) {
  if (ctx.server.replication().is_replica()) {
    ctx.reply.Error(
        "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 "
        "if a replica is configured to be writable (which is not the default) writes to "
        "replicas are just local and are not propagated.");
    return;
  }
  const std::optional<int64_t> count = ArgToInt64(ctx.args[1]);
  if (!count) {
    ctx.reply.Error(kErrNotInteger);
    return;
  }
  std::string_view error;
  const std::optional<int64_t> timeout = ParseMillisecondsTimeout(ctx.args[2], &error);
  if (!timeout) {
    ctx.reply.Error(error);
    return;
  }
  ServerState& server = ctx.server;
  ReplicationState& replication = server.replication();
  const int64_t offset = ctx.client.repl_write_offset;
  const int64_t acked = replication.ReplicasAcked(offset);
  if (acked >= *count || !MayBlock(ctx)) {
    ctx.reply.Integer(acked);
    return;
  }
  int64_t deadline_ms = 0;
  if (*timeout > 0) {
    deadline_ms = *timeout > std::numeric_limits<int64_t>::max() - ctx.now_ms
                      ? std::numeric_limits<int64_t>::max()
                      : ctx.now_ms + *timeout;
  }
  BlockRequest request;
  request.spec = &ctx.spec;
  request.args.assign(ctx.args.begin(), ctx.args.end());
  request.deadline_ms = deadline_ms;
  ClientState* client = &ctx.client;
  request.timeout_reply = [&server, client, offset](protocol::ReplyWriter& reply) {
    server.replication().RemoveWaiter(*client);
    reply.Integer(server.replication().ReplicasAcked(offset));
  };
  server.blocked_clients().Block(ctx.client, std::move(request));
  replication.AddWaiter({client, offset, *count});
  RequestReplicaAcks(server);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> WaitCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "wait", .arity = 3, .flags = kNoScript, .since = "3.0.0",
       .summary = "Blocks until the asynchronous replication of all preceding write commands "
                  "sent by the connection is completed.",
       .handler = WaitCommand, .acl = kAclConnection | kAclNotInFamilyCategory},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
