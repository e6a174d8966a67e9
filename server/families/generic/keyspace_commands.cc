// Handlers of the generic key commands that work inside the selected database: DEL,
// UNLINK, EXISTS, TOUCH, TYPE, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX and DBSIZE.
// Commands that cross databases live in keyspace_db_commands.cc, expiry in
// expire_commands.cc.
#include "server/families/generic/keyspace_commands.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/error_replies.h"
#include "storage/ops/key_ops.h"

namespace ember::server {
namespace {

// DEL and UNLINK: one change per key removed, propagated as sent (UNLINK stays UNLINK).
void DelGeneric(CommandContext& ctx) {
  auto deleted = storage::OpDel(ctx.db(), ctx.args.subspan(1), ctx.now_ms);
  ctx.MarkDirty(static_cast<uint64_t>(*deleted));
  ctx.reply.Integer(*deleted);
}

// Redis reads the cursor with strtoul: an optional sign (a negative cursor wraps), digits
// to the end, no leading space, no overflow. The empty string reads as 0.
std::optional<uint64_t> ParseScanCursor(std::string_view arg) {
  std::string text(arg);
  if (!text.empty() && std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const unsigned long long cursor = std::strtoull(text.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return std::nullopt;
  return static_cast<uint64_t>(cursor);
}

// Parses SCAN's options (from args[2]); replies and returns false on an error.
bool ParseScanOptions(CommandContext& ctx, storage::ScanOptions* options) {
  const size_t argc = ctx.args.size();
  for (size_t i = 2; i < argc; i += 2) {
    const std::string_view option = ctx.args[i];
    const bool has_value = argc - i >= 2;
    if (has_value && EqualsIgnoreCase(option, "count")) {
      std::optional<int64_t> count = ArgToInt64(ctx.args[i + 1]);
      if (!count) {
        ctx.reply.Error(kErrNotInteger);
        return false;
      }
      if (*count < 1) {
        ctx.reply.Error(kErrSyntax);
        return false;
      }
      options->count = *count;
    } else if (has_value && EqualsIgnoreCase(option, "match")) {
      options->pattern = ctx.args[i + 1];
      options->has_pattern = true;
    } else if (has_value && EqualsIgnoreCase(option, "type")) {
      options->type = ctx.args[i + 1];
      options->has_type = true;
    } else {
      ctx.reply.Error(kErrSyntax);
      return false;
    }
  }
  return true;
}

}  // namespace

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

void RenameCommand(CommandContext& ctx) {
  auto result = storage::OpRename(ctx.db(), ctx.args[1], ctx.args[2], false, ctx.now_ms);
  if (!result.ok()) {
    ctx.ReplyError(result.status());
    return;
  }
  if (*result == storage::RenameOutcome::kRenamed) ctx.MarkDirty();
  ctx.reply.Ok();
}

void RenameNxCommand(CommandContext& ctx) {
  auto result = storage::OpRename(ctx.db(), ctx.args[1], ctx.args[2], true, ctx.now_ms);
  if (!result.ok()) {
    ctx.ReplyError(result.status());
    return;
  }
  const bool renamed = *result == storage::RenameOutcome::kRenamed;
  if (renamed) ctx.MarkDirty();
  ctx.reply.Integer(renamed ? 1 : 0);
}

void DbSizeCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.db().size()));
}

}  // namespace ember::server
