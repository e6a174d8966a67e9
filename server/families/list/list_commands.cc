// Handlers of the list family that push, pop and read at positions: LPUSH, RPUSH, LPUSHX,
// RPUSHX, LPOP, RPOP, LMPOP, LLEN, LINDEX and LRANGE. Replies, error texts and the order in which
// arguments and the key are checked follow Redis 7.0's t_list.c; every write is propagated
// as sent.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
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

void Push(CommandContext& ctx, ListValue::End end, bool only_if_exists) {
  auto length =
      storage::OpPush(ctx.db(), ctx.args[1], end, ctx.args.subspan(2), only_if_exists, ctx.now_ms);
  if (!length.ok()) return ctx.ReplyError(length.status());
  if (*length > 0) {
    ctx.MarkDirty(ctx.args.size() - 2);
    ctx.Notify(kNotifyList, PushEvent(end), ctx.args[1]);
  }
  ctx.reply.Integer(*length);
}

void LPushCommand(CommandContext& ctx) { Push(ctx, ListValue::End::kFront, false); }
void RPushCommand(CommandContext& ctx) { Push(ctx, ListValue::End::kBack, false); }
void LPushXCommand(CommandContext& ctx) { Push(ctx, ListValue::End::kFront, true); }
void RPushXCommand(CommandContext& ctx) { Push(ctx, ListValue::End::kBack, true); }

// LPOP/RPOP key [count]: without a count, one element as a bulk (nil for a missing key);
// with one, an array of up to count elements (a null array for a missing key, an empty one
// for a count of 0).
void Pop(CommandContext& ctx, ListValue::End end) {
  if (ctx.args.size() > 3) return ctx.reply.Error(WrongArityError(ctx.args[0]));
  const bool has_count = ctx.args.size() == 3;
  uint64_t count = 1;
  if (has_count) {
    // Redis's getPositiveLongFromObjectOrReply: one text for "not a number" and "negative".
    std::optional<int64_t> parsed = ArgToInt64(ctx.args[2]);
    if (!parsed || *parsed < 0) return ctx.reply.Error(kErrNotPositive);
    count = static_cast<uint64_t>(*parsed);
  }
  auto popped = storage::OpPop(ctx.db(), ctx.args[1], end, count, ctx.now_ms);
  if (popped.status() == OpStatus::kKeyNotFound) {
    return has_count ? ctx.reply.NullArray() : ctx.reply.Null();
  }
  if (!popped.ok()) return ctx.ReplyError(popped.status());
  ctx.MarkDirty(popped->size());
  if (!popped->empty()) ctx.Notify(kNotifyList, PopEvent(end), ctx.args[1]);
  if (!has_count) return ctx.reply.Bulk(popped->front());
  ctx.reply.ArrayHeader(static_cast<int64_t>(popped->size()));
  for (const std::string& element : *popped) ctx.reply.Bulk(element);
}

void LPopCommand(CommandContext& ctx) { Pop(ctx, ListValue::End::kFront); }
void RPopCommand(CommandContext& ctx) { Pop(ctx, ListValue::End::kBack); }

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: the arguments first, then the keys
// in turn.
void LMPopCommand(CommandContext& ctx) {
  const std::optional<MultiPopArgs> parsed = ParseMultiPop(ctx, 1);
  if (!parsed) return;
  auto popped = storage::OpLMPop(ctx.db(), parsed->keys, parsed->end, parsed->count, ctx.now_ms);
  if (!popped.ok()) return ctx.ReplyError(popped.status());
  if (!popped->has_value()) return ctx.reply.NullArray();
  ReplyMultiPopped(ctx, parsed->end, **popped);
}

void LLenCommand(CommandContext& ctx) {
  auto length = storage::OpLLen(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!length.ok()) return ctx.ReplyError(length.status());
  ctx.reply.Integer(*length);
}

// LINDEX key index: the key is checked before the index, as in Redis.
void LIndexCommand(CommandContext& ctx) {
  std::optional<int64_t> index = ArgToInt64(ctx.args[2]);
  if (!index) {
    auto length = storage::OpLLen(ctx.db(), ctx.args[1], ctx.now_ms);
    if (!length.ok()) return ctx.ReplyError(length.status());
    if (*length == 0) return ctx.reply.Null();
    return ctx.reply.Error(kErrNotInteger);
  }
  auto element = storage::OpLIndex(ctx.db(), ctx.args[1], *index, ctx.now_ms);
  if (element.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
  if (!element.ok()) return ctx.ReplyError(element.status());
  ctx.reply.Bulk(*element);
}

// LRANGE key start stop: the indexes are checked before the key, as in Redis.
void LRangeCommand(CommandContext& ctx) {
  std::optional<int64_t> start = ArgToInt64(ctx.args[2]);
  std::optional<int64_t> stop = ArgToInt64(ctx.args[3]);
  if (!start || !stop) return ctx.reply.Error(kErrNotInteger);
  auto elements = storage::OpLRange(ctx.db(), ctx.args[1], *start, *stop, ctx.now_ms);
  if (!elements.ok()) return ctx.ReplyError(elements.status());
  ctx.reply.ArrayHeader(static_cast<int64_t>(elements->size()));
  for (const std::string& element : *elements) ctx.reply.Bulk(element);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ListCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "lpush", .arity = -3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Prepends one or more elements to a list, creating it if needed.",
       .handler = LPushCommand},
      {.name = "rpush", .arity = -3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Appends one or more elements to a list, creating it if needed.",
       .handler = RPushCommand},
      {.name = "lpushx", .arity = -3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.2.0", .summary = "Prepends elements to a list only when the list exists.",
       .handler = LPushXCommand},
      {.name = "rpushx", .arity = -3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.2.0", .summary = "Appends elements to a list only when the list exists.",
       .handler = RPushXCommand},
      {.name = "lpop", .arity = -2, .flags = kWrite | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Removes and returns the first elements of a list; an emptied list is deleted.",
       .handler = LPopCommand},
      {.name = "rpop", .arity = -2, .flags = kWrite | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Removes and returns the last elements of a list; an emptied list is deleted.",
       .handler = RPopCommand},
      {.name = "lmpop", .arity = -4, .flags = kWrite, .since = "7.0.0",
       .summary = "Pops elements from the first non-empty list of several; an emptied list is deleted.",
       .handler = LMPopCommand},
      {.name = "llen", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns the length of a list.", .handler = LLenCommand},
      {.name = "lindex", .arity = 3, .flags = kReadOnly, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns an element of a list by its index.", .handler = LIndexCommand},
      {.name = "lrange", .arity = 4, .flags = kReadOnly, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns a range of elements of a list.", .handler = LRangeCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
