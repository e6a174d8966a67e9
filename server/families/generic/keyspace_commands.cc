// Handlers of the generic key commands that work inside the selected database: DEL,
// UNLINK, EXISTS, TOUCH, TYPE, KEYS, SCAN, RANDOMKEY, RENAME and RENAMENX. COPY and MOVE
// live in copy_move_commands.cc, expiry in expire_commands.cc.
#include <optional>
#include <span>
#include <string>

#include "server/command/acl_categories.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/scan_args.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/key_ops.h"

namespace ember::server {
namespace {

// DEL and UNLINK: one change and one "del" event per key removed, in argument order,
// propagated as sent (UNLINK stays UNLINK).
void DelGeneric(CommandContext& ctx) {
  int64_t deleted = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    if (*storage::OpDel(ctx.db(), ctx.args.subspan(i, 1), ctx.now_ms) == 0) continue;
    ++deleted;
    ctx.Notify(kNotifyGeneric, "del", ctx.args[i]);
  }
  ctx.MarkDirty(static_cast<uint64_t>(deleted));
  ctx.reply.Integer(deleted);
}

// Parses SCAN's options (from args[2]); replies and returns false on an error.
bool ParseScanOptions(CommandContext& ctx, storage::ScanOptions* options) {
  const ScanArgs parsed = ParseScanArgs(ctx.args, 2, /*allow_type=*/true);
  if (!parsed.error.empty()) {
    ctx.reply.Error(parsed.error);
    return false;
  }
  options->count = parsed.count;
  options->has_pattern = parsed.pattern.has_value();
  options->pattern = parsed.pattern.value_or("");
  options->has_type = parsed.type.has_value();
  options->type = parsed.type.value_or("");
  return true;
}

void DelCommand(CommandContext& ctx) { DelGeneric(ctx); }
void UnlinkCommand(CommandContext& ctx) { DelGeneric(ctx); }

void ExistsCommand(CommandContext& ctx) {
  ctx.reply.Integer(*storage::OpExists(ctx.db(), ctx.args.subspan(1), ctx.now_ms));
}

void TouchCommand(CommandContext& ctx) {
  ctx.reply.Integer(*storage::OpTouch(ctx.db(), ctx.args.subspan(1), ctx.now_ms));
}

void TypeCommand(CommandContext& ctx) {
  ctx.reply.SimpleString(*storage::OpType(ctx.db(), ctx.args[1], ctx.now_ms));
}

void KeysCommand(CommandContext& ctx) {
  auto keys = storage::OpKeys(ctx.db(), ctx.args[1], ctx.now_ms);
  ctx.reply.ArrayHeader(static_cast<int64_t>(keys->size()));
  for (const std::string& key : *keys) ctx.reply.Bulk(key);
}

void ScanCommand(CommandContext& ctx) {
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.args[1]);
  if (!cursor) {
    ctx.reply.Error(kErrInvalidCursor);
    return;
  }
  storage::ScanOptions options;
  if (!ParseScanOptions(ctx, &options)) return;

  auto page = storage::OpScan(ctx.db(), *cursor, options, ctx.now_ms);
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(page->cursor));
  ctx.reply.ArrayHeader(static_cast<int64_t>(page->keys.size()));
  for (const std::string& key : page->keys) ctx.reply.Bulk(key);
}

void RandomKeyCommand(CommandContext& ctx) {
  auto key = storage::OpRandomKey(ctx.db(), ctx.now_ms);
  if (key.ok()) {
    ctx.reply.Bulk(*key);
  } else {
    ctx.reply.Null();
  }
}

// A rename that moved the value: "rename_from" on the old name, "rename_to" on the new
// (whose "new" the keyspace raised when the value arrived), as Redis orders them.
void NoteRenamed(CommandContext& ctx) {
  ctx.MarkDirty();
  ctx.Notify(kNotifyGeneric, "rename_from", ctx.args[1]);
  ctx.Notify(kNotifyGeneric, "rename_to", ctx.args[2]);
}

void RenameCommand(CommandContext& ctx) {
  auto result = storage::OpRename(ctx.db(), ctx.args[1], ctx.args[2], false, ctx.now_ms);
  if (!result.ok()) {
    ctx.ReplyError(result.status());
    return;
  }
  if (*result == storage::RenameOutcome::kRenamed) NoteRenamed(ctx);
  ctx.reply.Ok();
}

void RenameNxCommand(CommandContext& ctx) {
  auto result = storage::OpRename(ctx.db(), ctx.args[1], ctx.args[2], true, ctx.now_ms);
  if (!result.ok()) {
    ctx.ReplyError(result.status());
    return;
  }
  const bool renamed = *result == storage::RenameOutcome::kRenamed;
  if (renamed) NoteRenamed(ctx);
  ctx.reply.Integer(renamed ? 1 : 0);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> KeyspaceCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "del", .arity = -2, .flags = kWrite, .keys = kAllKeys, .since = "1.0.0",
       .summary = "Deletes keys.", .handler = DelCommand},
      {.name = "unlink", .arity = -2, .flags = kWrite | kFast, .keys = kAllKeys, .since = "4.0.0",
       .summary = "Deletes keys, reclaiming memory lazily.", .handler = UnlinkCommand},
      {.name = "exists", .arity = -2, .flags = kReadOnly | kFast, .keys = kAllKeys,
       .since = "1.0.0", .summary = "Counts how many of the given keys exist.",
       .handler = ExistsCommand},
      {.name = "type", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns the type of a key's value.", .handler = TypeCommand},
      {.name = "keys", .arity = 2, .flags = kReadOnly, .since = "1.0.0",
       .summary = "Returns the keys matching a glob pattern.", .handler = KeysCommand,
       .acl = kAclDangerous},
      {.name = "scan", .arity = -2, .flags = kReadOnly, .since = "2.8.0",
       .summary = "Iterates over the keys of the selected database.", .handler = ScanCommand},
      {.name = "randomkey", .arity = 1, .flags = kReadOnly, .since = "1.0.0",
       .summary = "Returns a random key name.", .handler = RandomKeyCommand},
      {.name = "rename", .arity = 3, .flags = kWrite, .keys = kKey12, .since = "1.0.0",
       .summary = "Renames a key, replacing the destination.", .handler = RenameCommand},
      {.name = "renamenx", .arity = 3, .flags = kWrite | kFast, .keys = kKey12, .since = "1.0.0",
       .summary = "Renames a key only when the destination does not exist.",
       .handler = RenameNxCommand},
      {.name = "touch", .arity = -2, .flags = kReadOnly | kFast, .keys = kAllKeys, .since = "3.2.1",
       .summary = "Counts existing keys and marks them as accessed.", .handler = TouchCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
