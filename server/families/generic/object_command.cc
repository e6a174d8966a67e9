// OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP: how a key's value is stored, in
// Redis's words. Lookups here neither count keyspace hits nor refresh access times (Redis's
// LOOKUP_NOTOUCH), so asking does not change the answer.
//
// IDLETIME and FREQ read the value's access field (storage/access_clock.h): the LRU clock
// unless an LFU policy is selected, the LFU counter otherwise; each refuses, with Redis's
// text, under the policy that does not track it. Strings report "int" or "embstr"/"raw" by
// length, not by history.
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/help_reply.h"
#include "server/core/server_state.h"
#include "storage/lifecycle/access_clock.h"
#include "storage/value/value_concerns.h"

namespace ember::server {
namespace {

bool LfuTracked(ServerState& server) {
  return server.keyspace().access_tracking().mode == storage::AccessMode::kLfu;
}

// The entry for args[2], or nullptr after replying null for a missing key.
const storage::Entry* LookupOrNull(CommandContext& ctx) {
  const storage::Entry* entry = ctx.db().FindForReadNoTouch(ctx.args[2], ctx.now_ms);
  if (entry == nullptr) ctx.reply.Null();
  return entry;
}

void ObjectEncodingCommand(CommandContext& ctx) {
  if (const storage::Entry* entry = LookupOrNull(ctx))
    ctx.reply.Bulk(storage::ObjectEncoding(entry->value()));
}

void ObjectRefCountCommand(CommandContext& ctx) {
  // Ember shares no values between keys; Redis reports the same 1 for unshared ones.
  if (LookupOrNull(ctx) != nullptr) ctx.reply.Integer(1);
}

void ObjectIdleTimeCommand(CommandContext& ctx) {
  const storage::Entry* entry = LookupOrNull(ctx);
  if (entry == nullptr) return;
  if (LfuTracked(ctx.server)) {
    ctx.reply.Error(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that "
        "when switching between policies at runtime LRU and LFU data will take some time to "
        "adjust.");
    return;
  }
  ctx.reply.Integer(storage::LruIdleMs(entry->access(), ctx.now_ms) / 1000);
}

void ObjectFreqCommand(CommandContext& ctx) {
  const storage::Entry* entry = LookupOrNull(ctx);
  if (entry == nullptr) return;
  if (!LfuTracked(ctx.server)) {
    ctx.reply.Error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
        "note that when switching between policies at runtime LRU and LFU data will take "
        "some time to adjust.");
    return;
  }
  // The decay is applied to the reply, not stored (Redis's LFUDecrAndReturn).
  const int decay_time = ctx.server.keyspace().access_tracking().lfu_decay_time;
  ctx.reply.Integer(storage::LfuDecayedCounter(entry->access(), ctx.now_ms, decay_time));
}

void ObjectHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "OBJECT",
            {"ENCODING <key>", "    Return the internal encoding of the value at <key>.",
             "FREQ <key>", "    Return the access-frequency counter of <key> (LFU policies only).",
             "IDLETIME <key>", "    Return the seconds since <key> was last accessed.",
             "REFCOUNT <key>", "    Return the number of references to the value at <key>."});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ObjectCommandRows() {
  static constexpr CommandSpec kObjectSubcommands[] = {
      {.name = "object|encoding", .arity = 3, .flags = kReadOnly, .keys = kKey2, .since = "2.2.3",
       .summary = "Returns the internal encoding of a key's value.",
       .handler = ObjectEncodingCommand},
      {.name = "object|refcount", .arity = 3, .flags = kReadOnly, .keys = kKey2, .since = "2.2.3",
       .summary = "Returns the reference count of a key's value.",
       .handler = ObjectRefCountCommand},
      {.name = "object|idletime", .arity = 3, .flags = kReadOnly, .keys = kKey2, .since = "2.2.3",
       .summary = "Returns the seconds since a key was last accessed.",
       .handler = ObjectIdleTimeCommand},
      {.name = "object|freq", .arity = 3, .flags = kReadOnly, .keys = kKey2, .since = "4.0.0",
       .summary = "Returns a key's access-frequency counter (LFU policies only).",
       .handler = ObjectFreqCommand},
      {.name = "object|help", .arity = 2, .flags = kLoading | kStale, .since = "6.2.0",
       .summary = "Describes the OBJECT subcommands.", .handler = ObjectHelpCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "object", .arity = -2, .since = "2.2.3",
       .summary = "Inspects how a key's value is stored.", .handler = nullptr,
       .subcommands = kObjectSubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
