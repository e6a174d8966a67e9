// Handlers of the set family's random commands: SRANDMEMBER and SPOP. Counts are read
// before the key is looked up, with Redis 7.0's texts. SPOP is propagated as what it did:
// SREM of the popped members, or DEL when it took the whole set (Redis sends one SREM per
// member; one SREM naming them all replays the same).
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/set_ops.h"

namespace ember::server {
namespace {

using storage::OpStatus;

void SRandMemberCommand(CommandContext& ctx) {
  if (ctx.args.size() > 3) return ctx.reply.Error(kErrSyntax);
  if (ctx.args.size() == 2) {
    auto member = storage::OpSRandMember(ctx.db(), ctx.args[1], ctx.now_ms);
    if (member.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
    if (!member.ok()) return ctx.ReplyError(member.status());
    return ctx.reply.Bulk(*member);
  }
  std::optional<int64_t> count = ArgToInt64(ctx.args[2]);
  if (!count) return ctx.reply.Error(kErrNotInteger);
  if (*count == std::numeric_limits<int64_t>::min()) return ctx.reply.Error(kErrLongRange);
  if (*count < -kMaxRandomRepeats) {
    // Refused only where Redis would start the reply: after the key's type is checked.
    auto size = storage::OpSCard(ctx.db(), ctx.args[1], ctx.now_ms);
    if (size.status() == OpStatus::kKeyNotFound || (size.ok() && *size == 0)) {
      return ctx.reply.ArrayHeader(0);
    }
    if (!size.ok()) return ctx.ReplyError(size.status());
    return ctx.reply.Error(kErrTooManyRandomRepeats);
  }
  auto members = storage::OpSRandMemberCount(ctx.db(), ctx.args[1], *count, ctx.now_ms);
  if (!members.ok()) return ctx.ReplyError(members.status());
  ctx.reply.ArrayHeader(static_cast<int64_t>(members->size()));
  for (const std::string& member : *members) ctx.reply.Bulk(member);
}

void SPopCommand(CommandContext& ctx) {
  if (ctx.args.size() > 3) return ctx.reply.Error(kErrSyntax);
  const std::string key(ctx.args[1]);
  if (ctx.args.size() == 2) {
    auto member = storage::OpSPop(ctx.db(), ctx.args[1], ctx.now_ms);
    if (member.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
    if (!member.ok()) return ctx.ReplyError(member.status());
    ctx.reply.Bulk(*member);
    ctx.MarkDirty();
    ctx.Notify(kNotifySet, "spop", key);
    ctx.PropagateAs({"SREM", key, std::move(*member)});
    return;
  }
  std::optional<int64_t> count = ArgToInt64(ctx.args[2]);
  if (!count || *count < 0) return ctx.reply.Error(kErrNotPositive);
  auto popped =
      storage::OpSPopCount(ctx.db(), ctx.args[1], static_cast<uint64_t>(*count), ctx.now_ms);
  if (!popped.ok()) return ctx.ReplyError(popped.status());
  ctx.reply.SetHeader(static_cast<int64_t>(popped->members.size()));
  for (const std::string& member : popped->members) ctx.reply.Bulk(member);
  if (popped->members.empty()) return;
  ctx.MarkDirty(popped->members.size());
  ctx.Notify(kNotifySet, "spop", key);
  if (popped->key_deleted) {
    ctx.Notify(kNotifyGeneric, "del", key);
    ctx.PropagateAs({"DEL", key});
    return;
  }
  std::vector<std::string> argv;
  argv.reserve(popped->members.size() + 2);
  argv.emplace_back("SREM");
  argv.push_back(key);
  for (std::string& member : popped->members) argv.push_back(std::move(member));
  ctx.PropagateAs(std::move(argv));
}

}  // namespace

// clang-format off
std::span<const CommandSpec> SetRandomCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "srandmember", .arity = -2, .flags = kReadOnly, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns one or more random members of a set.", .handler = SRandMemberCommand},
      {.name = "spop", .arity = -2, .flags = kWrite | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Removes and returns one or more random members of a set.",
       .handler = SPopCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
