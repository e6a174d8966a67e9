// OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP: how a key's value is stored, in
// Redis's words. Lookups here neither count keyspace hits nor refresh access times.
//
// Ember keeps no per-key access clock yet (an entry has no spare room for one), so
// IDLETIME reports 0; strings report "int" or "embstr"/"raw" by length, not by history.
#include "server/commands/introspection_commands.h"
#include "server/server_state.h"

namespace ember::server {
namespace {

bool IsLfuPolicy(const ServerConfig& config) {
  return config.maxmemory_policy.find("lfu") != std::string::npos;
}

// The entry for args[2], or nullptr after replying null for a missing key.
const storage::Entry* LookupOrNull(CommandContext& ctx) {
  const storage::Entry* entry = ctx.db().Find(ctx.args[2], ctx.now_ms);
  if (entry == nullptr) ctx.reply.Null();
  return entry;
}

}  // namespace

void ObjectEncodingCommand(CommandContext& ctx) {
  if (const storage::Entry* entry = LookupOrNull(ctx)) ctx.reply.Bulk(entry->value.EncodingName());
}

void ObjectRefCountCommand(CommandContext& ctx) {
  // Ember shares no values between keys; Redis reports the same 1 for unshared ones.
  if (LookupOrNull(ctx) != nullptr) ctx.reply.Integer(1);
}

void ObjectIdleTimeCommand(CommandContext& ctx) {
  if (LookupOrNull(ctx) == nullptr) return;
  if (IsLfuPolicy(ctx.server.config())) {
    ctx.reply.Error(
        "ERR An LRU maxmemory policy is not selected, access time not tracked. Please note "
        "that when switching between policies at runtime LRU and LFU data will take some "
        "time to adjust.");
    return;
  }
  ctx.reply.Integer(0);
}

void ObjectFreqCommand(CommandContext& ctx) {
  if (LookupOrNull(ctx) == nullptr) return;
  if (!IsLfuPolicy(ctx.server.config())) {
    ctx.reply.Error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
        "note that when switching between policies at runtime LRU and LFU data will take "
        "some time to adjust.");
    return;
  }
  ctx.reply.Integer(0);
}

void ObjectHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "OBJECT",
            {"ENCODING <key>", "    Return the internal encoding of the value at <key>.",
             "FREQ <key>", "    Return the access-frequency counter of <key> (LFU policies only).",
             "IDLETIME <key>", "    Return the seconds since <key> was last accessed.",
             "REFCOUNT <key>", "    Return the number of references to the value at <key>."});
}

}  // namespace ember::server
