// COPY and MOVE: the generic commands that take a key to another name or database.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "server/command/arg_parser.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/key_ops.h"

namespace ember::server {
namespace {

// A database index argument; replies Redis's error when it is not an int. Range against the
// database count is checked by the caller.
std::optional<int> ParseDbArg(CommandContext& ctx, std::string_view arg) {
  std::string_view error;
  std::optional<int> index = ArgToInt32(arg, &error);
  if (!index) ctx.reply.Error(error);
  return index;
}

void CopyCommand(CommandContext& ctx) {
  int target_db = ctx.db_index();
  bool replace = false;
  // Options are checked in order, so the first bad one decides the error, as in Redis.
  ArgParser options(ctx.args, 3);
  while (options.HasNext()) {
    if (options.Check("replace")) {
      replace = true;
    } else if (std::optional<std::string_view> db = options.Value("db")) {
      std::string_view error;
      std::optional<int> index = ArgToInt32(*db, &error);
      if (!index) {
        options.Fail(error);
      } else if (*index < 0 || *index >= ctx.keyspace().database_count()) {
        options.Fail(kErrDbIndexOutOfRange);
      } else {
        target_db = *index;
      }
    } else {
      options.Fail(kErrSyntax);
    }
  }
  if (!options.ok()) return ctx.reply.Error(options.error());
  auto copied = storage::OpCopy(ctx.keyspace(), ctx.db_index(), ctx.args[1], target_db, ctx.args[2],
                                replace, ctx.now_ms);
  if (!copied.ok()) {
    ctx.ReplyError(copied.status());
    return;
  }
  if (*copied) {
    ctx.MarkDirty();
    ctx.NotifyIn(target_db, kNotifyGeneric, "copy_to", ctx.args[2]);
  }
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
  if (*moved) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyGeneric, "move_from", ctx.args[1]);
    ctx.NotifyIn(*target_db, kNotifyGeneric, "move_to", ctx.args[1]);
  }
  ctx.reply.Integer(*moved ? 1 : 0);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> CopyMoveCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "copy", .arity = -3, .flags = kWrite | kDenyOom, .keys = kKey12, .since = "6.2.0",
       .summary = "Copies a key's value to another key.", .handler = CopyCommand},
      {.name = "move", .arity = 3, .flags = kWrite | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Moves a key to another database.", .handler = MoveCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
