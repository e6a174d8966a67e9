// Handlers of the sorted-set family that select by rank, score or member range: ZRANGE
// (BYSCORE, BYLEX, REV, LIMIT, WITHSCORES), ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE,
// ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX, ZCOUNT, ZLEXCOUNT and ZREMRANGEBYRANK /
// BYSCORE / BYLEX. One parser serves the whole ZRANGE family as Redis 7.0's
// zrangeGenericCommand does: options, their conflicts, the range, and only then the key.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/families/zset/zset_args.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/zset_ops.h"

namespace ember::server {
namespace {

using By = storage::ZRangeSpec::By;

// What a command of the family fixes before its options are read (Redis's AUTO values are
// the unset optionals).
struct RangeCommand {
  size_t source_at = 1;  // the key read; the range follows it
  bool store = false;    // ZRANGESTORE: no WITHSCORES, the result is stored
  std::optional<By> by;
  std::optional<bool> reverse;
};

struct ParsedRange {
  storage::ZRangeSpec spec;
  bool with_scores = false;
};

// Fills spec's bounds from the two range arguments (already swapped for REV).
bool ParseBounds(CommandContext& ctx, std::string_view min, std::string_view max,
                 storage::ZRangeSpec& spec) {
  switch (spec.by) {
    case By::kRank: {
      const std::optional<int64_t> start = ArgToInt64(min);
      const std::optional<int64_t> stop = ArgToInt64(max);
      if (!start || !stop) {
        ctx.reply.Error(kErrNotInteger);
        return false;
      }
      spec.start = *start;
      spec.stop = *stop;
      return true;
    }
    case By::kScore: {
      const auto low = ParseScoreBound(min);
      const auto high = ParseScoreBound(max);
      if (!low || !high) {
        ctx.reply.Error(kErrScoreRange);
        return false;
      }
      spec.score_min = *low;
      spec.score_max = *high;
      return true;
    }
    case By::kLex: {
      const auto low = ParseLexBound(min);
      const auto high = ParseLexBound(max);
      if (!low || !high) {
        ctx.reply.Error(kErrLexRange);
        return false;
      }
      spec.lex_min = *low;
      spec.lex_max = *high;
      return true;
    }
  }
  return false;
}

std::optional<ParsedRange> ParseRange(CommandContext& ctx, RangeCommand command) {
  ParsedRange parsed;
  bool limited = false;
  for (size_t i = command.source_at + 3; i < ctx.args.size(); ++i) {
    const std::string_view option = ctx.args[i];
    const size_t left = ctx.args.size() - i - 1;
    if (!command.store && EqualsIgnoreCase(option, "withscores")) {
      parsed.with_scores = true;
    } else if (EqualsIgnoreCase(option, "limit") && left >= 2) {
      const std::optional<int64_t> offset = ArgToInt64(ctx.args[i + 1]);
      const std::optional<int64_t> count = offset ? ArgToInt64(ctx.args[i + 2]) : std::nullopt;
      if (!offset || !count) {
        ctx.reply.Error(kErrNotInteger);
        return std::nullopt;
      }
      parsed.spec.offset = *offset;
      parsed.spec.count = *count;
      limited = *count != -1;
      i += 2;
    } else if (!command.reverse && EqualsIgnoreCase(option, "rev")) {
      command.reverse = true;
    } else if (!command.by && EqualsIgnoreCase(option, "bylex")) {
      command.by = By::kLex;
    } else if (!command.by && EqualsIgnoreCase(option, "byscore")) {
      command.by = By::kScore;
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  parsed.spec.by = command.by.value_or(By::kRank);
  parsed.spec.reverse = command.reverse.value_or(false);
  if (limited && parsed.spec.by == By::kRank) {
    ctx.reply.Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return std::nullopt;
  }
  if (parsed.with_scores && parsed.spec.by == By::kLex) {
    ctx.reply.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return std::nullopt;
  }
  std::string_view min = ctx.args[command.source_at + 1];
  std::string_view max = ctx.args[command.source_at + 2];
  // A reversed score or lex range is given as max, min.
  if (parsed.spec.reverse && parsed.spec.by != By::kRank) std::swap(min, max);
  if (!ParseBounds(ctx, min, max, parsed.spec)) return std::nullopt;
  return parsed;
}

void Range(CommandContext& ctx, RangeCommand command) {
  const std::optional<ParsedRange> parsed = ParseRange(ctx, command);
  if (!parsed) return;
  auto entries = storage::OpZRange(ctx.db(), ctx.args[command.source_at], parsed->spec, ctx.now_ms);
  if (!entries.ok()) return ctx.ReplyError(entries.status());
  if (!command.store) return ReplyScored(ctx, *entries, parsed->with_scores);
  const storage::ZStoreOutcome stored =
      storage::OpZStore(ctx.db(), ctx.args[1], *entries, ctx.now_ms);
  if (stored.stored > 0 || stored.replaced) ctx.MarkDirty(1);
  NotifyStored(ctx, stored);
  ctx.reply.Integer(stored.stored);
}

void ZRangeCommand(CommandContext& ctx) { Range(ctx, {}); }
void ZRangeStoreCommand(CommandContext& ctx) {
  Range(ctx, {.source_at = 2, .store = true, .by = std::nullopt, .reverse = std::nullopt});
}
void ZRevRangeCommand(CommandContext& ctx) { Range(ctx, {.by = By::kRank, .reverse = true}); }
void ZRangeByScoreCommand(CommandContext& ctx) { Range(ctx, {.by = By::kScore, .reverse = false}); }
void ZRevRangeByScoreCommand(CommandContext& ctx) {
  Range(ctx, {.by = By::kScore, .reverse = true});
}
void ZRangeByLexCommand(CommandContext& ctx) { Range(ctx, {.by = By::kLex, .reverse = false}); }
void ZRevRangeByLexCommand(CommandContext& ctx) { Range(ctx, {.by = By::kLex, .reverse = true}); }

// ZCOUNT / ZLEXCOUNT key min max: the interval first, then the key.
void Count(CommandContext& ctx, By by) {
  storage::ZRangeSpec spec;
  spec.by = by;
  if (!ParseBounds(ctx, ctx.args[2], ctx.args[3], spec)) return;
  auto count = storage::OpZCount(ctx.db(), ctx.args[1], spec, ctx.now_ms);
  if (!count.ok()) return ctx.ReplyError(count.status());
  ctx.reply.Integer(*count);
}

void ZCountCommand(CommandContext& ctx) { Count(ctx, By::kScore); }
void ZLexCountCommand(CommandContext& ctx) { Count(ctx, By::kLex); }

// ZREMRANGEBYRANK / BYSCORE / BYLEX key min max: the range first, then the key.
void RemoveRange(CommandContext& ctx, By by) {
  storage::ZRangeSpec spec;
  spec.by = by;
  if (!ParseBounds(ctx, ctx.args[2], ctx.args[3], spec)) return;
  auto removed = storage::OpZRemRange(ctx.db(), ctx.args[1], spec, ctx.now_ms);
  if (!removed.ok()) return ctx.ReplyError(removed.status());
  ctx.MarkDirty(static_cast<uint64_t>(*removed));
  // "zremrangebyrank", "zremrangebyscore" or "zremrangebylex".
  if (*removed > 0) ctx.Notify(kNotifyZSet, ctx.spec.name, ctx.args[1]);
  ctx.reply.Integer(*removed);
}

void ZRemRangeByRankCommand(CommandContext& ctx) { RemoveRange(ctx, By::kRank); }
void ZRemRangeByScoreCommand(CommandContext& ctx) { RemoveRange(ctx, By::kScore); }
void ZRemRangeByLexCommand(CommandContext& ctx) { RemoveRange(ctx, By::kLex); }

}  // namespace

// clang-format off
std::span<const CommandSpec> ZSetRangeCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "zrange", .arity = -4, .flags = kReadOnly, .keys = kKey1, .since = "1.2.0",
       .summary = "Returns members of a sorted set by rank, score or member range.",
       .handler = ZRangeCommand},
      {.name = "zrangestore", .arity = -5, .flags = kWrite | kDenyOom, .keys = kKey12,
       .since = "6.2.0", .summary = "Stores a range of members of a sorted set in another key.",
       .handler = ZRangeStoreCommand},
      {.name = "zrevrange", .arity = -4, .flags = kReadOnly, .keys = kKey1, .since = "1.2.0",
       .summary = "Returns members of a sorted set by rank, highest first.",
       .handler = ZRevRangeCommand},
      {.name = "zrangebyscore", .arity = -4, .flags = kReadOnly, .keys = kKey1, .since = "1.0.5",
       .summary = "Returns members of a sorted set within a score range.",
       .handler = ZRangeByScoreCommand},
      {.name = "zrevrangebyscore", .arity = -4, .flags = kReadOnly, .keys = kKey1,
       .since = "2.2.0", .summary = "Returns members of a sorted set within a score range, highest first.",
       .handler = ZRevRangeByScoreCommand},
      {.name = "zrangebylex", .arity = -4, .flags = kReadOnly, .keys = kKey1, .since = "2.8.9",
       .summary = "Returns members of a sorted set within a member range.",
       .handler = ZRangeByLexCommand},
      {.name = "zrevrangebylex", .arity = -4, .flags = kReadOnly, .keys = kKey1,
       .since = "2.8.9", .summary = "Returns members of a sorted set within a member range, highest first.",
       .handler = ZRevRangeByLexCommand},
      {.name = "zcount", .arity = 4, .flags = kReadOnly | kFast, .keys = kKey1, .since = "2.0.0",
       .summary = "Counts the members of a sorted set within a score range.",
       .handler = ZCountCommand},
      {.name = "zlexcount", .arity = 4, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "2.8.9", .summary = "Counts the members of a sorted set within a member range.",
       .handler = ZLexCountCommand},
      {.name = "zremrangebyrank", .arity = 4, .flags = kWrite, .keys = kKey1, .since = "2.0.0",
       .summary = "Removes members of a sorted set by rank range; an emptied set is deleted.",
       .handler = ZRemRangeByRankCommand},
      {.name = "zremrangebyscore", .arity = 4, .flags = kWrite, .keys = kKey1, .since = "1.2.0",
       .summary = "Removes members of a sorted set by score range; an emptied set is deleted.",
       .handler = ZRemRangeByScoreCommand},
      {.name = "zremrangebylex", .arity = 4, .flags = kWrite, .keys = kKey1, .since = "2.8.9",
       .summary = "Removes members of a sorted set by member range; an emptied set is deleted.",
       .handler = ZRemRangeByLexCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
