// Handlers of the set family that work on one set's members: SADD, SREM, SCARD, SISMEMBER,
// SMISMEMBER, SMOVE and SSCAN. Replies and error texts follow Redis 7.0's t_set.c; every
// write is propagated as sent.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/scan_args.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/set_ops.h"

namespace ember::server {
namespace {

using storage::OpStatus;

void SAddCommand(CommandContext& ctx) {
  auto added = storage::OpSAdd(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms);
  if (!added.ok()) return ctx.ReplyError(added.status());
  ctx.MarkDirty(static_cast<uint64_t>(*added));
  if (*added > 0) ctx.Notify(kNotifySet, "sadd", ctx.args[1]);
  ctx.reply.Integer(*added);
}

void SRemCommand(CommandContext& ctx) {
  auto removed = storage::OpSRem(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms);
  if (!removed.ok()) return ctx.ReplyError(removed.status());
  ctx.MarkDirty(static_cast<uint64_t>(*removed));
  if (*removed > 0) ctx.Notify(kNotifySet, "srem", ctx.args[1]);
  ctx.reply.Integer(*removed);
}

void SCardCommand(CommandContext& ctx) {
  auto size = storage::OpSCard(ctx.db(), ctx.args[1], ctx.now_ms);
  if (!size.ok()) return ctx.ReplyError(size.status());
  ctx.reply.Integer(*size);
}

void SIsMemberCommand(CommandContext& ctx) {
  auto found = storage::OpSMIsMember(ctx.db(), ctx.args[1], ctx.args.subspan(2, 1), ctx.now_ms);
  if (!found.ok()) return ctx.ReplyError(found.status());
  ctx.reply.Integer(found->front() ? 1 : 0);
}

void SMIsMemberCommand(CommandContext& ctx) {
  auto found = storage::OpSMIsMember(ctx.db(), ctx.args[1], ctx.args.subspan(2), ctx.now_ms);
  if (!found.ok()) return ctx.ReplyError(found.status());
  ctx.reply.ArrayHeader(static_cast<int64_t>(found->size()));
  for (bool member : *found) ctx.reply.Integer(member ? 1 : 0);
}

void SMoveCommand(CommandContext& ctx) {
  // "srem" on the source (then its "del" if emptied) before the destination is created,
  // then "sadd" when the destination gained the member, as Redis orders them.
  auto result = storage::OpSMove(ctx.db(), ctx.args[1], ctx.args[2], ctx.args[3], ctx.now_ms,
                                 [&ctx] { ctx.Notify(kNotifySet, "srem", ctx.args[1]); });
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.MarkDirty(static_cast<uint64_t>(result->changes));
  if (result->changes == 2) ctx.Notify(kNotifySet, "sadd", ctx.args[2]);
  ctx.reply.Integer(result->moved ? 1 : 0);
}

// SSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked first, then the key
// (a missing key answers an empty page whatever the options say), then the options.
void SScanCommand(CommandContext& ctx) {
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.args[2]);
  if (!cursor) return ctx.reply.Error(kErrInvalidCursor);
  const ScanArgs options = ParseScanArgs(ctx.args, 3, /*allow_type=*/false);
  storage::SetScanPage page;
  if (!options.error.empty()) {
    auto size = storage::OpSCard(ctx.db(), ctx.args[1], ctx.now_ms);
    if (!size.ok()) return ctx.ReplyError(size.status());
    if (*size > 0) return ctx.reply.Error(options.error);
  } else {
    auto scanned = storage::OpSScan(ctx.db(), ctx.args[1], *cursor, options.pattern, options.count,
                                    ctx.now_ms);
    if (!scanned.ok()) return ctx.ReplyError(scanned.status());
    page = std::move(*scanned);
  }
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(page.cursor));
  ctx.reply.ArrayHeader(static_cast<int64_t>(page.members.size()));
  for (const std::string& member : page.members) ctx.reply.Bulk(member);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> SetMemberCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "sadd", .arity = -3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Adds one or more members to a set, creating it if needed.",
       .handler = SAddCommand},
      {.name = "srem", .arity = -3, .flags = kWrite | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Removes one or more members from a set; an emptied set is deleted.",
       .handler = SRemCommand},
      {.name = "scard", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns the number of members of a set.", .handler = SCardCommand},
      {.name = "sismember", .arity = 3, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Tells whether a member belongs to a set.",
       .handler = SIsMemberCommand},
      {.name = "smismember", .arity = -3, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "6.2.0", .summary = "Tells for each of several members whether it belongs to a set.",
       .handler = SMIsMemberCommand},
      {.name = "smove", .arity = 4, .flags = kWrite | kFast, .keys = kKey12, .since = "1.0.0",
       .summary = "Moves a member from one set to another.", .handler = SMoveCommand},
      {.name = "sscan", .arity = -3, .flags = kReadOnly, .keys = kKey1, .since = "2.8.0",
       .summary = "Iterates over the members of a set.", .handler = SScanCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
