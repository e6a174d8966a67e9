// DEBUG's read-only subcommands: DIGEST and DIGEST-VALUE (Redis's algorithm, storage/ops/
// dataset_digest.h), OBJECT, LISTPACK and QUICKLIST.
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "persistence/dump_payload.h"
#include "server/command/command_context.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/families/server/debug_subcommands.h"
#include "storage/lifecycle/access_clock.h"
#include "storage/ops/dataset_digest.h"
#include "storage/value/list_value.h"
#include "storage/value/value_concerns.h"

namespace ember::server {
namespace {

// Redis shares the integers 0..9999 between keys (refcount INT_MAX) unless an LRU or LFU
// maxmemory policy needs each value's own access field.
bool SharedInteger(const CommandContext& ctx, const storage::ValueRef& value) {
  if (!value.is_string() || !value.is_integer()) return false;
  if (value.integer() < 0 || value.integer() >= 10000) return false;
  const ServerConfig& config = ctx.server.config();
  const bool per_value_access =
      config.maxmemory > 0 && (config.maxmemory_policy.find("lru") != std::string::npos ||
                               config.maxmemory_policy.find("lfu") != std::string::npos);
  return !per_value_access;
}

// The key's entry for LISTPACK and QUICKLIST (Redis's objectCommandLookup: expired keys
// are gone, nothing is touched); replies "no such key" when absent.
const storage::Entry* LookupOrReply(CommandContext& ctx) {
  const storage::Entry* entry = ctx.db().FindNoTouch(ctx.args[2], ctx.now_ms);
  if (entry == nullptr) ctx.reply.Error(kErrNoSuchKey);
  return entry;
}

}  // namespace

void DebugDigest(CommandContext& ctx) {
  ctx.reply.SimpleString(storage::DigestHex(storage::DatasetDigest(ctx.keyspace())));
}

// DIGEST-VALUE [key ...]: one digest per key, all zeros for an absent one. Keys are read
// as stored, logically expired ones included, as Redis reads them.
void DebugDigestValue(CommandContext& ctx) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.args.size() - 2));
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const storage::Entry* entry = ctx.db().FindStored(ctx.args[i]);
    ctx.reply.SimpleString(
        storage::DigestHex(entry != nullptr ? storage::ValueDigest(*entry) : storage::Digest{}));
  }
}

// OBJECT <key>: Redis's line. The address is the entry's; serializedlength is the value's
// RDB encoding (the DUMP payload without its type byte and footer); lists add their node
// figures (ql_uncompressed_size is left out: Ember's list nodes are not listpacks).
void DebugObject(CommandContext& ctx) {
  const storage::Entry* entry = ctx.db().FindStored(ctx.args[2]);
  if (entry == nullptr) return ctx.reply.Error(kErrNoSuchKey);
  const storage::ValueRef value = entry->value();
  std::string payload;
  const bool compression = ctx.server.config().rdbcompression;
  const size_t serialized =
      persistence::EncodeDumpPayload(value, compression, &payload).ok() && payload.size() >= 11
          ? payload.size() - 11
          : 0;
  std::string extra;
  if (value.type() == storage::ValueType::kList) {
    const storage::CollectionView<storage::ListValue> list = value.Read<storage::ListValue>();
    const size_t nodes = list->node_count();
    extra = fmt::format(" ql_nodes:{} ql_avg_node:{:.2f} ql_listpack_max:{} ql_compressed:{}",
                        nodes, nodes == 0 ? 0.0 : static_cast<double>(list->Size()) / nodes,
                        ctx.server.config().list_max_listpack_size,
                        list->compress_depth() != 0 ? 1 : 0);
  }
  char address[32];
  std::snprintf(address, sizeof(address), "%p", static_cast<const void*>(entry));
  ctx.reply.SimpleString(fmt::format(
      "Value at:{} refcount:{} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}{}",
      address, SharedInteger(ctx, value) ? 2147483647 : 1, storage::ObjectEncoding(value),
      serialized, entry->access(), storage::LruIdleMs(entry->access(), ctx.now_ms) / 1000, extra));
}

// LISTPACK <key>: Redis prints the listpack's bytes on its standard output; Ember writes a
// summary of the value there.
void DebugListpack(CommandContext& ctx) {
  const storage::Entry* entry = LookupOrReply(ctx);
  if (entry == nullptr) return;
  if (storage::ObjectEncoding(entry->value()) != "listpack") {
    return ctx.reply.Error("ERR Not a listpack encoded object.");
  }
  std::printf("{listpack key %.*s: %zu heap bytes}\n", static_cast<int>(ctx.args[2].size()),
              ctx.args[2].data(), entry->value_heap_bytes());
  std::fflush(stdout);
  ctx.reply.SimpleString("Listpack structure printed on stdout");
}

// QUICKLIST <key> [<0|1>]: the same for a list kept as nodes.
void DebugQuicklist(CommandContext& ctx) {
  const storage::Entry* entry = LookupOrReply(ctx);
  if (entry == nullptr) return;
  if (storage::ObjectEncoding(entry->value()) != "quicklist") {
    return ctx.reply.Error("ERR Not a quicklist encoded object.");
  }
  const storage::CollectionView<storage::ListValue> list =
      entry->value().Read<storage::ListValue>();
  std::printf("{quicklist key %.*s: %zu elements in %zu nodes}\n",
              static_cast<int>(ctx.args[2].size()), ctx.args[2].data(), list->Size(),
              list->node_count());
  std::fflush(stdout);
  ctx.reply.SimpleString("Quicklist structure printed on stdout");
}

}  // namespace ember::server
