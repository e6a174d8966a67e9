// Consumer-group administration: XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER,
// DELCONSUMER, HELP), XACK and XPENDING, with Redis 7.0's argument order, replies, errors and
// keyspace events (xgroup-create, xgroup-setid, xgroup-destroy, xgroup-createconsumer,
// xgroup-delconsumer). Each propagates as sent.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"
#include "server/families/stream/stream_args.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/stream_group_ops.h"

namespace ember::server {
namespace {

using storage::OpStatus;
using storage::StreamId;

constexpr std::string_view kErrKeyMustExist =
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.";

std::string NoGroupError(std::string_view key, std::string_view group) {
  return "NOGROUP No such consumer group '" + std::string(group) + "' for key name '" +
         std::string(key) + "'";
}

// XGROUP's shared preamble (Redis's xgroupCommand): the options after args[5] (MKSTREAM,
// ENTRIESREAD), then the key and the group, in that order. nullopt after replying.
struct GroupTarget {
  bool mkstream = false;
  int64_t entries_read = storage::kUnknownEntriesRead;
  storage::StreamGroupLookup lookup;
};
std::optional<GroupTarget> ResolveGroupOrReply(CommandContext& ctx, bool needs_group) {
  GroupTarget target;
  const std::string_view sub = ctx.args[1];
  const bool create = EqualsIgnoreCase(sub, "create");
  const bool setid = EqualsIgnoreCase(sub, "setid");
  for (size_t i = 5; i < ctx.args.size();) {
    if (create && EqualsIgnoreCase(ctx.args[i], "mkstream")) {
      target.mkstream = true;
      ++i;
    } else if ((create || setid) && EqualsIgnoreCase(ctx.args[i], "entriesread") &&
               i + 1 < ctx.args.size()) {
      const std::optional<int64_t> read = ArgToInt64(ctx.args[i + 1]);
      if (!read) {
        ctx.reply.Error(kErrNotInteger);
        return std::nullopt;
      }
      if (*read < 0 && *read != storage::kUnknownEntriesRead) {
        ctx.reply.Error("ERR value for ENTRIESREAD must be positive or -1");
        return std::nullopt;
      }
      target.entries_read = *read;
      i += 2;
    } else {
      ctx.reply.Error(SubcommandSyntaxError("XGROUP", sub));
      return std::nullopt;
    }
  }
  auto lookup = storage::OpLookupStreamGroup(ctx.db(), ctx.args[2], ctx.args[3], ctx.now_ms);
  if (!lookup.ok()) {
    ctx.ReplyError(lookup.status());
    return std::nullopt;
  }
  target.lookup = *lookup;
  if (!target.mkstream && !lookup->stream_exists) {
    ctx.reply.Error(kErrKeyMustExist);
    return std::nullopt;
  }
  if (needs_group && !lookup->group_exists) {
    ctx.reply.Error(NoGroupError(ctx.args[2], ctx.args[3]));
    return std::nullopt;
  }
  return target;
}

// "$" (nullopt: the stream's last ID) or an ID; `strict` refuses "-" and "+".
std::optional<std::optional<StreamId>> ParseGroupIdOrReply(CommandContext& ctx,
                                                           std::string_view text, bool strict) {
  if (text == "$") return std::optional<StreamId>();
  std::optional<StreamId> id = storage::ParseStreamId(text, 0, strict);
  if (!id) {
    ctx.reply.Error(kErrInvalidStreamId);
    return std::nullopt;
  }
  return id;
}

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]
void XGroupCreateCommand(CommandContext& ctx) {
  if (ctx.args.size() > 8) return ctx.reply.Error(SubcommandSyntaxError("XGROUP", ctx.args[1]));
  const std::optional<GroupTarget> target = ResolveGroupOrReply(ctx, false);
  if (!target) return;
  const auto id = ParseGroupIdOrReply(ctx, ctx.args[4], /*strict=*/true);
  if (!id) return;
  auto created = storage::OpXGroupCreate(ctx.db(), ctx.args[2], ctx.args[3], *id, target->mkstream,
                                         target->entries_read, ctx.now_ms);
  if (!created.ok()) return ctx.ReplyError(created.status());
  if (!*created) return ctx.reply.Error("BUSYGROUP Consumer Group name already exists");
  ctx.reply.Ok();
  ctx.MarkDirty();
  ctx.Notify(kNotifyStream, "xgroup-create", ctx.args[2]);
}

// XGROUP SETID key group id|$ [ENTRIESREAD n]
void XGroupSetIdCommand(CommandContext& ctx) {
  if (ctx.args.size() != 5 && ctx.args.size() != 7) {
    return ctx.reply.Error(SubcommandSyntaxError("XGROUP", ctx.args[1]));
  }
  const std::optional<GroupTarget> target = ResolveGroupOrReply(ctx, true);
  if (!target) return;
  const auto id = ParseGroupIdOrReply(ctx, ctx.args[4], /*strict=*/false);
  if (!id) return;
  auto set = storage::OpXGroupSetId(ctx.db(), ctx.args[2], ctx.args[3], *id, target->entries_read,
                                    ctx.now_ms);
  if (!set.ok()) return ctx.ReplyError(set.status());
  ctx.reply.Ok();
  ctx.MarkDirty();
  ctx.Notify(kNotifyStream, "xgroup-setid", ctx.args[2]);
}

// XGROUP DESTROY key group: 1 when destroyed, 0 when there was no such group.
void XGroupDestroyCommand(CommandContext& ctx) {
  if (!ResolveGroupOrReply(ctx, false)) return;
  auto destroyed = storage::OpXGroupDestroy(ctx.db(), ctx.args[2], ctx.args[3], ctx.now_ms);
  if (!destroyed.ok()) return ctx.ReplyError(destroyed.status());
  if (*destroyed) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyStream, "xgroup-destroy", ctx.args[2]);
  }
  ctx.reply.Integer(*destroyed ? 1 : 0);
}

// XGROUP CREATECONSUMER key group consumer: 1 when created, 0 when it existed.
void XGroupCreateConsumerCommand(CommandContext& ctx) {
  if (!ResolveGroupOrReply(ctx, true)) return;
  auto created =
      storage::OpXGroupCreateConsumer(ctx.db(), ctx.args[2], ctx.args[3], ctx.args[4], ctx.now_ms);
  if (!created.ok()) return ctx.ReplyError(created.status());
  if (*created) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyStream, "xgroup-createconsumer", ctx.args[2]);
  }
  ctx.reply.Integer(*created ? 1 : 0);
}

// XGROUP DELCONSUMER key group consumer: the pending entries the consumer had.
void XGroupDelConsumerCommand(CommandContext& ctx) {
  if (!ResolveGroupOrReply(ctx, true)) return;
  auto pending =
      storage::OpXGroupDelConsumer(ctx.db(), ctx.args[2], ctx.args[3], ctx.args[4], ctx.now_ms);
  if (!pending.ok()) return ctx.ReplyError(pending.status());
  if (pending->has_value()) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyStream, "xgroup-delconsumer", ctx.args[2]);
  }
  ctx.reply.Integer(static_cast<int64_t>(pending->value_or(0)));
}

void XGroupHelpCommand(CommandContext& ctx) {
  ReplyHelp(
      ctx, "XGROUP",
      {"CREATE <key> <groupname> <id|$> [option]",
       "    Create a new consumer group. Options are:", "    * MKSTREAM",
       "      Create the empty stream if it does not exist.", "    * ENTRIESREAD entries_read",
       "      Set the group's entries_read counter (internal use).",
       "CREATECONSUMER <key> <groupname> <consumer>",
       "    Create a new consumer in the specified group.",
       "DELCONSUMER <key> <groupname> <consumer>", "    Remove the specified consumer.",
       "DESTROY <key> <groupname>", "    Remove the specified group.",
       "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
       "    Set the current group ID and entries_read counter."});
}

// XACK key group id [id ...]: 0 for a missing key or group; IDs are all parsed first.
void XAckCommand(CommandContext& ctx) {
  auto lookup = storage::OpLookupStreamGroup(ctx.db(), ctx.args[1], ctx.args[2], ctx.now_ms);
  if (!lookup.ok()) return ctx.ReplyError(lookup.status());
  if (!lookup->group_exists) return ctx.reply.Integer(0);
  std::vector<StreamId> ids;
  for (std::string_view text : ctx.args.subspan(3)) {
    const std::optional<StreamId> id = ParseStrictStreamIdOrReply(ctx, text, 0);
    if (!id) return;
    ids.push_back(*id);
  }
  auto acknowledged = storage::OpXAck(ctx.db(), ctx.args[1], ctx.args[2], ids, ctx.now_ms);
  if (!acknowledged.ok()) return ctx.ReplyError(acknowledged.status());
  ctx.MarkDirty(static_cast<uint64_t>(*acknowledged));
  ctx.reply.Integer(*acknowledged);
}

void ReplyPendingSummary(CommandContext& ctx, const storage::PendingSummary& summary) {
  ctx.reply.ArrayHeader(4);
  ctx.reply.Integer(static_cast<int64_t>(summary.count));
  if (summary.count == 0) {
    ctx.reply.Null();
    ctx.reply.Null();
    ctx.reply.NullArray();
    return;
  }
  ctx.reply.Bulk(storage::FormatStreamId(summary.smallest));
  ctx.reply.Bulk(storage::FormatStreamId(summary.largest));
  ctx.reply.ArrayHeader(static_cast<int64_t>(summary.per_consumer.size()));
  for (const auto& [name, count] : summary.per_consumer) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(name);
    ctx.reply.Bulk(std::to_string(count));
  }
}

// XPENDING key group [[IDLE min-idle] start end count [consumer]]: the range, count and
// IDLE are checked before the key, as Redis does.
void XPendingCommand(CommandContext& ctx) {
  const size_t argc = ctx.args.size();
  if (argc != 3 && (argc < 6 || argc > 9)) return ctx.reply.Error(kErrSyntax);
  storage::PendingQuery query;
  if (argc >= 6) {
    size_t start = 3;
    if (EqualsIgnoreCase(ctx.args[3], "idle")) {
      const std::optional<int64_t> idle = ArgToInt64(ctx.args[4]);
      if (!idle) return ctx.reply.Error(kErrNotInteger);
      if (argc < 8) return ctx.reply.Error(kErrSyntax);
      query.min_idle_ms = *idle;
      start += 2;
    }
    const std::optional<int64_t> count = ArgToInt64(ctx.args[start + 2]);
    if (!count) return ctx.reply.Error(kErrNotInteger);
    query.count = *count < 0 ? 0 : static_cast<size_t>(*count);
    const std::optional<StreamId> from = ParseRangeBoundOrReply(ctx, ctx.args[start], true);
    if (!from) return;
    const std::optional<StreamId> to = ParseRangeBoundOrReply(ctx, ctx.args[start + 1], false);
    if (!to) return;
    query.start = *from;
    query.end = *to;
    if (start + 3 < argc) query.consumer = std::string(ctx.args[start + 3]);
  }
  const std::string no_group = "NOGROUP No such key '" + std::string(ctx.args[1]) +
                               "' or consumer group '" + std::string(ctx.args[2]) + "'";
  if (argc == 3) {
    auto summary = storage::OpXPendingSummary(ctx.db(), ctx.args[1], ctx.args[2], ctx.now_ms);
    if (summary.status() == OpStatus::kKeyNotFound) return ctx.reply.Error(no_group);
    if (!summary.ok()) return ctx.ReplyError(summary.status());
    if (!summary->has_value()) return ctx.reply.Error(no_group);
    return ReplyPendingSummary(ctx, **summary);
  }
  auto rows = storage::OpXPendingRange(ctx.db(), ctx.args[1], ctx.args[2], query, ctx.now_ms);
  if (rows.status() == OpStatus::kKeyNotFound) return ctx.reply.Error(no_group);
  if (!rows.ok()) return ctx.ReplyError(rows.status());
  if (!rows->has_value()) return ctx.reply.Error(no_group);
  ctx.reply.ArrayHeader(static_cast<int64_t>((*rows)->size()));
  for (const storage::PendingRow& row : **rows) {
    ctx.reply.ArrayHeader(4);
    ctx.reply.Bulk(storage::FormatStreamId(row.id));
    ctx.reply.Bulk(row.consumer);
    ctx.reply.Integer(row.idle_ms);
    ctx.reply.Integer(static_cast<int64_t>(row.delivery_count));
  }
}

}  // namespace

// clang-format off
std::span<const CommandSpec> StreamGroupCommandRows() {
  static constexpr CommandSpec kXGroupSubcommands[] = {
      {.name = "xgroup|create", .arity = -5, .flags = kWrite | kDenyOom, .keys = kKey2,
       .since = "5.0.0", .summary = "Creates a consumer group.", .handler = XGroupCreateCommand},
      {.name = "xgroup|createconsumer", .arity = 5, .flags = kWrite | kDenyOom, .keys = kKey2,
       .since = "6.2.0", .summary = "Creates a consumer in a consumer group.",
       .handler = XGroupCreateConsumerCommand},
      {.name = "xgroup|delconsumer", .arity = 5, .flags = kWrite, .keys = kKey2, .since = "5.0.0",
       .summary = "Deletes a consumer from a consumer group.",
       .handler = XGroupDelConsumerCommand},
      {.name = "xgroup|destroy", .arity = 4, .flags = kWrite, .keys = kKey2, .since = "5.0.0",
       .summary = "Destroys a consumer group.", .handler = XGroupDestroyCommand},
      {.name = "xgroup|help", .arity = 2, .flags = kLoading | kStale, .since = "5.0.0",
       .summary = "Returns helpful text about the different subcommands.",
       .handler = XGroupHelpCommand},
      {.name = "xgroup|setid", .arity = -5, .flags = kWrite, .keys = kKey2, .since = "5.0.0",
       .summary = "Sets the last-delivered ID of a consumer group.",
       .handler = XGroupSetIdCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "xgroup", .arity = -2, .since = "5.0.0",
       .summary = "A container for consumer groups commands.", .handler = nullptr,
       .subcommands = kXGroupSubcommands},
      {.name = "xack", .arity = -4, .flags = kWrite | kFast, .keys = kKey1, .since = "5.0.0",
       .summary = "Returns the number of messages that were successfully acknowledged by the "
                  "consumer group member of a stream.",
       .handler = XAckCommand},
      {.name = "xpending", .arity = -3, .flags = kReadOnly, .keys = kKey1, .since = "5.0.0",
       .summary = "Returns the information and entries from a stream consumer group's pending "
                  "entries list.",
       .handler = XPendingCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
