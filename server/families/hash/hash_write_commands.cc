// Handlers of the hash commands that change a hash: HSET, HMSET, HSETNX, HDEL, HINCRBY and
// HINCRBYFLOAT. The storage work is in storage/ops/hash_ops.h.
//
// Propagation follows Redis 7.0: every command is written as sent when it changed the hash
// (HSET counts one change per pair, HDEL one per field removed), except HINCRBYFLOAT, which
// is written as HSET key field <result>, so that replaying never depends on float rounding.
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/hash_ops.h"

namespace ember::server {
namespace {

using storage::OpStatus;

// HSET and HMSET: field/value pairs. The table's arity says "at least four"; an odd count
// is the arity error the command reports itself, as Redis does.
void SetPairs(CommandContext& ctx, bool reply_ok) {
  if (ctx.args.size() % 2 == 1) return ctx.reply.Error(WrongArityError(ctx.spec.name));
  auto created = storage::OpHSet(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms);
  if (!created.ok()) return ctx.ReplyError(created.status());
  if (reply_ok) {
    ctx.reply.Ok();
  } else {
    ctx.reply.Integer(*created);
  }
  ctx.MarkDirty((ctx.args.size() - 2) / 2);
  ctx.Notify(kNotifyHash, "hset", ctx.args[1]);
}

void HSetCommand(CommandContext& ctx) { SetPairs(ctx, /*reply_ok=*/false); }

void HMSetCommand(CommandContext& ctx) { SetPairs(ctx, /*reply_ok=*/true); }

void HSetNxCommand(CommandContext& ctx) {
  auto set = storage::OpHSetNx(ctx.db(), ctx.args[1], ctx.args[2], ctx.args[3], ctx.now_ms);
  if (!set.ok()) return ctx.ReplyError(set.status());
  ctx.reply.Integer(*set ? 1 : 0);
  if (!*set) return;
  ctx.MarkDirty();
  ctx.Notify(kNotifyHash, "hset", ctx.args[1]);
}

void HDelCommand(CommandContext& ctx) {
  auto deleted = storage::OpHDel(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms);
  if (!deleted.ok()) return ctx.ReplyError(deleted.status());
  ctx.reply.Integer(*deleted);
  if (*deleted == 0) return;
  ctx.MarkDirty(static_cast<uint64_t>(*deleted));
  ctx.Notify(kNotifyHash, "hdel", ctx.args[1]);
}

// Redis checks the increment before it looks the key up, then the key's type, then the
// field's value, then the sum.
void HIncrByCommand(CommandContext& ctx) {
  std::optional<int64_t> delta = ArgToInt64(ctx.args[3]);
  if (!delta.has_value()) return ctx.reply.Error(kErrNotInteger);
  auto sum = storage::OpHIncrBy(ctx.db(), ctx.args[1], ctx.args[2], *delta, ctx.now_ms);
  if (sum.status() == OpStatus::kNotAnInteger) return ctx.reply.Error(kErrHashValueNotInteger);
  if (!sum.ok()) return ctx.ReplyError(sum.status());
  ctx.reply.Integer(*sum);
  ctx.MarkDirty();
  ctx.Notify(kNotifyHash, "hincrby", ctx.args[1]);
}

void HIncrByFloatCommand(CommandContext& ctx) {
  std::optional<long double> delta = storage::ParseHashFloat(ctx.args[3]);
  if (!delta.has_value()) return ctx.reply.Error(kErrNotFloat);
  if (std::isinf(*delta)) return ctx.reply.Error(kErrValueNanOrInfinity);
  auto sum = storage::OpHIncrByFloat(ctx.db(), ctx.args[1], ctx.args[2], *delta, ctx.now_ms);
  if (sum.status() == OpStatus::kNotAFloat) return ctx.reply.Error(kErrHashValueNotFloat);
  if (!sum.ok()) return ctx.ReplyError(sum.status());
  ctx.reply.Bulk(*sum);
  ctx.MarkDirty();
  ctx.Notify(kNotifyHash, "hincrbyfloat", ctx.args[1]);
  ctx.PropagateAs({"HSET", std::string(ctx.args[1]), std::string(ctx.args[2]), *sum});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> HashWriteCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "hset", .arity = -4, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.0.0", .summary = "Sets fields of a hash, creating it when absent.",
       .handler = HSetCommand},
      {.name = "hmset", .arity = -4, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.0.0", .summary = "Sets fields of a hash (deprecated: use HSET).",
       .handler = HMSetCommand},
      {.name = "hsetnx", .arity = 4, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.0.0", .summary = "Sets a field of a hash only when it does not exist.",
       .handler = HSetNxCommand},
      {.name = "hdel", .arity = -3, .flags = kWrite | kFast, .keys = kKey1, .since = "2.0.0",
       .summary = "Deletes fields of a hash, and the hash when none is left.",
       .handler = HDelCommand},
      {.name = "hincrby", .arity = 4, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.0.0", .summary = "Adds an integer to the integer value of a field.",
       .handler = HIncrByCommand},
      {.name = "hincrbyfloat", .arity = 4, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.6.0", .summary = "Adds a number to the floating-point value of a field.",
       .handler = HIncrByFloatCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
