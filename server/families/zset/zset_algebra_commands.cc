// Handlers of the sorted-set family's multi-key commands: ZUNION, ZINTER, ZDIFF, their
// STORE forms, and ZINTERCARD. One parser serves them all as Redis 7.0's
// zunionInterDiffGenericCommand reads its arguments: numkeys, that the keys fit, the keys'
// types, and only then the options (WEIGHTS, AGGREGATE, WITHSCORES, LIMIT, each where the
// command takes it, in any order, repeatable). A STORE form replaces its destination
// whatever it holds, or deletes it when the result is empty, and is propagated as sent.
#include <fmt/format.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/families/zset/zset_args.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/zset_ops.h"

namespace ember::server {
namespace {

using storage::ZSetAlgebra;

constexpr std::string_view kErrWeightNotFloat = "ERR weight value is not a float";
constexpr std::string_view kErrLimitNegative = "ERR LIMIT can't be negative";

// What a command of the group fixes before its arguments are read.
struct CombineCommand {
  std::string_view name;  // for the numkeys error
  ZSetAlgebra op = ZSetAlgebra::kUnion;
  bool store = false;      // the STORE forms: the destination comes first
  bool card_only = false;  // ZINTERCARD
};

struct ParsedCombine {
  std::span<const std::string_view> keys;
  storage::ZCombineSpec spec;
  bool with_scores = false;
  uint64_t limit = 0;  // ZINTERCARD; 0 is no limit
};

// The options after the keys; an error text when they are wrong.
std::optional<std::string_view> ParseOptions(std::span<const std::string_view> args, size_t at,
                                             CombineCommand command, ParsedCombine& parsed) {
  const size_t numkeys = parsed.keys.size();
  const bool weighable = command.op != ZSetAlgebra::kDiff && !command.card_only;
  while (at < args.size()) {
    const size_t remaining = args.size() - at;
    const std::string_view option = args[at];
    if (weighable && remaining >= numkeys + 1 && EqualsIgnoreCase(option, "weights")) {
      parsed.spec.weights.clear();
      for (size_t i = 0; i < numkeys; ++i) {
        const std::optional<double> weight = storage::ParseDouble(args[at + 1 + i]);
        if (!weight) return kErrWeightNotFloat;
        parsed.spec.weights.push_back(*weight);
      }
      at += numkeys + 1;
    } else if (weighable && remaining >= 2 && EqualsIgnoreCase(option, "aggregate")) {
      const std::string_view how = args[at + 1];
      if (EqualsIgnoreCase(how, "sum")) {
        parsed.spec.aggregate = storage::ZAggregate::kSum;
      } else if (EqualsIgnoreCase(how, "min")) {
        parsed.spec.aggregate = storage::ZAggregate::kMin;
      } else if (EqualsIgnoreCase(how, "max")) {
        parsed.spec.aggregate = storage::ZAggregate::kMax;
      } else {
        return kErrSyntax;
      }
      at += 2;
    } else if (!command.store && !command.card_only && EqualsIgnoreCase(option, "withscores")) {
      parsed.with_scores = true;
      at += 1;
    } else if (command.card_only && remaining >= 2 && EqualsIgnoreCase(option, "limit")) {
      const std::optional<int64_t> limit = ArgToInt64(args[at + 1]);
      if (!limit || *limit < 0) return kErrLimitNegative;
      parsed.limit = static_cast<uint64_t>(*limit);
      at += 2;
    } else {
      return kErrSyntax;
    }
  }
  return std::nullopt;
}

void Combine(CommandContext& ctx, CombineCommand command) {
  const size_t numkeys_at = command.store ? 2 : 1;
  const std::optional<int64_t> numkeys = ArgToInt64(ctx.args[numkeys_at]);
  if (!numkeys) return ctx.reply.Error(kErrNotInteger);
  if (*numkeys < 1) {
    return ctx.reply.Error(
        fmt::format("ERR at least 1 input key is needed for '{}' command", command.name));
  }
  const size_t first_key = numkeys_at + 1;
  if (*numkeys > static_cast<int64_t>(ctx.args.size() - first_key)) {
    return ctx.reply.Error(kErrSyntax);
  }
  ParsedCombine parsed;
  parsed.spec.op = command.op;
  parsed.keys = ctx.args.subspan(first_key, static_cast<size_t>(*numkeys));
  const std::optional<std::string_view> error =
      ParseOptions(ctx.args, first_key + parsed.keys.size(), command, parsed);
  if (error) {
    const storage::OpStatus types = storage::OpZCheckInputTypes(ctx.db(), parsed.keys, ctx.now_ms);
    if (types != storage::OpStatus::kOk) return ctx.ReplyError(types);
    return ctx.reply.Error(*error);
  }
  if (command.card_only) {
    auto count = storage::OpZInterCard(ctx.db(), parsed.keys, parsed.limit, ctx.now_ms);
    if (!count.ok()) return ctx.ReplyError(count.status());
    return ctx.reply.Integer(*count);
  }
  auto entries = storage::OpZCombine(ctx.db(), parsed.keys, parsed.spec, ctx.now_ms);
  if (!entries.ok()) return ctx.ReplyError(entries.status());
  if (!command.store) return ReplyScored(ctx, *entries, parsed.with_scores);
  const storage::ZStoreOutcome stored =
      storage::OpZStore(ctx.db(), ctx.args[1], *entries, ctx.now_ms);
  if (stored.stored > 0 || stored.replaced) ctx.MarkDirty(1);
  NotifyStored(ctx, stored);
  ctx.reply.Integer(stored.stored);
}

void ZUnionCommand(CommandContext& ctx) {
  Combine(ctx, {.name = "zunion", .op = ZSetAlgebra::kUnion});
}
void ZInterCommand(CommandContext& ctx) {
  Combine(ctx, {.name = "zinter", .op = ZSetAlgebra::kInter});
}
void ZDiffCommand(CommandContext& ctx) {
  Combine(ctx, {.name = "zdiff", .op = ZSetAlgebra::kDiff});
}
void ZUnionStoreCommand(CommandContext& ctx) {
  Combine(ctx, {.name = "zunionstore", .op = ZSetAlgebra::kUnion, .store = true});
}
void ZInterStoreCommand(CommandContext& ctx) {
  Combine(ctx, {.name = "zinterstore", .op = ZSetAlgebra::kInter, .store = true});
}
void ZDiffStoreCommand(CommandContext& ctx) {
  Combine(ctx, {.name = "zdiffstore", .op = ZSetAlgebra::kDiff, .store = true});
}
void ZInterCardCommand(CommandContext& ctx) {
  Combine(ctx, {.name = "zintercard", .op = ZSetAlgebra::kInter, .card_only = true});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ZSetAlgebraCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "zunion", .arity = -3, .flags = kReadOnly, .since = "6.2.0",
       .summary = "Returns the union of several sorted sets.", .handler = ZUnionCommand},
      {.name = "zinter", .arity = -3, .flags = kReadOnly, .since = "6.2.0",
       .summary = "Returns the intersection of several sorted sets.", .handler = ZInterCommand},
      {.name = "zdiff", .arity = -3, .flags = kReadOnly, .since = "6.2.0",
       .summary = "Returns the members of a sorted set that are in none of the others.",
       .handler = ZDiffCommand},
      {.name = "zunionstore", .arity = -4, .flags = kWrite | kDenyOom, .keys = kKey1,
       .since = "2.0.0",
       .summary = "Stores the union of several sorted sets in a key.",
       .handler = ZUnionStoreCommand},
      {.name = "zinterstore", .arity = -4, .flags = kWrite | kDenyOom, .keys = kKey1,
       .since = "2.0.0",
       .summary = "Stores the intersection of several sorted sets in a key.",
       .handler = ZInterStoreCommand},
      {.name = "zdiffstore", .arity = -4, .flags = kWrite | kDenyOom, .keys = kKey1,
       .since = "6.2.0",
       .summary = "Stores the difference of several sorted sets in a key.",
       .handler = ZDiffStoreCommand},
      {.name = "zintercard", .arity = -3, .flags = kReadOnly, .since = "7.0.0",
       .summary = "Returns the size of the intersection of several sorted sets, up to a limit.",
       .handler = ZInterCardCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
