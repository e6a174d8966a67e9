// Handlers of the set family's multi-key commands: SMEMBERS, SINTER, SINTERCARD, SUNION,
// SDIFF and the STORE forms. Results are sets (RESP3 `~`); a STORE form replaces its
// destination whatever it holds, or deletes it when the result is empty, and is propagated
// as sent when it changed the destination.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/set_ops.h"

namespace ember::server {
namespace {

using storage::OpResult;
using storage::OpStatus;
using Keys = std::span<const std::string_view>;

constexpr std::string_view kErrNumKeysOverArgs =
    "ERR Number of keys can't be greater than number of args";
constexpr std::string_view kErrLimitNegative = "ERR LIMIT can't be negative";

void ReplyMembers(CommandContext& ctx, const OpResult<std::vector<std::string>>& members) {
  if (!members.ok()) return ctx.ReplyError(members.status());
  ctx.reply.SetHeader(static_cast<int64_t>(members->size()));
  for (const std::string& member : *members) ctx.reply.Bulk(member);
}

void ReplyStored(CommandContext& ctx, const OpResult<storage::SetStoreResult>& stored) {
  if (!stored.ok()) return ctx.ReplyError(stored.status());
  if (stored->changed) {
    ctx.MarkDirty();
    // "sinterstore", "sunionstore" or "sdiffstore"; an empty result deleted the destination.
    if (stored->size > 0) {
      ctx.Notify(kNotifySet, ctx.spec.name, ctx.args[1]);
    } else {
      ctx.Notify(kNotifyGeneric, "del", ctx.args[1]);
    }
  }
  ctx.reply.Integer(stored->size);
}

void SMembersCommand(CommandContext& ctx) {
  ReplyMembers(ctx, storage::OpSInter(ctx.db(), ctx.args.subspan(1, 1), ctx.now_ms));
}

void SInterCommand(CommandContext& ctx) {
  ReplyMembers(ctx, storage::OpSInter(ctx.db(), ctx.args.subspan(1), ctx.now_ms));
}

void SUnionCommand(CommandContext& ctx) {
  ReplyMembers(ctx, storage::OpSUnion(ctx.db(), ctx.args.subspan(1), ctx.now_ms));
}

void SDiffCommand(CommandContext& ctx) {
  ReplyMembers(ctx, storage::OpSDiff(ctx.db(), ctx.args.subspan(1), ctx.now_ms));
}

void SInterStoreCommand(CommandContext& ctx) {
  ReplyStored(ctx, storage::OpSInterStore(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms));
}

void SUnionStoreCommand(CommandContext& ctx) {
  ReplyStored(ctx, storage::OpSUnionStore(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms));
}

void SDiffStoreCommand(CommandContext& ctx) {
  ReplyStored(ctx, storage::OpSDiffStore(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms));
}

// SINTERCARD numkeys key [key ...] [LIMIT limit], checked in Redis's order: numkeys, then
// that the keys fit the arguments, then the options; keys are looked up last.
void SInterCardCommand(CommandContext& ctx) {
  std::optional<int64_t> numkeys = ArgToInt64(ctx.args[1]);
  if (!numkeys || *numkeys < 1) return ctx.reply.Error(kErrNumKeys);
  if (*numkeys > static_cast<int64_t>(ctx.args.size()) - 2) {
    return ctx.reply.Error(kErrNumKeysOverArgs);
  }
  const size_t first_option = 2 + static_cast<size_t>(*numkeys);
  uint64_t limit = 0;
  for (size_t i = first_option; i < ctx.args.size(); ++i) {
    if (EqualsIgnoreCase(ctx.args[i], "limit") && i + 1 < ctx.args.size()) {
      std::optional<int64_t> value = ArgToInt64(ctx.args[++i]);
      if (!value || *value < 0) return ctx.reply.Error(kErrLimitNegative);
      limit = static_cast<uint64_t>(*value);
    } else {
      return ctx.reply.Error(kErrSyntax);
    }
  }
  auto count = storage::OpSInterCard(ctx.db(), ctx.args.subspan(2, *numkeys), limit, ctx.now_ms);
  if (!count.ok()) return ctx.ReplyError(count.status());
  ctx.reply.Integer(*count);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> SetAlgebraCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "smembers", .arity = 2, .flags = kReadOnly, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns every member of a set.", .handler = SMembersCommand},
      {.name = "sinter", .arity = -2, .flags = kReadOnly, .keys = kAllKeys, .since = "1.0.0",
       .summary = "Returns the intersection of several sets.", .handler = SInterCommand},
      {.name = "sintercard", .arity = -3, .flags = kReadOnly, .since = "7.0.0",
       .summary = "Returns the size of the intersection of several sets, up to a limit.",
       .handler = SInterCardCommand},
      {.name = "sinterstore", .arity = -3, .flags = kWrite | kDenyOom, .keys = kAllKeys,
       .since = "1.0.0", .summary = "Stores the intersection of several sets in a key.",
       .handler = SInterStoreCommand},
      {.name = "sunion", .arity = -2, .flags = kReadOnly, .keys = kAllKeys, .since = "1.0.0",
       .summary = "Returns the union of several sets.", .handler = SUnionCommand},
      {.name = "sunionstore", .arity = -3, .flags = kWrite | kDenyOom, .keys = kAllKeys,
       .since = "1.0.0", .summary = "Stores the union of several sets in a key.",
       .handler = SUnionStoreCommand},
      {.name = "sdiff", .arity = -2, .flags = kReadOnly, .keys = kAllKeys, .since = "1.0.0",
       .summary = "Returns the members of a set that are in none of the other sets.",
       .handler = SDiffCommand},
      {.name = "sdiffstore", .arity = -3, .flags = kWrite | kDenyOom, .keys = kAllKeys,
       .since = "1.0.0", .summary = "Stores the difference of several sets in a key.",
       .handler = SDiffStoreCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
