// XINFO: STREAM (with FULL [COUNT n]), GROUPS, CONSUMERS and HELP, with Redis 7.0's reply
// shapes (maps in RESP3) and errors. Consumer groups do not exist yet: GROUPS answers an
// empty list and CONSUMERS Redis's NOGROUP error.
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
    reply.Bulk("groups");
    reply.Integer(0);
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
  reply.ArrayHeader(0);
}

// XINFO GROUPS key: no stream has groups yet.
void XInfoGroupsCommand(CommandContext& ctx) {
  if (!StreamExistsOrReply(ctx)) return;
  ctx.reply.ArrayHeader(0);
}

// XINFO CONSUMERS key group: no group exists yet.
void XInfoConsumersCommand(CommandContext& ctx) {
  if (!StreamExistsOrReply(ctx)) return;
  ctx.reply.Error("NOGROUP No such consumer group '" + std::string(ctx.args[3]) +
                  "' for key name '" + std::string(ctx.args[2]) + "'");
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
