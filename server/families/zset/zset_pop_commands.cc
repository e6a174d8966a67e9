// Handlers of the sorted-set family that pop the lowest or highest members: ZPOPMIN,
// ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX and BZMPOP (server/command/blocking.h).
// Reply shapes follow Redis 7.0's genericZpopCommand: flat (member, score) pairs, nested
// [member, score] pairs in RESP3 when a count was given, a leading key for the blocking and
// multi-key forms. ZMPOP and the blocking forms are propagated as the ZPOPMIN / ZPOPMAX
// they amount to (with the count actually popped for the M forms).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/blocking.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/zset_ops.h"

namespace ember::server {
namespace {

using storage::OpStatus;
using storage::ScoredMember;

constexpr std::string_view kErrNotPositiveCount = "ERR value is out of range, must be positive";

enum class Shape : uint8_t {
  kFlat,       // member, score, member, score...
  kNested,     // [member, score], [member, score]...
  kKeyFlat,    // key, member, score (BZPOPMIN)
  kKeyNested,  // [key, [[member, score]...]] (ZMPOP, BZMPOP)
};

void ReplyPopped(CommandContext& ctx, std::string_view key, const std::vector<ScoredMember>& popped,
                 Shape shape) {
  const bool nested = shape == Shape::kNested || shape == Shape::kKeyNested;
  const auto count = static_cast<int64_t>(popped.size());
  if (shape == Shape::kKeyNested) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(key);
  }
  if (shape == Shape::kKeyFlat) {
    ctx.reply.ArrayHeader(count * 2 + 1);
    ctx.reply.Bulk(key);
  } else {
    ctx.reply.ArrayHeader(nested ? count : count * 2);
  }
  for (const auto& [member, score] : popped) {
    if (nested) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(member);
    ctx.reply.Double(score);
  }
}

// Pops up to `count` (at least 1) from `key`, replies, and propagates as ZPOPMIN/ZPOPMAX
// key [count] (`propagate_count`: whether the count is written). kKeyNotFound or kWrongType
// (nothing replied) when `key` holds no sorted set.
// Redis raises "zpopmin" or "zpopmax" once per pop, whatever the count (then "del" when it
// emptied the set).
void NotifyPopped(CommandContext& ctx, std::string_view key, bool max, size_t popped) {
  if (popped > 0) ctx.Notify(kNotifyZSet, max ? "zpopmax" : "zpopmin", key);
}

OpStatus PopFrom(CommandContext& ctx, std::string_view key, bool max, uint64_t count, Shape shape,
                 bool propagate_count) {
  auto popped = storage::OpZPop(ctx.db(), key, max, count, ctx.now_ms);
  if (!popped.ok()) return popped.status();
  ctx.MarkDirty(popped->size());
  NotifyPopped(ctx, key, max, popped->size());
  std::vector<std::string> argv = {max ? "ZPOPMAX" : "ZPOPMIN", std::string(key)};
  if (propagate_count) argv.push_back(std::to_string(popped->size()));
  ctx.PropagateAs(std::move(argv));
  ReplyPopped(ctx, key, *popped, shape);
  return OpStatus::kOk;
}

// ZPOPMIN/ZPOPMAX key [count]: the count first, then the key; a count of 0 or a missing
// key gives an empty array. Propagated as sent.
void Pop(CommandContext& ctx, bool max) {
  if (ctx.args.size() > 3) return ctx.reply.Error(kErrSyntax);
  const bool has_count = ctx.args.size() == 3;
  int64_t count = 1;
  if (has_count) {
    // Redis's getPositiveLongFromObjectOrReply: one text for "not a number" and "negative".
    const std::optional<int64_t> parsed = ArgToInt64(ctx.args[2]);
    if (!parsed || *parsed < 0) return ctx.reply.Error(kErrNotPositiveCount);
    count = *parsed;
  }
  auto popped =
      storage::OpZPop(ctx.db(), ctx.args[1], max, static_cast<uint64_t>(count), ctx.now_ms);
  if (popped.status() == OpStatus::kKeyNotFound) return ctx.reply.ArrayHeader(0);
  if (!popped.ok()) return ctx.ReplyError(popped.status());
  ctx.MarkDirty(popped->size());
  NotifyPopped(ctx, ctx.args[1], max, popped->size());
  ReplyPopped(ctx, ctx.args[1], *popped,
              has_count && ctx.reply.resp3() ? Shape::kNested : Shape::kFlat);
}

void ZPopMinCommand(CommandContext& ctx) { Pop(ctx, false); }
void ZPopMaxCommand(CommandContext& ctx) { Pop(ctx, true); }

// ZMPOP / BZMPOP arguments from numkeys on: numkeys key... MIN|MAX [COUNT count].
struct MultiPop {
  std::span<const std::string_view> keys;
  bool max = false;
  uint64_t count = 1;
};

std::optional<MultiPop> ParseMultiPop(CommandContext& ctx, size_t numkeys_at) {
  const std::optional<int64_t> numkeys = ArgToInt64(ctx.args[numkeys_at]);
  if (!numkeys || *numkeys < 1) {
    ctx.reply.Error(kErrNumKeys);
    return std::nullopt;
  }
  const size_t keys_at = numkeys_at + 1;
  const size_t where_at = keys_at + static_cast<size_t>(*numkeys);
  if (static_cast<uint64_t>(*numkeys) + keys_at >= ctx.args.size()) {
    ctx.reply.Error(kErrSyntax);
    return std::nullopt;
  }
  MultiPop parsed;
  parsed.keys = ctx.args.subspan(keys_at, static_cast<size_t>(*numkeys));
  if (EqualsIgnoreCase(ctx.args[where_at], "max")) {
    parsed.max = true;
  } else if (!EqualsIgnoreCase(ctx.args[where_at], "min")) {
    ctx.reply.Error(kErrSyntax);
    return std::nullopt;
  }
  bool counted = false;
  for (size_t i = where_at + 1; i < ctx.args.size(); ++i) {
    if (!counted && EqualsIgnoreCase(ctx.args[i], "count") && i + 1 < ctx.args.size()) {
      const std::optional<int64_t> count = ArgToInt64(ctx.args[++i]);
      if (!count || *count < 1) {
        ctx.reply.Error("ERR count should be greater than 0");
        return std::nullopt;
      }
      parsed.count = static_cast<uint64_t>(*count);
      counted = true;
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  return parsed;
}

// The first of `keys` holding a sorted set: popped from and replied; true. A key of another
// type met first replies WRONGTYPE (true: answered). False when none holds one.
bool PopFirst(CommandContext& ctx, std::span<const std::string_view> keys, bool max, uint64_t count,
              Shape shape, bool propagate_count) {
  for (std::string_view key : keys) {
    const OpStatus status = PopFrom(ctx, key, max, count, shape, propagate_count);
    if (status == OpStatus::kKeyNotFound) continue;
    if (status != OpStatus::kOk) ctx.ReplyError(status);
    return true;
  }
  return false;
}

void ZMPopCommand(CommandContext& ctx) {
  const std::optional<MultiPop> parsed = ParseMultiPop(ctx, 1);
  if (!parsed) return;
  if (!PopFirst(ctx, parsed->keys, parsed->max, parsed->count, Shape::kKeyNested, true)) {
    ctx.reply.NullArray();
  }
}

bool ServeBZPopMin(CommandContext& ctx, std::string_view key) {
  return PopFrom(ctx, key, false, 1, Shape::kKeyFlat, false) == OpStatus::kOk;
}
bool ServeBZPopMax(CommandContext& ctx, std::string_view key) {
  return PopFrom(ctx, key, true, 1, Shape::kKeyFlat, false) == OpStatus::kOk;
}

// BZPOPMIN/BZPOPMAX key [key ...] timeout: the timeout first, then the keys in turn.
void BlockingPop(CommandContext& ctx, bool max, ServeBlocked serve) {
  std::string_view error;
  const std::optional<int64_t> deadline = ParseBlockingTimeout(ctx.args.back(), ctx.now_ms, &error);
  if (!deadline) return ctx.reply.Error(error);
  const std::span<const std::string_view> keys = ctx.args.subspan(1, ctx.args.size() - 2);
  if (PopFirst(ctx, keys, max, 1, Shape::kKeyFlat, false)) return;
  if (!MayBlock(ctx)) return ctx.reply.NullArray();
  BlockOnKeys(ctx, keys, *deadline, serve);
}

void BZPopMinCommand(CommandContext& ctx) { BlockingPop(ctx, false, ServeBZPopMin); }
void BZPopMaxCommand(CommandContext& ctx) { BlockingPop(ctx, true, ServeBZPopMax); }

bool ServeBZMPop(CommandContext& ctx, std::string_view key) {
  const std::optional<MultiPop> parsed = ParseMultiPop(ctx, 2);
  return PopFrom(ctx, key, parsed->max, parsed->count, Shape::kKeyNested, true) == OpStatus::kOk;
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: the arguments after the
// timeout first, then the timeout, then the keys.
void BZMPopCommand(CommandContext& ctx) {
  const std::optional<MultiPop> parsed = ParseMultiPop(ctx, 2);
  if (!parsed) return;
  std::string_view error;
  const std::optional<int64_t> deadline = ParseBlockingTimeout(ctx.args[1], ctx.now_ms, &error);
  if (!deadline) return ctx.reply.Error(error);
  if (PopFirst(ctx, parsed->keys, parsed->max, parsed->count, Shape::kKeyNested, true)) return;
  if (!MayBlock(ctx)) return ctx.reply.NullArray();
  BlockOnKeys(ctx, parsed->keys, *deadline, ServeBZMPop);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ZSetPopCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "zpopmin", .arity = -2, .flags = kWrite | kFast, .keys = kKey1, .since = "5.0.0",
       .summary = "Removes and returns the members with the lowest scores.",
       .handler = ZPopMinCommand},
      {.name = "zpopmax", .arity = -2, .flags = kWrite | kFast, .keys = kKey1, .since = "5.0.0",
       .summary = "Removes and returns the members with the highest scores.",
       .handler = ZPopMaxCommand},
      {.name = "zmpop", .arity = -4, .flags = kWrite, .since = "7.0.0",
       .summary = "Pops members from the first non-empty sorted set of several.",
       .handler = ZMPopCommand},
      {.name = "bzpopmin", .arity = -3, .flags = kWrite | kNoScript | kFast | kBlocking,
       .keys = kKeysButLast, .since = "5.0.0",
       .summary = "Pops the lowest-scored member of the first non-empty sorted set, or blocks until one is added.",
       .handler = BZPopMinCommand},
      {.name = "bzpopmax", .arity = -3, .flags = kWrite | kNoScript | kFast | kBlocking,
       .keys = kKeysButLast, .since = "5.0.0",
       .summary = "Pops the highest-scored member of the first non-empty sorted set, or blocks until one is added.",
       .handler = BZPopMaxCommand},
      {.name = "bzmpop", .arity = -5, .flags = kWrite | kBlocking, .since = "7.0.0",
       .summary = "Pops members from the first non-empty sorted set of several, or blocks until one is added.",
       .handler = BZMPopCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
