// XREAD and XREADGROUP, blocking included, as Redis 7.0's xreadCommand and
// serveClientsBlockedOnStreamKey do them.
//
// A read serves every stream that has something for it; with BLOCK and nothing to serve, the
// client waits on all the keys (server/core/blocked_clients.h) with "$" resolved to the ID
// it meant then, and is served from the first key that gets an entry after its ID (for a
// group's ">", after the group's last delivered ID at serving time), at most COUNT (else
// 1000) entries. XREADGROUP propagates what it did as Redis does: an XCLAIM ... FORCE
// JUSTID LASTID per delivered entry, and with NOACK XGROUP CREATECONSUMER / SETID.
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
#include "server/families/stream/stream_args.h"
#include "server/families/stream/stream_propagation.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/stream_group_ops.h"

namespace ember::server {
namespace {

using storage::OpStatus;
using storage::StreamId;

// When a blocked read is served without COUNT, it gets at most this many entries.
constexpr size_t kBlockedDefaultCount = 1000;

struct ReadArgs {
  bool group_read = false;
  std::string_view group;
  std::string_view consumer;
  bool noack = false;
  std::optional<int64_t> block_ms;  // BLOCK's timeout, 0: forever
  size_t count = 0;                 // 0: all
  size_t streams_at = 0;            // index of the first key
  size_t stream_count = 0;
};

// The options before STREAMS, in any order (Redis's loop); nullopt after replying.
std::optional<ReadArgs> ParseReadArgsOrReply(CommandContext& ctx, bool xreadgroup) {
  ReadArgs parsed;
  parsed.group_read = xreadgroup;
  const auto& args = ctx.args;
  bool group_given = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const size_t more = args.size() - i - 1;
    const std::string_view opt = args[i];
    if (EqualsIgnoreCase(opt, "block") && more > 0) {
      if (ctx.client.is_script) {
        ctx.reply.Error("ERR " + std::string(args[0]) +
                        " command is not allowed with BLOCK option from scripts");
        return std::nullopt;
      }
      std::string_view error;
      const std::optional<int64_t> timeout = ParseMillisecondsTimeout(args[++i], &error);
      if (!timeout) {
        ctx.reply.Error(error);
        return std::nullopt;
      }
      parsed.block_ms = *timeout;
    } else if (EqualsIgnoreCase(opt, "count") && more > 0) {
      const std::optional<int64_t> count = ArgToInt64(args[++i]);
      if (!count) {
        ctx.reply.Error(kErrNotInteger);
        return std::nullopt;
      }
      parsed.count = *count < 0 ? 0 : static_cast<size_t>(*count);
    } else if (EqualsIgnoreCase(opt, "streams") && more > 0) {
      parsed.streams_at = i + 1;
      if ((args.size() - parsed.streams_at) % 2 != 0) {
        ctx.reply.Error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
        return std::nullopt;
      }
      parsed.stream_count = (args.size() - parsed.streams_at) / 2;
      break;
    } else if (EqualsIgnoreCase(opt, "group") && more >= 2) {
      if (!xreadgroup) {
        ctx.reply.Error(
            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return std::nullopt;
      }
      parsed.group = args[i + 1];
      parsed.consumer = args[i + 2];
      group_given = true;
      i += 2;
    } else if (EqualsIgnoreCase(opt, "noack")) {
      if (!xreadgroup) {
        ctx.reply.Error(
            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return std::nullopt;
      }
      parsed.noack = true;
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  if (parsed.streams_at == 0) {
    ctx.reply.Error(kErrSyntax);
    return std::nullopt;
  }
  if (xreadgroup && !group_given) {
    ctx.reply.Error("ERR Missing GROUP option for XREADGROUP");
    return std::nullopt;
  }
  return parsed;
}

// Each stream's starting point: after this ID; nullopt for a group's ">".
struct StreamTarget {
  std::string_view key;
  std::optional<StreamId> after;
  StreamId group_last_id;  // a group read's position now
};

// Checks every key (type, and the group for XREADGROUP) and parses every ID, in Redis's
// order; nullopt after replying.
std::optional<std::vector<StreamTarget>> ResolveTargetsOrReply(CommandContext& ctx,
                                                               const ReadArgs& parsed) {
  std::vector<StreamTarget> targets;
  for (size_t i = 0; i < parsed.stream_count; ++i) {
    StreamTarget target;
    target.key = ctx.args[parsed.streams_at + i];
    const std::string_view id_text = ctx.args[parsed.streams_at + parsed.stream_count + i];
    auto lookup = storage::OpLookupStreamGroup(ctx.db(), target.key, parsed.group, ctx.now_ms);
    if (!lookup.ok()) {
      ctx.ReplyError(lookup.status());
      return std::nullopt;
    }
    if (parsed.group_read && !lookup->group_exists) {
      ctx.reply.Error("NOGROUP No such key '" + std::string(target.key) + "' or consumer group '" +
                      std::string(parsed.group) + "' in XREADGROUP with GROUP option");
      return std::nullopt;
    }
    if (id_text == "$") {
      if (parsed.group_read) {
        ctx.reply.Error(
            "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
            "history of this consumer by specifying a proper ID, or use the > ID to get new "
            "messages. The $ ID would just return an empty result set.");
        return std::nullopt;
      }
      target.after = lookup->stream_exists ? lookup->last_id : StreamId{};
    } else if (id_text == ">") {
      if (!parsed.group_read) {
        ctx.reply.Error(
            "ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
            "<group> <consumer> option.");
        return std::nullopt;
      }
      target.after.reset();
    } else {
      const std::optional<StreamId> id = ParseStrictStreamIdOrReply(ctx, id_text, 0);
      if (!id) return std::nullopt;
      target.after = *id;
    }
    targets.push_back(target);
  }
  return targets;
}

void ReplyEntries(CommandContext& ctx, const std::vector<storage::StreamReadEntry>& entries) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(entries.size()));
  for (const storage::StreamReadEntry& entry : entries) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(storage::FormatStreamId(entry.id));
    if (entry.deleted) {
      ctx.reply.NullArray();
      continue;
    }
    ctx.reply.ArrayHeader(static_cast<int64_t>(entry.field_values.size()));
    for (const std::string& text : entry.field_values) ctx.reply.Bulk(text);
  }
}

// Reads `target` for the group and records the propagation and events it calls for.
std::vector<storage::StreamReadEntry> ReadForGroup(CommandContext& ctx, const ReadArgs& parsed,
                                                   const StreamTarget& target, size_t count) {
  auto read = storage::OpXReadGroup(ctx.db(), target.key, parsed.group, parsed.consumer,
                                    target.after, count, parsed.noack, ctx.now_ms);
  if (!read.ok()) return {};
  if (read->consumer_created) {
    ctx.MarkDirty();  // Redis's streamCreateConsumer counts the creation
    ctx.Notify(kNotifyStream, "xgroup-createconsumer", target.key);
    if (parsed.noack) {
      ctx.PropagateEffect(CreateConsumerArgv(target.key, parsed.group, parsed.consumer));
    }
  }
  for (const auto& delivery : read->deliveries) {
    ctx.PropagateEffect(XClaimArgv(target.key, parsed.group, parsed.consumer, delivery.id,
                                   delivery.delivery_time, delivery.delivery_count,
                                   delivery.group_last_id));
  }
  if (parsed.noack && read->last_id_moved) {
    ctx.PropagateEffect(
        SetIdArgv(target.key, parsed.group, read->group_last_id, read->group_entries_read));
  }
  ctx.MarkDirty();
  return std::move(read->entries);
}

// Whether `target` has something to serve now (Redis's serve_synchronously).
bool ServesNow(CommandContext& ctx, const ReadArgs& parsed, StreamTarget& target) {
  if (parsed.group_read && target.after) return true;  // its own history, even if empty
  auto lookup = storage::OpLookupStreamGroup(ctx.db(), target.key, parsed.group, ctx.now_ms);
  if (!lookup.ok() || !lookup->stream_exists) return false;
  StreamId after = target.after.value_or(StreamId{});
  if (parsed.group_read) {
    auto group_last = storage::OpGroupLastId(ctx.db(), target.key, parsed.group, ctx.now_ms);
    if (!group_last.ok() || !group_last->has_value()) return false;
    after = **group_last;
  }
  auto has = storage::OpStreamHasEntriesAfter(ctx.db(), target.key, after, ctx.now_ms);
  return has.ok() && *has;
}

void ReplyStreamHeader(CommandContext& ctx, std::string_view key) {
  if (!ctx.reply.resp3()) ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(key);
}

void Read(CommandContext& ctx, bool xreadgroup, ServeBlocked serve) {
  const std::optional<ReadArgs> parsed = ParseReadArgsOrReply(ctx, xreadgroup);
  if (!parsed) return;
  std::optional<std::vector<StreamTarget>> targets = ResolveTargetsOrReply(ctx, *parsed);
  if (!targets) return;
  if (xreadgroup) ctx.PropagateNothing();
  // Served streams' replies go out once we know how many there are.
  std::vector<std::pair<std::string_view, std::vector<storage::StreamReadEntry>>> served;
  for (StreamTarget& target : *targets) {
    if (!ServesNow(ctx, *parsed, target)) continue;
    if (xreadgroup) {
      served.emplace_back(target.key, ReadForGroup(ctx, *parsed, target, parsed->count));
      continue;
    }
    auto entries =
        storage::OpXReadAfter(ctx.db(), target.key, *target.after, parsed->count, ctx.now_ms);
    if (!entries.ok()) continue;
    std::vector<storage::StreamReadEntry> read;
    for (storage::StreamEntry& entry : *entries) {
      read.push_back({entry.id, std::move(entry.field_values), false});
    }
    served.emplace_back(target.key, std::move(read));
  }
  if (!served.empty()) {
    ctx.reply.resp3() ? ctx.reply.MapHeader(static_cast<int64_t>(served.size()))
                      : ctx.reply.ArrayHeader(static_cast<int64_t>(served.size()));
    for (const auto& [key, entries] : served) {
      ReplyStreamHeader(ctx, key);
      ReplyEntries(ctx, entries);
    }
    return;
  }
  if (!parsed->block_ms || !MayBlock(ctx)) return ctx.reply.NullArray();
  // The request remembers "$" as the ID it meant now, so a later entry is what serves it.
  std::vector<std::string> request(ctx.args.begin(), ctx.args.end());
  for (size_t i = 0; i < targets->size(); ++i) {
    std::string& id = request[parsed->streams_at + parsed->stream_count + i];
    if (id == "$") id = storage::FormatStreamId(*(*targets)[i].after);
  }
  const std::span<const std::string_view> keys =
      ctx.args.subspan(parsed->streams_at, parsed->stream_count);
  const int64_t deadline = *parsed->block_ms == 0 ? 0 : ctx.now_ms + *parsed->block_ms;
  BlockOnKeys(ctx, keys, deadline, serve, std::move(request));
}

// A blocked XREAD / XREADGROUP served from `key` (Redis's serveClientsBlockedOnStreamKey).
// False, with nothing replied, while `key` has nothing after the client's ID.
bool ServeRead(CommandContext& ctx, std::string_view key, bool xreadgroup) {
  const std::optional<ReadArgs> parsed = ParseReadArgsOrReply(ctx, xreadgroup);
  if (!parsed) return true;  // cannot happen: the same arguments parsed when it blocked
  size_t index = 0;
  while (index < parsed->stream_count && ctx.args[parsed->streams_at + index] != key) ++index;
  if (index == parsed->stream_count) return false;
  const std::string_view id_text = ctx.args[parsed->streams_at + parsed->stream_count + index];
  StreamTarget target{key, std::nullopt, {}};
  auto lookup = storage::OpLookupStreamGroup(ctx.db(), key, parsed->group, ctx.now_ms);
  if (!lookup.ok() || !lookup->stream_exists) return false;
  if (xreadgroup && !lookup->group_exists) {
    ctx.reply.Error("NOGROUP the consumer group this client was blocked on no longer exists");
    return true;
  }
  StreamId after;
  if (xreadgroup) {
    after = **storage::OpGroupLastId(ctx.db(), key, parsed->group, ctx.now_ms);
  } else {
    after = *storage::ParseStreamId(id_text, 0, true);
    target.after = after;
  }
  if (!(lookup->last_id > after)) return false;
  const size_t count = parsed->count == 0 ? kBlockedDefaultCount : parsed->count;
  std::vector<storage::StreamReadEntry> entries;
  if (xreadgroup) {
    ctx.PropagateNothing();
    entries = ReadForGroup(ctx, *parsed, target, count);
  } else {
    auto read = storage::OpXReadAfter(ctx.db(), key, after, count, ctx.now_ms);
    if (!read.ok()) return false;
    for (storage::StreamEntry& entry : *read) {
      entries.push_back({entry.id, std::move(entry.field_values), false});
    }
  }
  ctx.reply.resp3() ? ctx.reply.MapHeader(1) : ctx.reply.ArrayHeader(1);
  ReplyStreamHeader(ctx, key);
  ReplyEntries(ctx, entries);
  return true;
}

bool ServeXRead(CommandContext& ctx, std::string_view key) { return ServeRead(ctx, key, false); }
bool ServeXReadGroup(CommandContext& ctx, std::string_view key) {
  return ServeRead(ctx, key, true);
}

void XReadCommand(CommandContext& ctx) { Read(ctx, false, ServeXRead); }
void XReadGroupCommand(CommandContext& ctx) { Read(ctx, true, ServeXReadGroup); }

}  // namespace

// clang-format off
std::span<const CommandSpec> StreamReadCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "xread", .arity = -4, .flags = kReadOnly | kBlocking, .since = "5.0.0",
       .summary = "Returns messages from multiple streams with IDs greater than the ones "
                  "requested. Blocks until a message is available otherwise.",
       .handler = XReadCommand},
      {.name = "xreadgroup", .arity = -7, .flags = kWrite | kBlocking, .since = "5.0.0",
       .summary = "Returns new or historical messages from a stream for a consumer in a "
                  "group. Blocks until a message is available otherwise.",
       .handler = XReadGroupCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
