// Handlers of the sorted-set family that add, remove and look up members: ZADD, ZINCRBY,
// ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZRANDMEMBER and ZSCAN. Replies, error texts and
// the order in which arguments and the key are checked follow Redis 7.0's t_zset.c; every write is
// propagated as sent.
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/scan_args.h"
#include "server/families/zset/zset_args.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/zset_ops.h"
#include "storage/value/number_format.h"

namespace ember::server {
namespace {

using storage::OpStatus;

constexpr std::string_view kErrNanScore = "ERR resulting score is not a number (NaN)";

// Runs ZADD's pairs (args[first], args[first + 1]), ... with `options`; replies as ZADD
// (INCR: the new score, or nil when an option stopped it; otherwise the count, with CH
// the changed ones too).
void AddPairs(CommandContext& ctx, size_t first, const storage::ZAddOptions& options, bool ch) {
  std::vector<std::pair<double, std::string_view>> pairs;
  pairs.reserve((ctx.args.size() - first) / 2);
  for (size_t i = first; i < ctx.args.size(); i += 2) {
    const std::optional<double> score = storage::ParseDouble(ctx.args[i]);
    if (!score) return ctx.reply.Error(kErrNotAFloat);
    pairs.emplace_back(*score, ctx.args[i + 1]);
  }
  auto outcome = storage::OpZAdd(ctx.db(), ctx.args[1], pairs, options, ctx.now_ms);
  if (outcome.status() == OpStatus::kNanOrInfinity) return ctx.reply.Error(kErrNanScore);
  if (!outcome.ok()) return ctx.ReplyError(outcome.status());
  ctx.MarkDirty(static_cast<uint64_t>(outcome->added + outcome->updated));
  if (outcome->added + outcome->updated > 0) {
    ctx.Notify(kNotifyZSet, options.incr ? "zincr" : "zadd", ctx.args[1]);
  }
  if (options.incr) {
    if (!outcome->incremented) return ctx.reply.Null();
    return ctx.reply.Double(*outcome->incremented);
  }
  ctx.reply.Integer(ch ? outcome->added + outcome->updated : outcome->added);
}

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]: options in any
// order before the first score; then the pair count, the option conflicts, INCR's single
// pair, every score, and only then the key.
void ZAddCommand(CommandContext& ctx) {
  storage::ZAddOptions options;
  bool ch = false;
  size_t at = 2;
  for (; at < ctx.args.size(); ++at) {
    const std::string_view option = ctx.args[at];
    if (EqualsIgnoreCase(option, "nx")) {
      options.nx = true;
    } else if (EqualsIgnoreCase(option, "xx")) {
      options.xx = true;
    } else if (EqualsIgnoreCase(option, "gt")) {
      options.gt = true;
    } else if (EqualsIgnoreCase(option, "lt")) {
      options.lt = true;
    } else if (EqualsIgnoreCase(option, "ch")) {
      ch = true;
    } else if (EqualsIgnoreCase(option, "incr")) {
      options.incr = true;
    } else {
      break;
    }
  }
  const size_t elements = ctx.args.size() - at;
  if (elements == 0 || elements % 2 != 0) return ctx.reply.Error(kErrSyntax);
  if (options.nx && options.xx) {
    return ctx.reply.Error("ERR XX and NX options at the same time are not compatible");
  }
  if ((options.gt && options.nx) || (options.lt && options.nx) || (options.gt && options.lt)) {
    return ctx.reply.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (options.incr && elements > 2) {
    return ctx.reply.Error("ERR INCR option supports a single increment-element pair");
  }
  AddPairs(ctx, at, options, ch);
}

// ZINCRBY key increment member: ZADD key INCR increment member.
void ZIncrByCommand(CommandContext& ctx) {
  AddPairs(ctx, 2, storage::ZAddOptions{.incr = true}, false);
}

void ZRemCommand(CommandContext& ctx) {
  auto removed = storage::OpZRem(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms);
  if (!removed.ok()) return ctx.ReplyError(removed.status());
  ctx.MarkDirty(static_cast<uint64_t>(*removed));
  if (*removed > 0) ctx.Notify(kNotifyZSet, "zrem", ctx.args[1]);
  ctx.reply.Integer(*removed);
}

void ZCardCommand(CommandContext& ctx) {
  auto size = storage::OpZCard(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!size.ok()) return ctx.ReplyError(size.status());
  ctx.reply.Integer(*size);
}

void ReplyScore(CommandContext& ctx, const std::optional<double>& score) {
  if (score) {
    ctx.reply.Double(*score);
  } else {
    ctx.reply.Null();
  }
}

void ZScoreCommand(CommandContext& ctx) {
  auto scores = storage::OpZScores(ctx.db(), ctx.args[1], ctx.args.subspan(2, 1), ctx.now_ms);
  if (!scores.ok()) return ctx.ReplyError(scores.status());
  ReplyScore(ctx, scores->front());
}

void ZMScoreCommand(CommandContext& ctx) {
  auto scores = storage::OpZScores(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms);
  if (!scores.ok()) return ctx.ReplyError(scores.status());
  ctx.reply.ArrayHeader(static_cast<int64_t>(scores->size()));
  for (const std::optional<double>& score : *scores) ReplyScore(ctx, score);
}

void Rank(CommandContext& ctx, bool reverse) {
  auto rank = storage::OpZRank(ctx.db(), ctx.args[1], ctx.args[2], reverse, ctx.now_ms);
  if (rank.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
  if (!rank.ok()) return ctx.ReplyError(rank.status());
  ctx.reply.Integer(*rank);
}

void ZRankCommand(CommandContext& ctx) { Rank(ctx, false); }
void ZRevRankCommand(CommandContext& ctx) { Rank(ctx, true); }

// With WITHSCORES Redis bounds the count to half of LONG_MAX, so that twice the count (the
// RESP2 reply's length) cannot overflow.
constexpr int64_t kMaxCountWithScores = std::numeric_limits<int64_t>::max() / 2;

// ZRANDMEMBER key [count [WITHSCORES]]: the count and option before the key, as Redis; the
// replies' shapes as ZRANGE's (pairs in RESP3).
void ZRandMemberCommand(CommandContext& ctx) {
  if (ctx.args.size() == 2) {
    auto picked = storage::OpZRandMember(ctx.db(), ctx.args[1], 1, ctx.db().rng(), ctx.now_ms);
    if (picked.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
    if (!picked.ok()) return ctx.ReplyError(picked.status());
    return ctx.reply.Bulk(picked->front().first);
  }
  const std::optional<int64_t> count = ArgToInt64(ctx.args[2]);
  if (!count) return ctx.reply.Error(kErrNotInteger);
  if (*count == std::numeric_limits<int64_t>::min()) {
    return ctx.reply.Error(kErrCountOutOfLongRange);
  }
  const bool with_scores = ctx.args.size() == 4;
  if (ctx.args.size() > 4 || (with_scores && !EqualsIgnoreCase(ctx.args[3], "withscores"))) {
    return ctx.reply.Error(kErrSyntax);
  }
  if (with_scores && (*count < -kMaxCountWithScores || *count > kMaxCountWithScores)) {
    return ctx.reply.Error(kErrValueOutOfRange);
  }
  auto size = storage::OpZCard(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!size.ok()) return ctx.ReplyError(size.status());
  if (*size == 0 || *count == 0) return ctx.reply.ArrayHeader(0);
  if (*count < -kMaxRandomRepeats) return ctx.reply.Error(kErrTooManyRandomRepeats);
  auto picked = storage::OpZRandMember(ctx.db(), ctx.args[1], *count, ctx.db().rng(), ctx.now_ms);
  if (!picked.ok()) return ctx.ReplyError(picked.status());
  ReplyScored(ctx, *picked, with_scores);
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked first, then the key
// (a missing key answers an empty page whatever the options say), then the options. Scores
// are bulk strings in both protocols, as Redis's SCAN family replies them.
void ZScanCommand(CommandContext& ctx) {
  const std::optional<uint64_t> cursor = ParseScanCursor(ctx.args[2]);
  if (!cursor) return ctx.reply.Error(kErrInvalidCursor);
  const ScanArgs options = ParseScanArgs(ctx.args, 3, /*allow_type=*/false);
  storage::ZScanPage page;
  if (!options.error.empty()) {
    auto size = storage::OpZCard(ctx.db(), ctx.args[1], ctx.now_ms);
    if (!size.ok()) return ctx.ReplyError(size.status());
    if (*size > 0) return ctx.reply.Error(options.error);
  } else {
    auto scanned = storage::OpZScan(ctx.db(), ctx.args[1], *cursor, options.pattern, options.count,
                                    ctx.now_ms);
    if (!scanned.ok()) return ctx.ReplyError(scanned.status());
    page = std::move(*scanned);
  }
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(page.cursor));
  ctx.reply.ArrayHeader(static_cast<int64_t>(page.entries.size() * 2));
  for (const auto& [member, score] : page.entries) {
    ctx.reply.Bulk(member);
    ctx.reply.Bulk(score);
  }
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ZSetMemberCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "zadd", .arity = -4, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.2.0",
       .summary = "Adds members to a sorted set, or updates their scores; creates the key if needed.",
       .handler = ZAddCommand},
      {.name = "zincrby", .arity = 4, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.2.0", .summary = "Increments the score of a member of a sorted set.",
       .handler = ZIncrByCommand},
      {.name = "zrem", .arity = -3, .flags = kWrite | kFast, .keys = kKey1, .since = "1.2.0",
       .summary = "Removes members from a sorted set; an emptied set is deleted.",
       .handler = ZRemCommand},
      {.name = "zcard", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "1.2.0",
       .summary = "Returns the number of members of a sorted set.", .handler = ZCardCommand},
      {.name = "zscore", .arity = 3, .flags = kReadOnly | kFast, .keys = kKey1, .since = "1.2.0",
       .summary = "Returns the score of a member of a sorted set.", .handler = ZScoreCommand},
      {.name = "zmscore", .arity = -3, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "6.2.0", .summary = "Returns the scores of members of a sorted set.",
       .handler = ZMScoreCommand},
      {.name = "zrank", .arity = 3, .flags = kReadOnly | kFast, .keys = kKey1, .since = "2.0.0",
       .summary = "Returns the ascending rank of a member of a sorted set.",
       .handler = ZRankCommand},
      {.name = "zrandmember", .arity = -2, .flags = kReadOnly, .keys = kKey1, .since = "6.2.0",
       .summary = "Returns random members of a sorted set, optionally with their scores.",
       .handler = ZRandMemberCommand},
      {.name = "zrevrank", .arity = 3, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "2.0.0", .summary = "Returns the descending rank of a member of a sorted set.",
       .handler = ZRevRankCommand},
      {.name = "zscan", .arity = -3, .flags = kReadOnly, .keys = kKey1, .since = "2.8.0",
       .summary = "Iterates over the members of a sorted set and their scores.",
       .handler = ZScanCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
