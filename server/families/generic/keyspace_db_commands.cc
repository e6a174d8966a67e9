// Handlers of the generic commands that work across databases: COPY, MOVE, SWAPDB,
// FLUSHDB and FLUSHALL (declared in keyspace_commands.h).
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/error_replies.h"
#include "server/families/generic/keyspace_commands.h"
#include "storage/ops/key_ops.h"

namespace ember::server {
namespace {

// A database index argument read as Redis's getIntFromObjectOrReply does: an integer, then
// an int32. With `error` empty, the two failures get Redis's two default texts; otherwise
// both reply `error`. Range against the database count is checked by the caller.
std::optional<int> ParseDbArg(CommandContext& ctx, std::string_view arg,
                              std::string_view error = {}) {
  std::optional<int64_t> value = ArgToInt64(arg);
  if (!value) {
    ctx.reply.Error(error.empty() ? kErrNotInteger : error);
    return std::nullopt;
  }
  if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max()) {
    ctx.reply.Error(error.empty() ? kErrNotInt32 : error);
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

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

}  // namespace

void CopyCommand(CommandContext& ctx) {
  int target_db = ctx.db_index();
  bool replace = false;
  // Options are checked in order, so the first bad one decides the error, as in Redis.
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    const bool has_value = j + 1 < ctx.args.size();
    if (EqualsIgnoreCase(ctx.args[j], "replace")) {
      replace = true;
    } else if (has_value && EqualsIgnoreCase(ctx.args[j], "db")) {
      std::optional<int> index = ParseDbArg(ctx, ctx.args[++j]);
      if (!index) return;
      if (*index < 0 || *index >= ctx.keyspace().database_count()) {
        ctx.reply.Error(kErrDbIndexOutOfRange);
        return;
      }
      target_db = *index;
    } else {
      ctx.reply.Error(kErrSyntax);
      return;
    }
  }
  auto copied = storage::OpCopy(ctx.keyspace(), ctx.db_index(), ctx.args[1], target_db, ctx.args[2],
                                replace, ctx.now_ms);
  if (!copied.ok()) {
    ctx.ReplyError(copied.status());
    return;
  }
  if (*copied) ctx.MarkDirty();
  ctx.reply.Integer(*copied ? 1 : 0);
}

void MoveCommand(CommandContext& ctx) {
  std::optional<int> target_db = ParseDbArg(ctx, ctx.args[2]);
  if (!target_db) return;
  auto moved = storage::OpMove(ctx.keyspace(), ctx.db_index(), ctx.args[1], *target_db, ctx.now_ms);
  if (!moved.ok()) {
    ctx.ReplyError(moved.status());
    return;
  }
  if (*moved) ctx.MarkDirty();
  ctx.reply.Integer(*moved ? 1 : 0);
}

void SwapDbCommand(CommandContext& ctx) {
  std::optional<int> first = ParseDbArg(ctx, ctx.args[1], kErrInvalidFirstDb);
  if (!first) return;
  std::optional<int> second = ParseDbArg(ctx, ctx.args[2], kErrInvalidSecondDb);
  if (!second) return;
  storage::OpStatus status = storage::SwapDb(ctx.keyspace(), *first, *second);
  if (status != storage::OpStatus::kOk) {
    ctx.ReplyError(status);
    return;
  }
  ctx.MarkDirty();
  ctx.reply.Ok();
}

// One change per removed key, as Redis 7.0 counts them (FLUSHALL too, when no save points
// are configured). A flush is propagated even when it removed nothing, as in Redis.
void FlushDbCommand(CommandContext& ctx) {
  if (!ParseFlushArgs(ctx)) return;
  ctx.MarkDirty(storage::FlushDb(ctx.db()));
  ctx.ForcePropagate();
  ctx.reply.Ok();
}

void FlushAllCommand(CommandContext& ctx) {
  if (!ParseFlushArgs(ctx)) return;
  ctx.MarkDirty(storage::FlushAll(ctx.keyspace()));
  ctx.ForcePropagate();
  ctx.reply.Ok();
}

}  // namespace ember::server
