// DEBUG RELOAD and DEBUG POPULATE: the subcommands that rewrite the dataset.
#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>

#include "persistence/byte_io.h"
#include "persistence/rdb_load.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/error_replies.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/families/server/debug_subcommands.h"
#include "server/rdb/rdb_control.h"
#include "server/scripting/function_persistence.h"
#include "storage/ops/key_ops.h"

namespace ember::server {
namespace {

// Loads dir/dbfilename into the keyspace in one go (the server is stopped meanwhile, as
// Redis's DEBUG RELOAD stops it), with the file's function libraries. False after logging
// why; the keyspace then holds what was loaded so far.
bool LoadDumpNow(ServerState& state, bool merge) {
  const std::string path = state.DataPath(state.config().dbfilename);
  persistence::FileSource source;
  persistence::Status s = source.Open(path);
  persistence::RdbLoader loader(&state.keyspace(), &source, UnixMillis());
  loader.set_replace_existing(merge);
  loader.set_decode_ahead(true);
  bool done = false;
  while (s.ok() && !done) s = loader.Step(100'000, &done);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "DEBUG RELOAD: {}", s.WithFile(path).ToString());
    return false;
  }
  std::string error;
  if (!scripting::LoadFunctionLibraries(state.functions(), loader.reader().functions(), &error,
                                        /*replace=*/merge)) {
    Log(LogLevel::kWarning, "DEBUG RELOAD: {}", error);
    return false;
  }
  return true;
}

}  // namespace

// RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the dump (unless NOSAVE), empties the dataset and
// the function libraries (unless NOFLUSH), and loads the dump back. A key or library that
// exists already fails the load unless MERGE lets the file's replace it (Redis kills itself
// over a conflicting key; Ember replies the error and keeps what it loaded).
void DebugReload(CommandContext& ctx) {
  bool flush = true;
  bool save = true;
  bool merge = false;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    if (EqualsIgnoreCase(ctx.args[i], "merge")) {
      merge = true;
    } else if (EqualsIgnoreCase(ctx.args[i], "noflush")) {
      flush = false;
    } else if (EqualsIgnoreCase(ctx.args[i], "nosave")) {
      save = false;
    } else {
      return ctx.reply.Error(
          "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
    }
  }
  if (save && !SaveNow(ctx.server)) return ctx.reply.Error("ERR");
  if (flush) {
    storage::FlushAll(ctx.keyspace());
    ctx.server.functions().libraries().Clear();
    ctx.server.tracking().InvalidateAll();
  }
  // Keys loaded from a dump raise no keyspace events, as at startup.
  ctx.keyspace().set_key_events(false);
  const bool loaded = LoadDumpNow(ctx.server, merge);
  ctx.server.ApplyKeyspaceEvents();
  if (!loaded) return ctx.reply.Error("ERR Error trying to load the RDB dump");
  Log(LogLevel::kWarning, "DB reloaded by DEBUG RELOAD");
  ctx.reply.Ok();
}

// POPULATE <count> [<prefix>] [<size>]: adds the string keys prefix:0..count-1 (default
// prefix "key") with values "value:<n>", padded with zero bytes or cut to <size> when
// given, skipping names that exist. Neither propagated nor counted as changes (Redis's
// rule: the keys are test scaffolding).
void DebugPopulate(CommandContext& ctx) {
  // Redis's getPositiveLongFromObjectOrReply: one error for text and negatives alike.
  const std::optional<int64_t> count = storage::ParseInt64(ctx.args[2]);
  if (!count || *count < 0) return ctx.reply.Error(kErrNotPositive);
  int64_t size = 0;
  if (ctx.args.size() == 5) {
    const std::optional<int64_t> parsed = storage::ParseInt64(ctx.args[4]);
    if (!parsed || *parsed < 0) return ctx.reply.Error(kErrNotPositive);
    size = *parsed;
  }
  const std::string prefix = ctx.args.size() >= 4 ? std::string(ctx.args[3]) : "key";
  storage::Database& db = ctx.db();
  db.Reserve(db.size() + static_cast<size_t>(*count));
  for (int64_t i = 0; i < *count; ++i) {
    const std::string key = fmt::format("{}:{}", prefix, i);
    if (db.Find(key, ctx.now_ms) != nullptr) continue;
    std::string value = fmt::format("value:{}", i);
    if (size > 0) value.resize(static_cast<size_t>(size), '\0');
    db.Add(key, storage::Value::Bytes(value));
  }
  ctx.reply.Ok();
}

}  // namespace ember::server
