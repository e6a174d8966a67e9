// XCLAIM and XAUTOCLAIM: moving pending entries of a consumer group to another consumer,
// with Redis 7.0's argument order, error texts and replies. Each change propagates as the
// idempotent XCLAIM form (stream_propagation.h), and a LASTID that moved the group and
// claimed nothing as XGROUP SETID, never as the command sent.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/families/stream/stream_args.h"
#include "server/families/stream/stream_propagation.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/stream_claim_ops.h"

namespace ember::server {
namespace {

using storage::StreamId;

std::string NoGroupError(const CommandContext& ctx) {
  return "NOGROUP No such key '" + std::string(ctx.args[1]) + "' or consumer group '" +
         std::string(ctx.args[2]) + "'";
}

void ReplyClaimed(CommandContext& ctx, const std::vector<storage::StreamReadEntry>& claimed,
                  bool justid) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(claimed.size()));
  for (const storage::StreamReadEntry& entry : claimed) {
    if (justid) {
      ctx.reply.Bulk(storage::FormatStreamId(entry.id));
      continue;
    }
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(storage::FormatStreamId(entry.id));
    ctx.reply.ArrayHeader(static_cast<int64_t>(entry.field_values.size()));
    for (const std::string& text : entry.field_values) ctx.reply.Bulk(text);
  }
}

// The effects of a claim: its XCLAIMs (or the SETID of a LASTID alone) and the new
// consumer's event.
void PropagateClaims(CommandContext& ctx, const storage::ClaimOutcome& outcome) {
  ctx.PropagateNothing();
  const std::string_view key = ctx.args[1];
  const std::string_view group = ctx.args[2];
  if (outcome.consumer_created) {
    ctx.MarkDirty();  // Redis's streamCreateConsumer counts the creation
    ctx.Notify(kNotifyStream, "xgroup-createconsumer", key);
  }
  for (const storage::ClaimPropagation& claim : outcome.xclaims) {
    ctx.PropagateEffect(XClaimArgv(key, group, claim.consumer, claim.id, claim.delivery_time,
                                   claim.delivery_count, outcome.group_last_id));
  }
  if (outcome.propagate_setid) {
    ctx.PropagateEffect(SetIdArgv(key, group, outcome.group_last_id, outcome.group_entries_read));
  }
  ctx.MarkDirty(outcome.changes);
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n]
//        [FORCE] [JUSTID] [LASTID id]
void XClaimCommand(CommandContext& ctx) {
  auto lookup = storage::OpLookupStreamGroup(ctx.db(), ctx.args[1], ctx.args[2], ctx.now_ms);
  if (!lookup.ok()) return ctx.ReplyError(lookup.status());
  if (!lookup->group_exists) return ctx.reply.Error(NoGroupError(ctx));
  const std::optional<int64_t> min_idle = ArgToInt64(ctx.args[4]);
  if (!min_idle) return ctx.reply.Error("ERR Invalid min-idle-time argument for XCLAIM");
  storage::XClaimRequest request;
  request.group = ctx.args[2];
  request.consumer = ctx.args[3];
  request.min_idle_ms = *min_idle < 0 ? 0 : *min_idle;
  size_t i = 5;
  for (; i < ctx.args.size(); ++i) {
    const std::optional<StreamId> id = storage::ParseStreamId(ctx.args[i], 0, /*strict=*/true);
    if (!id) break;
    request.ids.push_back(*id);
  }
  // What does not parse as an ID starts the options.
  for (; i < ctx.args.size(); ++i) {
    const std::string_view opt = ctx.args[i];
    const bool more = i + 1 < ctx.args.size();
    if (EqualsIgnoreCase(opt, "force")) {
      request.force = true;
    } else if (EqualsIgnoreCase(opt, "justid")) {
      request.justid = true;
    } else if ((EqualsIgnoreCase(opt, "idle") || EqualsIgnoreCase(opt, "time")) && more) {
      const bool idle = EqualsIgnoreCase(opt, "idle");
      const std::optional<int64_t> value = ArgToInt64(ctx.args[++i]);
      if (!value) {
        return ctx.reply.Error(idle ? "ERR Invalid IDLE option argument for XCLAIM"
                                    : "ERR Invalid TIME option argument for XCLAIM");
      }
      request.delivery_time = idle ? ctx.now_ms - *value : *value;
    } else if (EqualsIgnoreCase(opt, "retrycount") && more) {
      const std::optional<int64_t> value = ArgToInt64(ctx.args[++i]);
      if (!value) return ctx.reply.Error("ERR Invalid RETRYCOUNT option argument for XCLAIM");
      request.retry_count = *value;
    } else if (EqualsIgnoreCase(opt, "lastid") && more) {
      const std::optional<StreamId> last = ParseStrictStreamIdOrReply(ctx, ctx.args[++i], 0);
      if (!last) return;
      request.last_id = *last;
    } else {
      return ctx.reply.Error("ERR Unrecognized XCLAIM option '" + std::string(opt) + "'");
    }
  }
  auto outcome = storage::OpXClaim(ctx.db(), ctx.args[1], request, ctx.now_ms);
  if (!outcome.ok()) return ctx.ReplyError(outcome.status());
  if (outcome->no_group) return ctx.reply.Error(NoGroupError(ctx));
  PropagateClaims(ctx, *outcome);
  ReplyClaimed(ctx, outcome->claimed, request.justid);
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]: the arguments
// before the key, as Redis checks them.
void XAutoClaimCommand(CommandContext& ctx) {
  const std::optional<int64_t> min_idle = ArgToInt64(ctx.args[4]);
  if (!min_idle) return ctx.reply.Error("ERR Invalid min-idle-time argument for XAUTOCLAIM");
  const std::optional<StreamId> start = ParseRangeBoundOrReply(ctx, ctx.args[5], true);
  if (!start) return;
  storage::XAutoClaimRequest request;
  request.group = ctx.args[2];
  request.consumer = ctx.args[3];
  request.min_idle_ms = *min_idle < 0 ? 0 : *min_idle;
  request.start = *start;
  for (size_t i = 6; i < ctx.args.size(); ++i) {
    if (EqualsIgnoreCase(ctx.args[i], "count") && i + 1 < ctx.args.size()) {
      // Redis's bound keeps count * 10 attempts (and the reply's buffer) within a long.
      constexpr int64_t kLargestCount = INT64_MAX / 16;
      const std::optional<int64_t> count = ArgToInt64(ctx.args[++i]);
      if (!count || *count < 1 || *count > kLargestCount) {
        return ctx.reply.Error("ERR COUNT must be > 0");
      }
      request.count = *count;
    } else if (EqualsIgnoreCase(ctx.args[i], "justid")) {
      request.justid = true;
    } else {
      return ctx.reply.Error(kErrSyntax);
    }
  }
  auto outcome = storage::OpXAutoClaim(ctx.db(), ctx.args[1], request, ctx.now_ms);
  if (!outcome.ok()) return ctx.ReplyError(outcome.status());
  if (outcome->claim.no_group) return ctx.reply.Error(NoGroupError(ctx));
  PropagateClaims(ctx, outcome->claim);
  ctx.reply.ArrayHeader(3);
  ctx.reply.Bulk(storage::FormatStreamId(outcome->next));
  ReplyClaimed(ctx, outcome->claim.claimed, request.justid);
  ctx.reply.ArrayHeader(static_cast<int64_t>(outcome->deleted.size()));
  for (StreamId id : outcome->deleted) ctx.reply.Bulk(storage::FormatStreamId(id));
}

}  // namespace

// clang-format off
std::span<const CommandSpec> StreamClaimCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "xclaim", .arity = -6, .flags = kWrite | kFast, .keys = kKey1, .since = "5.0.0",
       .summary = "Changes, or acquires, ownership of a message in a consumer group, as if the "
                  "message was delivered a consumer group member.",
       .handler = XClaimCommand},
      {.name = "xautoclaim", .arity = -6, .flags = kWrite | kFast, .keys = kKey1,
       .since = "6.2.0",
       .summary = "Changes, or acquires, ownership of messages in a consumer group, as if the "
                  "messages were delivered to as consumer group member.",
       .handler = XAutoClaimCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
