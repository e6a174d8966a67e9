// Handlers of the stream family that add, read, delete and trim entries: XADD, XLEN, XRANGE,
// XREVRANGE, XDEL, XTRIM and XSETID. Replies, error texts and the order in which arguments
// and the key are checked follow Redis 7.0's t_stream.c. XADD propagates the ID it
// generated, and an approximate trim ("~") propagates as the exact one it turned out to be,
// so a replay of the AOF removes exactly the same entries.
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
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/stream_ops.h"

namespace ember::server {
namespace {

using storage::OpStatus;
using storage::StreamId;
using storage::StreamTrim;

void ReplyId(CommandContext& ctx, StreamId id) { ctx.reply.Bulk(storage::FormatStreamId(id)); }

// The command as sent, with the approximate trim made exact ("= <n>") and, for XADD, the
// generated ID in place of "*" or "<ms>-*".
std::vector<std::string> ExactArgv(const CommandContext& ctx, const AddOrTrimArgs& parsed,
                                   const std::string& exact_trim_arg,
                                   const std::optional<StreamId>& added) {
  std::vector<std::string> argv(ctx.args.begin(), ctx.args.end());
  if (!exact_trim_arg.empty()) {
    argv[parsed.trim_arg_index - 1] = "=";
    argv[parsed.trim_arg_index] = exact_trim_arg;
  }
  if (added) argv[parsed.id_index] = storage::FormatStreamId(*added);
  return argv;
}

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ...
void XAddCommand(CommandContext& ctx) {
  const std::optional<AddOrTrimArgs> parsed = ParseAddOrTrimArgsOrReply(ctx, /*xadd=*/true);
  if (!parsed) return;
  const size_t first_field = parsed->id_index + 1;
  if (ctx.args.size() <= first_field || (ctx.args.size() - first_field) % 2 != 0) {
    return ctx.reply.Error(WrongArityError(ctx.args[0]));
  }
  if (parsed->id_given && parsed->seq_given && parsed->id.is_zero()) {
    return ctx.reply.Error("ERR The ID specified in XADD must be greater than 0-0");
  }
  storage::XAddRequest request;
  request.no_mkstream = parsed->no_mkstream;
  request.id_given = parsed->id_given;
  request.seq_given = parsed->seq_given;
  request.id = parsed->id;
  request.field_values = ctx.args.subspan(first_field);
  request.trim = parsed->trim;
  auto added = storage::OpXAdd(ctx.db(), ctx.args[1], request, ctx.now_ms);
  if (!added.ok()) return ctx.ReplyError(added.status());
  using Outcome = storage::XAddResult::Outcome;
  switch (added->outcome) {
    case Outcome::kNoStream:
      return ctx.reply.Null();
    case Outcome::kIdTooSmall:
      return ctx.reply.Error(
          "ERR The ID specified in XADD is equal or smaller than the target stream top item");
    case Outcome::kExhausted:
      return ctx.reply.Error(
          "ERR The stream has exhausted the last possible ID, unable to add more items");
    case Outcome::kTooLarge:
      return ctx.reply.Error("ERR Elements are too large to be stored");
    case Outcome::kAdded:
      break;
  }
  ReplyId(ctx, added->id);
  ctx.MarkDirty();
  ctx.Notify(kNotifyStream, "xadd", ctx.args[1]);
  if (added->trimmed > 0) ctx.Notify(kNotifyStream, "xtrim", ctx.args[1]);
  const bool id_generated = !parsed->id_given || !parsed->seq_given;
  if (!added->exact_trim_arg.empty() || id_generated) {
    ctx.PropagateAs(ExactArgv(ctx, *parsed, added->exact_trim_arg,
                              id_generated ? std::optional(added->id) : std::nullopt));
  }
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
void XTrimCommand(CommandContext& ctx) {
  const std::optional<AddOrTrimArgs> parsed = ParseAddOrTrimArgsOrReply(ctx, /*xadd=*/false);
  if (!parsed) return;
  auto trimmed = storage::OpXTrim(ctx.db(), ctx.args[1], parsed->trim, ctx.now_ms);
  if (!trimmed.ok()) return ctx.ReplyError(trimmed.status());
  if (trimmed->trimmed > 0) {
    ctx.Notify(kNotifyStream, "xtrim", ctx.args[1]);
    ctx.MarkDirty(static_cast<uint64_t>(trimmed->trimmed));
    if (!trimmed->exact_trim_arg.empty()) {
      ctx.PropagateAs(ExactArgv(ctx, *parsed, trimmed->exact_trim_arg, std::nullopt));
    }
  }
  ctx.reply.Integer(trimmed->trimmed);
}

void XLenCommand(CommandContext& ctx) {
  auto length = storage::OpXLen(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!length.ok()) return ctx.ReplyError(length.status());
  ctx.reply.Integer(*length);
}

// XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count]: the bounds and
// COUNT are checked before the key.
void Range(CommandContext& ctx, bool reverse) {
  const std::optional<StreamId> start =
      ParseRangeBoundOrReply(ctx, reverse ? ctx.args[3] : ctx.args[2], /*is_start=*/true);
  if (!start) return;
  const std::optional<StreamId> end =
      ParseRangeBoundOrReply(ctx, reverse ? ctx.args[2] : ctx.args[3], /*is_start=*/false);
  if (!end) return;
  int64_t count = -1;
  for (size_t i = 4; i < ctx.args.size(); ++i) {
    if (EqualsIgnoreCase(ctx.args[i], "count") && i + 1 < ctx.args.size()) {
      const std::optional<int64_t> parsed = ArgToInt64(ctx.args[i + 1]);
      if (!parsed) return ctx.reply.Error(kErrNotInteger);
      count = *parsed < 0 ? 0 : *parsed;
      ++i;
    } else {
      return ctx.reply.Error(kErrSyntax);
    }
  }
  auto entries = storage::OpXRange(ctx.db(), ctx.args[1], *start, *end, reverse,
                                   count < 0 ? 0 : static_cast<size_t>(count), ctx.now_ms);
  if (entries.status() == OpStatus::kKeyNotFound) return ctx.reply.ArrayHeader(0);
  if (!entries.ok()) return ctx.ReplyError(entries.status());
  if (count == 0) return ctx.reply.NullArray();
  ctx.reply.ArrayHeader(static_cast<int64_t>(entries->size()));
  for (const storage::StreamEntry& entry : *entries) {
    ctx.reply.ArrayHeader(2);
    ReplyId(ctx, entry.id);
    ctx.reply.ArrayHeader(static_cast<int64_t>(entry.field_values.size()));
    for (const std::string& text : entry.field_values) ctx.reply.Bulk(text);
  }
}

void XRangeCommand(CommandContext& ctx) { Range(ctx, false); }
void XRevRangeCommand(CommandContext& ctx) { Range(ctx, true); }

// XDEL key id [id ...]: every ID is parsed before any is deleted.
void XDelCommand(CommandContext& ctx) {
  std::vector<StreamId> ids;
  ids.reserve(ctx.args.size() - 2);
  // The key is looked up first, as Redis does: a missing key answers 0 and a wrong type
  // wins over a bad ID.
  auto found = ctx.db().FindOfType(ctx.args[1], storage::ValueType::kStream, ctx.now_ms);
  if (found.status() == OpStatus::kKeyNotFound) return ctx.reply.Integer(0);
  if (!found.ok()) return ctx.ReplyError(found.status());
  for (std::string_view text : ctx.args.subspan(2)) {
    const std::optional<StreamId> id = ParseStrictStreamIdOrReply(ctx, text, 0);
    if (!id) return;
    ids.push_back(*id);
  }
  auto deleted = storage::OpXDel(ctx.db(), ctx.args[1], ids, ctx.now_ms);
  if (!deleted.ok()) return ctx.ReplyError(deleted.status());
  if (*deleted > 0) {
    ctx.Notify(kNotifyStream, "xdel", ctx.args[1]);
    ctx.MarkDirty(static_cast<uint64_t>(*deleted));
  }
  ctx.reply.Integer(*deleted);
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
void XSetIdCommand(CommandContext& ctx) {
  const std::optional<StreamId> id = ParseStrictStreamIdOrReply(ctx, ctx.args[2], 0);
  if (!id) return;
  storage::XSetIdRequest request;
  request.last_id = *id;
  for (size_t i = 3; i < ctx.args.size(); i += 2) {
    const bool more = i + 1 < ctx.args.size();
    if (EqualsIgnoreCase(ctx.args[i], "entriesadded") && more) {
      const std::optional<int64_t> added = ArgToInt64(ctx.args[i + 1]);
      if (!added) return ctx.reply.Error(kErrNotInteger);
      if (*added < 0) return ctx.reply.Error("ERR entries_added must be positive");
      request.entries_added = static_cast<uint64_t>(*added);
    } else if (EqualsIgnoreCase(ctx.args[i], "maxdeletedid") && more) {
      const std::optional<StreamId> max_deleted =
          ParseStrictStreamIdOrReply(ctx, ctx.args[i + 1], 0);
      if (!max_deleted) return;
      if (*id < *max_deleted) {
        return ctx.reply.Error(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
      }
      if (!max_deleted->is_zero()) request.max_deleted_id = *max_deleted;
    } else {
      return ctx.reply.Error(kErrSyntax);
    }
  }
  auto outcome = storage::OpXSetId(ctx.db(), ctx.args[1], request, ctx.now_ms);
  if (outcome.status() == OpStatus::kKeyNotFound) return ctx.reply.Error("ERR no such key");
  if (!outcome.ok()) return ctx.ReplyError(outcome.status());
  switch (*outcome) {
    case storage::XSetIdOutcome::kSmallerThanTop:
      return ctx.reply.Error(
          "ERR The ID specified in XSETID is smaller than the target stream top item");
    case storage::XSetIdOutcome::kEntriesAddedTooSmall:
      return ctx.reply.Error(
          "ERR The entries_added specified in XSETID is smaller than the target stream length");
    case storage::XSetIdOutcome::kSet:
      break;
  }
  ctx.reply.Ok();
  ctx.MarkDirty();
  ctx.Notify(kNotifyStream, "xsetid", ctx.args[1]);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> StreamCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "xadd", .arity = -5, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "5.0.0", .summary = "Appends a new message to a stream. Creates the key if it doesn't exist.",
       .handler = XAddCommand},
      {.name = "xtrim", .arity = -4, .flags = kWrite, .keys = kKey1, .since = "5.0.0",
       .summary = "Deletes messages from the beginning of a stream.", .handler = XTrimCommand},
      {.name = "xlen", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "5.0.0",
       .summary = "Return the number of messages in a stream.", .handler = XLenCommand},
      {.name = "xrange", .arity = -4, .flags = kReadOnly, .keys = kKey1, .since = "5.0.0",
       .summary = "Returns the messages from a stream within a range of IDs.",
       .handler = XRangeCommand},
      {.name = "xrevrange", .arity = -4, .flags = kReadOnly, .keys = kKey1, .since = "5.0.0",
       .summary = "Returns the messages from a stream within a range of IDs in reverse order.",
       .handler = XRevRangeCommand},
      {.name = "xdel", .arity = -3, .flags = kWrite | kFast, .keys = kKey1, .since = "5.0.0",
       .summary = "Returns the number of messages after removing them from a stream.",
       .handler = XDelCommand},
      {.name = "xsetid", .arity = -3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "5.0.0", .summary = "An internal command for replicating stream values.",
       .handler = XSetIdCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
