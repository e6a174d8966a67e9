// XINFO: STREAM (with FULL [COUNT n]), GROUPS, CONSUMERS and HELP, with Redis 7.0's reply
// shapes (maps in RESP3) and errors.
//
// radix-tree-keys is the number of nodes, as in Redis. radix-tree-nodes counts the inner
// nodes of Redis's radix tree, which Ember does not have (its nodes sit in an ordered map):
// it reports keys + 1, a tree's root above its leaves, so tools reading the field get a
// number of the same order.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"
#include "storage/ops/stream_info_ops.h"
#include "storage/ops/stream_ops.h"

namespace ember::server {
namespace {

using storage::OpStatus;
using storage::StreamEntry;

void ReplyEntry(CommandContext& ctx, const StreamEntry& entry) {
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(storage::FormatStreamId(entry.id));
  ctx.reply.ArrayHeader(static_cast<int64_t>(entry.field_values.size()));
  for (const std::string& text : entry.field_values) ctx.reply.Bulk(text);
}

// The key every subcommand but HELP looks up first, as Redis does: "no such key" or
// WRONGTYPE ends the command there.
bool StreamExistsOrReply(CommandContext& ctx) {
  auto found = ctx.db().FindOfType(ctx.args[2], storage::ValueType::kStream, ctx.now_ms,
                                   storage::LookupMode::kRead);
  if (found.status() == OpStatus::kKeyNotFound) {
    ctx.reply.Error("ERR no such key");
    return false;
  }
  if (!found.ok()) {
    ctx.ReplyError(found.status());
    return false;
  }
  return true;
}

void ReplyEntriesRead(CommandContext& ctx, int64_t entries_read) {
  if (entries_read == storage::kUnknownEntriesRead) return ctx.reply.Null();
  ctx.reply.Integer(entries_read);
}

void ReplyLag(CommandContext& ctx, const std::optional<int64_t>& lag) {
  lag ? ctx.reply.Integer(*lag) : ctx.reply.Null();
}

// One group of XINFO STREAM FULL: its fields, pending entries and consumers.
void ReplyFullGroup(CommandContext& ctx, const storage::FullGroupInfo& info) {
  auto& reply = ctx.reply;
  reply.MapHeader(7);
  reply.Bulk("name");
  reply.Bulk(info.group.name);
  reply.Bulk("last-delivered-id");
  reply.Bulk(storage::FormatStreamId(info.group.last_id));
  reply.Bulk("entries-read");
  ReplyEntriesRead(ctx, info.group.entries_read);
  reply.Bulk("lag");
  ReplyLag(ctx, info.group.lag);
  reply.Bulk("pel-count");
  reply.Integer(static_cast<int64_t>(info.group.pending));
  reply.Bulk("pending");
  reply.ArrayHeader(static_cast<int64_t>(info.pending.size()));
  for (const auto& pending : info.pending) {
    reply.ArrayHeader(4);
    reply.Bulk(storage::FormatStreamId(pending.id));
    reply.Bulk(pending.consumer);
    reply.Integer(pending.delivery_time);
    reply.Integer(static_cast<int64_t>(pending.delivery_count));
  }
  reply.Bulk("consumers");
  reply.ArrayHeader(static_cast<int64_t>(info.consumers.size()));
  for (const auto& consumer : info.consumers) {
    reply.MapHeader(4);
    reply.Bulk("name");
    reply.Bulk(consumer.name);
    reply.Bulk("seen-time");
    reply.Integer(consumer.seen_time);
    reply.Bulk("pel-count");
    reply.Integer(static_cast<int64_t>(consumer.pel_count));
    reply.Bulk("pending");
    reply.ArrayHeader(static_cast<int64_t>(consumer.pending.size()));
    for (const auto& pending : consumer.pending) {
      reply.ArrayHeader(3);
      reply.Bulk(storage::FormatStreamId(pending.id));
      reply.Integer(pending.delivery_time);
      reply.Integer(static_cast<int64_t>(pending.delivery_count));
    }
  }
}

// XINFO STREAM key [FULL [COUNT count]]
void XInfoStreamCommand(CommandContext& ctx) {
  if (!StreamExistsOrReply(ctx)) return;
  const std::span<const std::string_view> options = ctx.args.subspan(3);
  const bool full = !options.empty();
  int64_t count = 10;
  if (full) {
    if ((options.size() != 1 && options.size() != 3) || !EqualsIgnoreCase(options[0], "full") ||
        (options.size() == 3 && !EqualsIgnoreCase(options[1], "count"))) {
      return ctx.reply.Error(SubcommandSyntaxError("XINFO", ctx.args[1]));
    }
    if (options.size() == 3) {
      const std::optional<int64_t> parsed = ArgToInt64(options[2]);
      if (!parsed) return ctx.reply.Error(kErrNotInteger);
      count = *parsed < 0 ? 10 : *parsed;
    }
  }
  auto info =
      storage::OpXInfoStream(ctx.db(), ctx.args[2], full, static_cast<size_t>(count), ctx.now_ms);
  if (!info.ok()) return ctx.ReplyError(info.status());
  auto& reply = ctx.reply;
  reply.MapHeader(full ? 9 : 10);
  reply.Bulk("length");
  reply.Integer(static_cast<int64_t>(info->length));
  reply.Bulk("radix-tree-keys");
  reply.Integer(static_cast<int64_t>(info->nodes));
  reply.Bulk("radix-tree-nodes");
  reply.Integer(static_cast<int64_t>(info->nodes + 1));
  reply.Bulk("last-generated-id");
  reply.Bulk(storage::FormatStreamId(info->last_id));
  reply.Bulk("max-deleted-entry-id");
  reply.Bulk(storage::FormatStreamId(info->max_deleted_id));
  reply.Bulk("entries-added");
  reply.Integer(static_cast<int64_t>(info->entries_added));
  reply.Bulk("recorded-first-entry-id");
  reply.Bulk(storage::FormatStreamId(info->first_id));
  if (!full) {
    auto groups = storage::OpXInfoGroups(ctx.db(), ctx.args[2], ctx.now_ms);
    reply.Bulk("groups");
    reply.Integer(groups.ok() ? static_cast<int64_t>(groups->size()) : 0);
    reply.Bulk("first-entry");
    info->first_entry ? ReplyEntry(ctx, *info->first_entry) : reply.Null();
    reply.Bulk("last-entry");
    info->last_entry ? ReplyEntry(ctx, *info->last_entry) : reply.Null();
    return;
  }
  reply.Bulk("entries");
  reply.ArrayHeader(static_cast<int64_t>(info->entries.size()));
  for (const StreamEntry& entry : info->entries) ReplyEntry(ctx, entry);
  reply.Bulk("groups");
  auto groups =
      storage::OpXInfoFullGroups(ctx.db(), ctx.args[2], static_cast<size_t>(count), ctx.now_ms);
  if (!groups.ok()) return reply.ArrayHeader(0);
  reply.ArrayHeader(static_cast<int64_t>(groups->size()));
  for (const storage::FullGroupInfo& group : *groups) ReplyFullGroup(ctx, group);
}

// XINFO GROUPS key
void XInfoGroupsCommand(CommandContext& ctx) {
  if (!StreamExistsOrReply(ctx)) return;
  auto groups = storage::OpXInfoGroups(ctx.db(), ctx.args[2], ctx.now_ms);
  if (!groups.ok()) return ctx.ReplyError(groups.status());
  auto& reply = ctx.reply;
  reply.ArrayHeader(static_cast<int64_t>(groups->size()));
  for (const storage::GroupInfo& group : *groups) {
    reply.MapHeader(6);
    reply.Bulk("name");
    reply.Bulk(group.name);
    reply.Bulk("consumers");
    reply.Integer(static_cast<int64_t>(group.consumers));
    reply.Bulk("pending");
    reply.Integer(static_cast<int64_t>(group.pending));
    reply.Bulk("last-delivered-id");
    reply.Bulk(storage::FormatStreamId(group.last_id));
    reply.Bulk("entries-read");
    ReplyEntriesRead(ctx, group.entries_read);
    reply.Bulk("lag");
    ReplyLag(ctx, group.lag);
  }
}

// XINFO CONSUMERS key group
void XInfoConsumersCommand(CommandContext& ctx) {
  if (!StreamExistsOrReply(ctx)) return;
  auto consumers = storage::OpXInfoConsumers(ctx.db(), ctx.args[2], ctx.args[3], ctx.now_ms);
  if (!consumers.ok()) return ctx.ReplyError(consumers.status());
  if (!consumers->has_value()) {
    return ctx.reply.Error("NOGROUP No such consumer group '" + std::string(ctx.args[3]) +
                           "' for key name '" + std::string(ctx.args[2]) + "'");
  }
  auto& reply = ctx.reply;
  reply.ArrayHeader(static_cast<int64_t>((*consumers)->size()));
  for (const storage::ConsumerInfo& consumer : **consumers) {
    reply.MapHeader(3);
    reply.Bulk("name");
    reply.Bulk(consumer.name);
    reply.Bulk("pending");
    reply.Integer(static_cast<int64_t>(consumer.pending));
    reply.Bulk("idle");
    reply.Integer(consumer.idle_ms);
  }
}

void XInfoHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "XINFO",
            {"CONSUMERS <key> <groupname>", "    Show consumers of <groupname>.", "GROUPS <key>",
             "    Show the stream consumer groups.", "STREAM <key> [FULL [COUNT <count>]",
             "    Show information about the stream."});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> StreamInfoCommandRows() {
  static constexpr CommandSpec kXInfoSubcommands[] = {
      {.name = "xinfo|consumers", .arity = 4, .flags = kReadOnly, .keys = kKey2, .since = "5.0.0",
       .summary = "Returns a list of the consumers in a consumer group.",
       .handler = XInfoConsumersCommand},
      {.name = "xinfo|groups", .arity = 3, .flags = kReadOnly, .keys = kKey2, .since = "5.0.0",
       .summary = "Returns a list of the consumer groups of a stream.",
       .handler = XInfoGroupsCommand},
      {.name = "xinfo|help", .arity = 2, .flags = kLoading | kStale, .since = "5.0.0",
       .summary = "Returns helpful text about the different subcommands.",
       .handler = XInfoHelpCommand},
      {.name = "xinfo|stream", .arity = -3, .flags = kReadOnly, .keys = kKey2, .since = "5.0.0",
       .summary = "Returns information about a stream.", .handler = XInfoStreamCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "xinfo", .arity = -2, .since = "5.0.0",
       .summary = "A container for stream introspection commands.", .handler = nullptr,
       .subcommands = kXInfoSubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
