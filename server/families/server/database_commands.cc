// Commands on whole databases: DBSIZE, SWAPDB, FLUSHDB and FLUSHALL (Redis's "server"
// group, with the @keyspace category).
#include <cstdint>
#include <optional>
#include <span>

#include "server/command/acl_categories.h"
#include "server/command/arg_parser.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "storage/ops/key_ops.h"

namespace ember::server {
namespace {

// FLUSHDB / FLUSHALL take nothing, SYNC or ASYNC. Ember frees synchronously either way:
// the reply and the resulting keyspace are the same.
bool ParseFlushArgs(CommandContext& ctx) {
  if (ctx.args.size() == 1) return true;
  if (ctx.args.size() == 2 &&
      (EqualsIgnoreCase(ctx.args[1], "sync") || EqualsIgnoreCase(ctx.args[1], "async"))) {
    return true;
  }
  ctx.reply.Error(kErrSyntax);
  return false;
}

void DbSizeCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.db().size()));
}

// Both indexes must be ints; a failure names which one, as Redis does.
void SwapDbCommand(CommandContext& ctx) {
  std::string_view ignored;
  std::optional<int> first = ArgToInt32(ctx.args[1], &ignored);
  if (!first) return ctx.reply.Error(kErrInvalidFirstDb);
  std::optional<int> second = ArgToInt32(ctx.args[2], &ignored);
  if (!second) return ctx.reply.Error(kErrInvalidSecondDb);
  storage::OpStatus status = storage::SwapDb(ctx.keyspace(), *first, *second);
  if (status != storage::OpStatus::kOk) {
    ctx.ReplyError(status);
    return;
  }
  // Redis 7.0 sends client-side caches nothing on a swap (keys are tracked by name only).
  ctx.MarkDirty();
  ctx.reply.Ok();
}

// One change per removed key, as Redis 7.0 counts them (FLUSHALL too, when no save points
// are configured). A flush is propagated even when it removed nothing, as in Redis.
void FlushDbCommand(CommandContext& ctx) {
  if (!ParseFlushArgs(ctx)) return;
  ctx.MarkDirty(storage::FlushDb(ctx.db()));
  ctx.server.tracking().InvalidateAll();
  ctx.ForcePropagate();
  ctx.reply.Ok();
}

void FlushAllCommand(CommandContext& ctx) {
  if (!ParseFlushArgs(ctx)) return;
  ctx.MarkDirty(storage::FlushAll(ctx.keyspace()));
  ctx.server.tracking().InvalidateAll();
  ctx.ForcePropagate();
  ctx.reply.Ok();
}

}  // namespace

// clang-format off
std::span<const CommandSpec> DatabaseCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "dbsize", .arity = 1, .flags = kReadOnly | kFast, .since = "1.0.0",
       .summary = "Returns the number of keys in the selected database.", .handler = DbSizeCommand,
       .acl = kAclKeyspace},
      {.name = "swapdb", .arity = 3, .flags = kWrite | kFast, .since = "4.0.0",
       .summary = "Swaps the contents of two databases.", .handler = SwapDbCommand,
       .acl = kAclKeyspace | kAclDangerous},
      {.name = "flushdb", .arity = -1, .flags = kWrite, .since = "1.0.0",
       .summary = "Removes every key of the selected database.", .handler = FlushDbCommand,
       .acl = kAclKeyspace | kAclDangerous},
      {.name = "flushall", .arity = -1, .flags = kWrite, .since = "1.0.0",
       .summary = "Removes every key of every database.", .handler = FlushAllCommand,
       .acl = kAclKeyspace | kAclDangerous},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
