// Handlers of the blocking list commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP. Each
// acts as its non-blocking form when a key can serve it at once, and otherwise blocks
// (server/command/blocking.h) with a Serve function that pops from the key that became
// ready. Arguments are checked in Redis 7.0's order (t_list.c), and what a pop changed is
// propagated as the non-blocking command it amounts to (LPOP, RPOP, LMOVE, RPOPLPUSH),
// never as the blocking one, so a replay never waits.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/blocking.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/families/list/list_end_arg.h"
#include "server/families/list/list_multi_pop.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/list_ops.h"

namespace ember::server {
namespace {

using storage::ListValue;
using storage::OpStatus;

std::string_view EndWord(ListValue::End end) {
  return end == ListValue::End::kFront ? "LEFT" : "RIGHT";
}

// BLPOP/BRPOP: pops one element of `key` and replies; kKeyNotFound or kWrongType (nothing
// done, nothing replied) unless `key` holds a list.
OpStatus PopOne(CommandContext& ctx, std::string_view key, ListValue::End end) {
  auto popped = storage::OpPop(ctx.db(), key, end, 1, ctx.now_ms);
  if (!popped.ok()) return popped.status();
  ctx.MarkDirty(1);
  ctx.Notify(kNotifyList, PopEvent(end), key);
  ctx.PropagateAs({end == ListValue::End::kFront ? "LPOP" : "RPOP", std::string(key)});
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(key);
  ctx.reply.Bulk(popped->front());
  return OpStatus::kOk;
}

bool ServeBLPop(CommandContext& ctx, std::string_view key) {
  return PopOne(ctx, key, ListValue::End::kFront) == OpStatus::kOk;
}
bool ServeBRPop(CommandContext& ctx, std::string_view key) {
  return PopOne(ctx, key, ListValue::End::kBack) == OpStatus::kOk;
}

// BLPOP/BRPOP key [key ...] timeout: the timeout first, then the keys in turn; a key of
// another type fails the command.
void BlockingPop(CommandContext& ctx, ListValue::End end, ServeBlocked serve) {
  std::string_view error;
  const std::optional<int64_t> deadline = ParseBlockingTimeout(ctx.args.back(), ctx.now_ms, &error);
  if (!deadline) return ctx.reply.Error(error);
  const std::span<const std::string_view> keys = ctx.args.subspan(1, ctx.args.size() - 2);
  for (std::string_view key : keys) {
    const OpStatus status = PopOne(ctx, key, end);
    if (status == OpStatus::kKeyNotFound) continue;
    if (status != OpStatus::kOk) ctx.ReplyError(status);
    return;
  }
  if (!MayBlock(ctx)) return ctx.reply.NullArray();
  BlockOnKeys(ctx, keys, *deadline, serve);
}

void BLPopCommand(CommandContext& ctx) { BlockingPop(ctx, ListValue::End::kFront, ServeBLPop); }
void BRPopCommand(CommandContext& ctx) { BlockingPop(ctx, ListValue::End::kBack, ServeBRPop); }

// BLMOVE source destination from to timeout, and BRPOPLPUSH source destination timeout.
struct MoveArgs {
  ListValue::End from = ListValue::End::kBack;
  ListValue::End to = ListValue::End::kFront;
  bool rpoplpush = false;  // BRPOPLPUSH: propagated as RPOPLPUSH
};

MoveArgs MoveArgsOf(const CommandContext& ctx) {
  if (ctx.args.size() == 4) return MoveArgs{.rpoplpush = true};
  return MoveArgs{.from = *ParseListEnd(ctx.args[3]), .to = *ParseListEnd(ctx.args[4])};
}

// Moves one element from the source to the destination. The caller has checked that the
// source holds a list; a destination of another type fails with WRONGTYPE. Propagated as
// Redis 7.0 does: LMOVE with the direction words as sent when served at once, spelled
// LEFT/RIGHT when served after waiting.
void Move(CommandContext& ctx, const MoveArgs& move, bool waited) {
  auto moved = storage::OpLMove(ctx.db(), ctx.args[1], ctx.args[2], move.from, move.to, ctx.now_ms);
  if (!moved.ok()) return ctx.ReplyError(moved.status());
  ctx.MarkDirty(1);
  NotifyMoved(ctx, move.from, move.to);
  if (move.rpoplpush) {
    ctx.PropagateAs({"RPOPLPUSH", std::string(ctx.args[1]), std::string(ctx.args[2])});
  } else {
    ctx.PropagateAs({"LMOVE", std::string(ctx.args[1]), std::string(ctx.args[2]),
                     std::string(waited ? EndWord(move.from) : ctx.args[3]),
                     std::string(waited ? EndWord(move.to) : ctx.args[4])});
  }
  ctx.reply.Bulk(*moved);
}

// The source became ready. A source of another type (or gone again) keeps the client
// waiting; a destination of another type ends its wait with WRONGTYPE, as in Redis 7.0.
bool ServeMove(CommandContext& ctx, std::string_view /*key*/) {
  auto length = storage::OpLLen(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!length.ok() || *length == 0) return false;
  Move(ctx, MoveArgsOf(ctx), /*waited=*/true);
  return true;
}

void BlockingMove(CommandContext& ctx, size_t timeout_at) {
  std::string_view error;
  const std::optional<int64_t> deadline =
      ParseBlockingTimeout(ctx.args[timeout_at], ctx.now_ms, &error);
  if (!deadline) return ctx.reply.Error(error);
  auto length = storage::OpLLen(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!length.ok()) return ctx.ReplyError(length.status());
  if (*length > 0) return Move(ctx, MoveArgsOf(ctx), /*waited=*/false);
  if (!MayBlock(ctx)) return ctx.reply.Null();
  BlockOnKeys(ctx, ctx.args.subspan(1, 1), *deadline, ServeMove);
}

// BLMOVE: the directions before the timeout, as Redis checks them.
void BLMoveCommand(CommandContext& ctx) {
  if (!ParseListEnd(ctx.args[3]) || !ParseListEnd(ctx.args[4])) {
    return ctx.reply.Error(kErrSyntax);
  }
  BlockingMove(ctx, 5);
}

void BRPopLPushCommand(CommandContext& ctx) { BlockingMove(ctx, 3); }

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: the arguments after the
// timeout are checked first, then the timeout, then the keys.
bool ServeBLMPop(CommandContext& ctx, std::string_view key) {
  const std::optional<MultiPopArgs> parsed = ParseMultiPop(ctx, 2);
  const std::string_view keys[] = {key};
  auto popped = storage::OpLMPop(ctx.db(), keys, parsed->end, parsed->count, ctx.now_ms);
  if (!popped.ok() || !popped->has_value()) return false;
  ReplyMultiPopped(ctx, parsed->end, **popped);
  return true;
}

void BLMPopCommand(CommandContext& ctx) {
  const std::optional<MultiPopArgs> parsed = ParseMultiPop(ctx, 2);
  if (!parsed) return;
  std::string_view error;
  const std::optional<int64_t> deadline = ParseBlockingTimeout(ctx.args[1], ctx.now_ms, &error);
  if (!deadline) return ctx.reply.Error(error);
  auto popped = storage::OpLMPop(ctx.db(), parsed->keys, parsed->end, parsed->count, ctx.now_ms);
  if (!popped.ok()) return ctx.ReplyError(popped.status());
  if (popped->has_value()) return ReplyMultiPopped(ctx, parsed->end, **popped);
  if (!MayBlock(ctx)) return ctx.reply.NullArray();
  BlockOnKeys(ctx, parsed->keys, *deadline, ServeBLMPop);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ListBlockingCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "blpop", .arity = -3, .flags = kWrite | kNoScript | kBlocking, .keys = kKeysButLast,
       .since = "2.0.0",
       .summary = "Removes and returns the first element of the first non-empty list, or blocks until one is pushed.",
       .handler = BLPopCommand},
      {.name = "brpop", .arity = -3, .flags = kWrite | kNoScript | kBlocking, .keys = kKeysButLast,
       .since = "2.0.0",
       .summary = "Removes and returns the last element of the first non-empty list, or blocks until one is pushed.",
       .handler = BRPopCommand},
      {.name = "blmove", .arity = 6, .flags = kWrite | kDenyOom | kNoScript | kBlocking,
       .keys = kKey12, .since = "6.2.0",
       .summary = "Pops an element from a list, pushes it to another list and returns it; blocks until one is available.",
       .handler = BLMoveCommand},
      {.name = "brpoplpush", .arity = 4, .flags = kWrite | kDenyOom | kNoScript | kBlocking,
       .keys = kKey12, .since = "2.2.0",
       .summary = "Pops the last element of a list, pushes it to the front of another and returns it; blocks until one is available.",
       .handler = BRPopLPushCommand},
      {.name = "blmpop", .arity = -5, .flags = kWrite | kBlocking, .since = "7.0.0",
       .summary = "Pops elements from the first non-empty list of several, or blocks until one is pushed.",
       .handler = BLMPopCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
