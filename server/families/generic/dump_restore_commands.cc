// DUMP and RESTORE: a value serialized in Redis's DUMP payload format
// (persistence/dump_payload.h), so a key moves between Ember and redis-server either way.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "persistence/dump_payload.h"
#include "server/command/acl_categories.h"
#include "server/command/arg_parser.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/restore_ops.h"

namespace ember::server {
namespace {

constexpr std::string_view kErrBusyKey = "BUSYKEY Target key name already exists.";
constexpr std::string_view kErrBadTtl = "ERR Invalid TTL value, must be >= 0";
constexpr std::string_view kErrBadIdle = "ERR Invalid IDLETIME value, must be >= 0";
constexpr std::string_view kErrBadFreq = "ERR Invalid FREQ value, must be >= 0 and <= 255";
constexpr std::string_view kErrBadPayload = "ERR DUMP payload version or checksum are wrong";
constexpr std::string_view kErrBadData = "ERR Bad data format";

void DumpCommand(CommandContext& ctx) {
  const storage::Entry* entry = ctx.db().FindForRead(ctx.args[1], ctx.now_ms);
  if (entry == nullptr) return ctx.reply.Null();
  std::string payload;
  persistence::Status s =
      persistence::EncodeDumpPayload(entry->value(), ctx.server.config().rdbcompression, &payload);
  if (!s.ok()) return ctx.reply.Error("ERR " + s.message());
  ctx.reply.Bulk(payload);
}

// RESTORE's options, parsed in order as Redis does: IDLETIME and FREQ exclude each other
// (the second is a syntax error), and each needs its value.
bool ParseRestoreOptions(CommandContext& ctx, bool* absttl, storage::RestoreOptions* options) {
  for (size_t i = 4; i < ctx.args.size(); ++i) {
    const std::string_view arg = ctx.args[i];
    const bool has_value = i + 1 < ctx.args.size();
    if (EqualsIgnoreCase(arg, "replace")) {
      options->replace = true;
    } else if (EqualsIgnoreCase(arg, "absttl")) {
      *absttl = true;
    } else if (EqualsIgnoreCase(arg, "idletime") && has_value && options->freq == -1) {
      std::optional<int64_t> idle = ArgToInt64(ctx.args[++i]);
      if (!idle) return ctx.reply.Error(kErrNotInteger), false;
      if (*idle < 0) return ctx.reply.Error(kErrBadIdle), false;
      options->idle_seconds = *idle;
    } else if (EqualsIgnoreCase(arg, "freq") && has_value && options->idle_seconds == -1) {
      std::optional<int64_t> freq = ArgToInt64(ctx.args[++i]);
      if (!freq) return ctx.reply.Error(kErrNotInteger), false;
      if (*freq < 0 || *freq > 255) return ctx.reply.Error(kErrBadFreq), false;
      options->freq = *freq;
    } else {
      return ctx.reply.Error(kErrSyntax), false;
    }
  }
  return true;
}

void RestoreCommand(CommandContext& ctx) {
  bool absttl = false;
  storage::RestoreOptions options;
  if (!ParseRestoreOptions(ctx, &absttl, &options)) return;
  const std::string_view key = ctx.args[1];
  if (!options.replace && storage::OpRestoreTargetExists(ctx.db(), key, ctx.now_ms)) {
    return ctx.reply.Error(kErrBusyKey);
  }
  std::optional<int64_t> ttl = ArgToInt64(ctx.args[2]);
  if (!ttl) return ctx.reply.Error(kErrNotInteger);
  if (*ttl < 0) return ctx.reply.Error(kErrBadTtl);

  storage::Value value;
  persistence::DumpPayloadError error;
  persistence::Status s = persistence::DecodeDumpPayload(
      ctx.args[3], persistence::RdbLoadContext{ctx.keyspace().encoding_limits()}, &value, &error);
  if (!s.ok()) {
    return ctx.reply.Error(error == persistence::DumpPayloadError::kBadVersionOrChecksum
                               ? kErrBadPayload
                               : kErrBadData);
  }
  if (*ttl != 0) options.expire_at_ms = absttl ? *ttl : *ttl + ctx.now_ms;
  auto restored = storage::OpRestore(ctx.keyspace(), ctx.db_index(), key, std::move(value), options,
                                     ctx.now_ms);
  if (!restored.ok()) return ctx.ReplyError(restored.status());
  switch (*restored) {
    case storage::RestoreOutcome::kExpiredNothing:
      break;
    case storage::RestoreOutcome::kExpiredReplaced:
      ctx.MarkDirty();
      ctx.Notify(kNotifyGeneric, "del", key);
      ctx.PropagateAs({"DEL", std::string(key)});
      break;
    case storage::RestoreOutcome::kRestored:
      ctx.MarkDirty();
      ctx.Notify(kNotifyGeneric, "restore", key);
      if (*ttl != 0 && !absttl) {
        // Propagated with the absolute time, so a replay restores the same expiry.
        std::vector<std::string> argv(ctx.args.begin(), ctx.args.end());
        argv[2] = std::to_string(options.expire_at_ms);
        argv.emplace_back("ABSTTL");
        ctx.PropagateAs(std::move(argv));
      }
      break;
  }
  ctx.reply.Ok();
}

}  // namespace

// clang-format off
std::span<const CommandSpec> DumpRestoreCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "dump", .arity = 2, .flags = kReadOnly, .keys = kKey1, .since = "2.6.0",
       .summary = "Returns a serialized representation of the value stored at a key.",
       .handler = DumpCommand},
      {.name = "restore", .arity = -4, .flags = kWrite | kDenyOom, .keys = kKey1,
       .since = "2.6.0", .summary = "Creates a key from the serialized representation of a value.",
       .handler = RestoreCommand, .acl = kAclDangerous},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
