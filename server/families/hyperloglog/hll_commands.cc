// PFADD, PFCOUNT and PFMERGE: HyperLogLogs kept in string values, byte-compatible with
// Redis 7.0's (storage/ops/hll_ops.h does the keyspace work).
//
// Propagation follows Redis's dirty counting: PFADD counts one change per register raised
// (plus one for a created key) and propagates as sent when any; PFMERGE always; PFCOUNT of
// one key counts one change when it rewrote the stale cardinality cached in the string,
// and is then propagated as sent too, so replicas and the AOF hold the same bytes. PFADD
// and PFMERGE both raise the "pfadd" keyspace event, as Redis does.
#include <cstddef>
#include <span>
#include <string_view>

#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/core/server_state.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/hll_ops.h"

namespace ember::server {
namespace {

size_t SparseMaxBytes(const CommandContext& ctx) {
  return static_cast<size_t>(ctx.server.config().hll_sparse_max_bytes);
}

// PFADD key [element ...]
void PfAddCommand(CommandContext& ctx) {
  auto changes =
      storage::OpPfAdd(ctx.db(), ctx.args[1], ctx.args.subspan(2), SparseMaxBytes(ctx), ctx.now_ms);
  if (!changes.ok()) return ctx.ReplyError(changes.status());
  ctx.reply.Integer(*changes > 0 ? 1 : 0);
  if (*changes == 0) return;
  ctx.MarkDirty(*changes);
  ctx.Notify(kNotifyString, "pfadd", ctx.args[1]);
}

// PFCOUNT key [key ...]
void PfCountCommand(CommandContext& ctx) {
  auto count = storage::OpPfCount(ctx.db(), ctx.args.subspan(1), ctx.now_ms);
  if (!count.ok()) return ctx.ReplyError(count.status());
  ctx.reply.Integer(static_cast<int64_t>(count->cardinality));
  if (count->cache_written) ctx.MarkDirty();
}

// PFMERGE destkey [sourcekey ...]
void PfMergeCommand(CommandContext& ctx) {
  auto merged = storage::OpPfMerge(ctx.db(), ctx.args.subspan(1), SparseMaxBytes(ctx), ctx.now_ms);
  if (!merged.ok()) return ctx.ReplyError(merged.status());
  ctx.reply.Ok();
  ctx.MarkDirty();
  ctx.Notify(kNotifyString, "pfadd", ctx.args[1]);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> HllCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "pfadd", .arity = -2, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "2.8.9", .summary = "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.",
       .handler = PfAddCommand},
      {.name = "pfcount", .arity = -2, .flags = kReadOnly | kMayReplicate, .keys = kAllKeys,
       .since = "2.8.9",
       .summary = "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).",
       .handler = PfCountCommand},
      {.name = "pfmerge", .arity = -2, .flags = kWrite | kDenyOom, .keys = kAllKeys,
       .since = "2.8.9", .summary = "Merges one or more HyperLogLog values into a single key.",
       .handler = PfMergeCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
