// Handlers of the transaction family: MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queuing itself
// is a dispatcher gate (server/command/dispatcher.cc); these only open, run and close the
// queue.
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/command/call_recorder.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/dispatcher.h"
#include "server/command/error_replies.h"
#include "server/command/reply_mute.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

// Ends MULTI and forgets the watched keys, as Redis's discardTransaction does.
void EndTransaction(CommandContext& ctx) {
  ctx.client.transaction.EndMulti();
  ctx.server.watches().UnwatchAll(ctx.client);
}

// Runs one queued command as the dispatcher would after its gates, with the statistics a
// direct call records. CLIENT REPLY applies per command, as Redis's addReply checks it.
void RunQueued(CommandContext& ctx, const QueuedCommand& command) {
  std::vector<std::string_view> args(command.args.begin(), command.args.end());
  ReplyMuteGuard mute(ctx.client, *ctx.reply.buffer(), /*top_level=*/false);
  CallRecorder recorder(ctx.dispatcher->table(), ctx.server, ctx.client, args, ctx.reply,
                        ctx.now_ms);
  recorder.set_spec(command.spec);
  recorder.Start();
  ctx.dispatcher->Run(*command.spec, args, ctx.client, ctx.reply, ctx.now_ms);
  recorder.Finish();
}

void MultiCommand(CommandContext& ctx) {
  if (ctx.client.transaction.in_multi) {
    ctx.reply.Error(kErrNestedMulti);
    return;
  }
  ctx.client.transaction.in_multi = true;
  ctx.reply.Ok();
}

void DiscardCommand(CommandContext& ctx) {
  if (!ctx.client.transaction.in_multi) {
    ctx.reply.Error(kErrDiscardWithoutMulti);
    return;
  }
  EndTransaction(ctx);
  ctx.reply.Ok();
}

// A transaction fails whole when a command was rejected while queuing (EXECABORT) or a
// watched key changed or expired since WATCH (a null array, which clients read as "retry").
// Otherwise every queued command runs, with no other client in between, and their writes
// reach the write path as one MULTI ... EXEC block.
void ExecCommand(CommandContext& ctx) {
  TransactionState& transaction = ctx.client.transaction;
  if (!transaction.in_multi) {
    ctx.reply.Error(kErrExecWithoutMulti);
    return;
  }
  if (ctx.server.watches().AnyWatchedKeyExpired(ctx.client, ctx.now_ms)) {
    transaction.watch_dirty = true;
  }
  if (transaction.queue_error || transaction.watch_dirty) {
    if (transaction.queue_error) {
      ctx.reply.Error(kErrExecAbort);
    } else {
      ctx.reply.NullArray();
    }
    EndTransaction(ctx);
    return;
  }
  std::vector<QueuedCommand> queue = std::move(transaction.queue);
  EndTransaction(ctx);
  ctx.reply.ArrayHeader(static_cast<int64_t>(queue.size()));
  ctx.server.BeginPropagationBlock();
  ctx.client.deny_blocking = true;
  for (const QueuedCommand& command : queue) RunQueued(ctx, command);
  ctx.client.deny_blocking = false;
  ctx.server.EndPropagationBlock();
}

void WatchCommand(CommandContext& ctx) {
  if (ctx.client.transaction.in_multi) {
    ctx.reply.Error(kErrWatchInMulti);
    return;
  }
  // Once a watched key changed, the next EXEC fails anyway: watching more changes nothing.
  if (!ctx.client.transaction.watch_dirty) {
    for (size_t i = 1; i < ctx.args.size(); ++i) {
      ctx.server.watches().Watch(ctx.client, ctx.db_index(), ctx.args[i], ctx.now_ms);
    }
  }
  ctx.reply.Ok();
}

void UnwatchCommand(CommandContext& ctx) {
  ctx.server.watches().UnwatchAll(ctx.client);
  ctx.client.transaction.watch_dirty = false;
  ctx.reply.Ok();
}

}  // namespace

// clang-format off
std::span<const CommandSpec> TransactionCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "multi", .arity = 1, .flags = kNoScript | kLoading | kStale | kFast | kAllowBusy,
       .since = "1.2.0", .summary = "Starts a transaction.", .handler = MultiCommand},
      {.name = "exec", .arity = 1, .flags = kNoScript | kLoading | kStale | kSkipSlowlog,
       .since = "1.2.0", .summary = "Runs the commands queued since MULTI.",
       .handler = ExecCommand},
      {.name = "discard", .arity = 1, .flags = kNoScript | kLoading | kStale | kFast | kAllowBusy,
       .since = "2.0.0", .summary = "Drops the commands queued since MULTI.",
       .handler = DiscardCommand},
      {.name = "watch", .arity = -2, .flags = kNoScript | kLoading | kStale | kFast | kAllowBusy,
       .keys = kAllKeys, .since = "2.2.0",
       .summary = "Makes the next EXEC fail if any of the keys changes.", .handler = WatchCommand},
      {.name = "unwatch", .arity = 1, .flags = kNoScript | kLoading | kStale | kFast | kAllowBusy,
       .since = "2.2.0", .summary = "Forgets every watched key.", .handler = UnwatchCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
