// Handlers of the string family that work on parts of a value: the counters (INCR, DECR,
// INCRBY, DECRBY, INCRBYFLOAT), APPEND, STRLEN, GETRANGE/SUBSTR and SETRANGE. Declared in
// string_commands.h.
//
// All propagate as sent except INCRBYFLOAT, which Redis 7.0 writes as
// SET key <result> KEEPTTL so that replaying never depends on float rounding.
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/string_ops.h"

namespace ember::server {
namespace {

// DECRBY cannot negate INT64_MIN; Redis answers with its own text.

void IncrementBy(CommandContext& ctx, int64_t delta) {
  auto result = storage::OpIncrBy(ctx.db(), ctx.args[1], delta, ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Integer(*result);
  ctx.MarkDirty();
  // Redis names INCR, DECR, INCRBY and DECRBY's event "incrby" alike.
  ctx.Notify(kNotifyString, "incrby", ctx.args[1]);
}

// The integer argument at `index`, or nullopt after replying with Redis's error.
std::optional<int64_t> IntegerArgOrReply(CommandContext& ctx, size_t index) {
  std::optional<int64_t> value = ArgToInt64(ctx.args[index]);
  if (!value.has_value()) ctx.reply.Error(kErrNotInteger);
  return value;
}

int64_t MaxStringLength(CommandContext& ctx) { return ctx.server.config().proto_max_bulk_len; }

void IncrCommand(CommandContext& ctx) { IncrementBy(ctx, 1); }

void DecrCommand(CommandContext& ctx) { IncrementBy(ctx, -1); }

void IncrByCommand(CommandContext& ctx) {
  std::optional<int64_t> delta = IntegerArgOrReply(ctx, 2);
  if (delta.has_value()) IncrementBy(ctx, *delta);
}

void DecrByCommand(CommandContext& ctx) {
  std::optional<int64_t> delta = IntegerArgOrReply(ctx, 2);
  if (!delta.has_value()) return;
  if (*delta == std::numeric_limits<int64_t>::min()) {
    return ctx.reply.Error(kErrDecrementOverflow);
  }
  IncrementBy(ctx, -*delta);
}

void IncrByFloatCommand(CommandContext& ctx) {
  auto result = storage::OpIncrByFloat(ctx.db(), ctx.args[1], ctx.args[2], ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Bulk(*result);
  ctx.MarkDirty();
  ctx.Notify(kNotifyString, "incrbyfloat", ctx.args[1]);
  ctx.PropagateAs({"SET", std::string(ctx.args[1]), *result, "KEEPTTL"});
}

void AppendCommand(CommandContext& ctx) {
  auto result =
      storage::OpAppend(ctx.db(), ctx.args[1], ctx.args[2], MaxStringLength(ctx), ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Integer(*result);
  ctx.MarkDirty();
  ctx.Notify(kNotifyString, "append", ctx.args[1]);
}

void StrLenCommand(CommandContext& ctx) {
  auto result = storage::OpStrLen(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Integer(*result);
}

void GetRangeCommand(CommandContext& ctx) {
  std::optional<int64_t> start = IntegerArgOrReply(ctx, 2);
  if (!start.has_value()) return;
  std::optional<int64_t> end = IntegerArgOrReply(ctx, 3);
  if (!end.has_value()) return;
  storage::NumberBuffer scratch;
  auto result = storage::OpGetRange(ctx.db(), ctx.args[1], *start, *end, ctx.now_ms, scratch);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Bulk(*result);
}

void SetRangeCommand(CommandContext& ctx) {
  std::optional<int64_t> offset = IntegerArgOrReply(ctx, 2);
  if (!offset.has_value()) return;
  // Checked before the key is looked up, so it wins over WRONGTYPE, as in Redis.
  if (*offset < 0) return ctx.reply.Error(kErrOffsetOutOfRange);
  const std::string_view value = ctx.args[3];
  auto result =
      storage::OpSetRange(ctx.db(), ctx.args[1], *offset, value, MaxStringLength(ctx), ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Integer(*result);
  if (value.empty()) return;
  ctx.MarkDirty();
  ctx.Notify(kNotifyString, "setrange", ctx.args[1]);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> StringValueCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "append", .arity = 3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.0.0", .summary = "Appends bytes to a key's value.", .handler = AppendCommand},
      {.name = "strlen", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "2.2.0",
       .summary = "Returns the length of a key's value.", .handler = StrLenCommand},
      {.name = "incr", .arity = 2, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Adds one to a key's integer value.", .handler = IncrCommand},
      {.name = "decr", .arity = 2, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Subtracts one from a key's integer value.",
       .handler = DecrCommand},
      {.name = "incrby", .arity = 3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Adds an integer to a key's integer value.",
       .handler = IncrByCommand},
      {.name = "decrby", .arity = 3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Subtracts an integer from a key's integer value.",
       .handler = DecrByCommand},
      {.name = "incrbyfloat", .arity = 3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.6.0", .summary = "Adds a floating-point number to a key's value.",
       .handler = IncrByFloatCommand},
      {.name = "getrange", .arity = 4, .flags = kReadOnly, .keys = kKey1, .since = "2.4.0",
       .summary = "Returns a substring of a key's value.", .handler = GetRangeCommand},
      {.name = "substr", .arity = 4, .flags = kReadOnly, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns a substring of a key's value (old name of GETRANGE).",
       .handler = GetRangeCommand},
      {.name = "setrange", .arity = 4, .flags = kWrite | kDenyOom, .keys = kKey1, .since = "2.2.0",
       .summary = "Overwrites part of a key's value at an offset.", .handler = SetRangeCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
