// Handlers of the expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL,
// EXPIRETIME, PEXPIRETIME and PERSIST.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "server/command/arg_parser.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/key_ops.h"
#include "storage/value/number_format.h"

namespace ember::server {
namespace {

using storage::TimeUnit;

// Parses the NX/XX/GT/LT options after the key and time. Replies and returns false on an
// unknown option or an incompatible combination (checked before the time, as Redis does).
bool ParseExpireFlags(CommandContext& ctx, unsigned* flags) {
  *flags = 0;
  ArgParser parser(ctx.args, 3);
  while (parser.HasNext()) {
    if (parser.Check("nx")) {
      *flags |= storage::kExpireNx;
    } else if (parser.Check("xx")) {
      *flags |= storage::kExpireXx;
    } else if (parser.Check("gt")) {
      *flags |= storage::kExpireGt;
    } else if (parser.Check("lt")) {
      *flags |= storage::kExpireLt;
    } else {
      parser.Fail(std::string(kErrUnsupportedOptionPrefix) + std::string(parser.Peek()));
    }
  }
  if (!parser.ok()) {
    ctx.reply.Error(parser.error());
    return false;
  }
  constexpr unsigned kNotWithNx = storage::kExpireXx | storage::kExpireGt | storage::kExpireLt;
  if ((*flags & storage::kExpireNx) && (*flags & kNotWithNx)) {
    ctx.reply.Error(kErrNxWithOthers);
    return false;
  }
  if ((*flags & storage::kExpireGt) && (*flags & storage::kExpireLt)) {
    ctx.reply.Error(kErrGtWithLt);
    return false;
  }
  return true;
}

// Converts the time argument to absolute unix ms. Negative times are allowed (they delete
// the key); only overflow of the unit conversion or of the addition is an error.
bool AbsoluteExpireMs(CommandContext& ctx, bool relative, TimeUnit unit, int64_t* when_ms) {
  std::optional<int64_t> when = ArgToInt64(ctx.args[2]);
  if (!when) {
    ctx.reply.Error(kErrNotInteger);
    return false;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t ms = *when;
  if (unit == TimeUnit::kSeconds) {
    if (ms > kMax / 1000 || ms < kMin / 1000) {
      ctx.reply.Error(InvalidExpireError(ctx.spec.name));
      return false;
    }
    ms *= 1000;
  }
  const int64_t base = relative ? ctx.now_ms : 0;
  if (ms > kMax - base) {
    ctx.reply.Error(InvalidExpireError(ctx.spec.name));
    return false;
  }
  *when_ms = ms + base;
  return true;
}

// The shared core of the four EXPIRE commands. A TTL that was set propagates as
// PEXPIREAT with the absolute time (options kept), so replaying the log later neither
// stretches nor resurrects the key; a time already past deleted the key and propagates DEL.
void ExpireGeneric(CommandContext& ctx, bool relative, TimeUnit unit) {
  unsigned flags = 0;
  if (!ParseExpireFlags(ctx, &flags)) return;
  int64_t when_ms = 0;
  if (!AbsoluteExpireMs(ctx, relative, unit, &when_ms)) return;

  const std::string_view key = ctx.args[1];
  auto result = storage::OpExpire(ctx.db(), key, when_ms, flags, ctx.now_ms);
  if (!result.ok()) {  // missing key or a condition not met
    ctx.reply.Integer(0);
    return;
  }
  ctx.MarkDirty();
  ctx.Notify(kNotifyGeneric, *result == storage::ExpireOutcome::kDeleted ? "del" : "expire", key);
  if (*result == storage::ExpireOutcome::kDeleted) {
    ctx.PropagateAs({"DEL", std::string(key)});
  } else if (relative || unit == TimeUnit::kSeconds) {
    std::vector<std::string> argv = {"PEXPIREAT", std::string(key),
                                     storage::Int64ToString(when_ms)};
    for (size_t i = 3; i < ctx.args.size(); ++i) argv.emplace_back(ctx.args[i]);
    ctx.PropagateAs(std::move(argv));
  }
  ctx.reply.Integer(1);
}

void TtlGeneric(CommandContext& ctx, TimeUnit unit) {
  auto result = storage::OpTtl(ctx.db(), ctx.args[1], unit, ctx.now_ms);
  ctx.reply.Integer(*result);
}

void ExpireTimeGeneric(CommandContext& ctx, TimeUnit unit) {
  auto result = storage::OpExpireTime(ctx.db(), ctx.args[1], unit, ctx.now_ms);
  ctx.reply.Integer(*result);
}

void ExpireCommand(CommandContext& ctx) { ExpireGeneric(ctx, true, TimeUnit::kSeconds); }
void PExpireCommand(CommandContext& ctx) { ExpireGeneric(ctx, true, TimeUnit::kMilliseconds); }
void ExpireAtCommand(CommandContext& ctx) { ExpireGeneric(ctx, false, TimeUnit::kSeconds); }
void PExpireAtCommand(CommandContext& ctx) { ExpireGeneric(ctx, false, TimeUnit::kMilliseconds); }

void TtlCommand(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kSeconds); }
void PTtlCommand(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kMilliseconds); }
void ExpireTimeCommand(CommandContext& ctx) { ExpireTimeGeneric(ctx, TimeUnit::kSeconds); }
void PExpireTimeCommand(CommandContext& ctx) { ExpireTimeGeneric(ctx, TimeUnit::kMilliseconds); }

void PersistCommand(CommandContext& ctx) {
  auto result = storage::OpPersist(ctx.db(), ctx.args[1], ctx.now_ms);
  if (*result) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyGeneric, "persist", ctx.args[1]);
  }
  ctx.reply.Integer(*result ? 1 : 0);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ExpireCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "expire", .arity = -3, .flags = kWrite | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Sets a key's TTL in seconds.", .handler = ExpireCommand},
      {.name = "pexpire", .arity = -3, .flags = kWrite | kFast, .keys = kKey1, .since = "2.6.0",
       .summary = "Sets a key's TTL in milliseconds.", .handler = PExpireCommand},
      {.name = "expireat", .arity = -3, .flags = kWrite | kFast, .keys = kKey1, .since = "1.2.0",
       .summary = "Sets a key's expiry as a unix time in seconds.", .handler = ExpireAtCommand},
      {.name = "pexpireat", .arity = -3, .flags = kWrite | kFast, .keys = kKey1, .since = "2.6.0",
       .summary = "Sets a key's expiry as a unix time in milliseconds.",
       .handler = PExpireAtCommand},
      {.name = "expiretime", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "7.0.0", .summary = "Returns a key's expiry as a unix time in seconds.",
       .handler = ExpireTimeCommand},
      {.name = "pexpiretime", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "7.0.0", .summary = "Returns a key's expiry as a unix time in milliseconds.",
       .handler = PExpireTimeCommand},
      {.name = "ttl", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns a key's remaining TTL in seconds.", .handler = TtlCommand},
      {.name = "pttl", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "2.6.0",
       .summary = "Returns a key's remaining TTL in milliseconds.", .handler = PTtlCommand},
      {.name = "persist", .arity = 2, .flags = kWrite | kFast, .keys = kKey1, .since = "2.2.0",
       .summary = "Removes a key's TTL.", .handler = PersistCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
