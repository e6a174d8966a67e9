// Handlers of the string family that set or read whole values: SET, SETNX, SETEX, PSETEX,
// GETSET, MSET, MSETNX, GET, GETDEL, GETEX and MGET. The counters, APPEND, STRLEN and the
// range commands are in string_value_commands.cc.
//
// Propagation follows Redis 7.0: a relative or absolute expiry is written as
// SET key value PXAT <ms> (so replaying never stretches a TTL), GET flags are dropped,
// GETSET becomes SET, GETDEL becomes DEL, and GETEX becomes PEXPIREAT, DEL or PERSIST.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/arg_parser.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/string_ops.h"
#include "storage/value/number_format.h"

namespace ember::server {
namespace {

using storage::OpStatus;

enum class ExpireKind { kNone, kEx, kPx, kExAt, kPxAt };

// The options SET and GETEX share, as parsed before any value is checked.
struct StringOptions {
  storage::SetCondition condition = storage::SetCondition::kAlways;
  bool get = false;
  bool keep_ttl = false;
  bool persist = false;
  ExpireKind expire = ExpireKind::kNone;
  std::string_view expire_arg;
};

// One of EX, PX, EXAT and PXAT with its value. False when the next argument is none of
// them, or when an expiry may not come here: after KEEPTTL or PERSIST, or after another
// kind of expiry (the same kind may repeat; the last wins).
bool ParseExpireOption(ArgParser& parser, StringOptions* out) {
  static constexpr struct {
    std::string_view name;
    ExpireKind kind;
  } kExpireOptions[] = {{"ex", ExpireKind::kEx},
                        {"px", ExpireKind::kPx},
                        {"exat", ExpireKind::kExAt},
                        {"pxat", ExpireKind::kPxAt}};
  for (const auto& option : kExpireOptions) {
    std::optional<std::string_view> value = parser.Value(option.name);
    if (!value) continue;
    const bool compatible = !out->keep_ttl && !out->persist &&
                            (out->expire == ExpireKind::kNone || out->expire == option.kind);
    if (!compatible) return false;
    out->expire = option.kind;
    out->expire_arg = *value;
    return true;
  }
  return false;
}

// Redis's acceptance rules: NX/XX exclude each other; one expiry kind at most, though the
// same one may repeat (the last wins); KEEPTTL and PERSIST exclude every expiry. NX, XX,
// GET and KEEPTTL belong to SET only, PERSIST to GETEX only. Returns false on a syntax
// error.
bool ParseStringOptions(std::span<const std::string_view> args, size_t first, bool for_set,
                        StringOptions* out) {
  using storage::SetCondition;
  ArgParser parser(args, first);
  while (parser.HasNext()) {
    if (for_set && out->condition != SetCondition::kIfPresent && parser.Check("nx")) {
      out->condition = SetCondition::kIfAbsent;
    } else if (for_set && out->condition != SetCondition::kIfAbsent && parser.Check("xx")) {
      out->condition = SetCondition::kIfPresent;
    } else if (for_set && parser.Check("get")) {
      out->get = true;
    } else if (for_set && out->expire == ExpireKind::kNone && parser.Check("keepttl")) {
      out->keep_ttl = true;
    } else if (!for_set && out->expire == ExpireKind::kNone && parser.Check("persist")) {
      out->persist = true;
    } else if (!ParseExpireOption(parser, out)) {
      parser.Fail(kErrSyntax);
    }
  }
  return parser.ok();
}

enum class ExpireError { kNone, kNotInteger, kInvalid };

// Converts an expiry argument to absolute unix ms with Redis's checks: the number must be
// positive, seconds must not overflow when turned into ms, and a relative time must not
// overflow when added to now.
ExpireError ResolveExpire(std::string_view arg, ExpireKind kind, int64_t now_ms, int64_t* at_ms) {
  std::optional<int64_t> number = ArgToInt64(arg);
  if (!number.has_value()) return ExpireError::kNotInteger;
  int64_t ms = *number;
  const bool seconds = kind == ExpireKind::kEx || kind == ExpireKind::kExAt;
  if (ms <= 0 || (seconds && ms > std::numeric_limits<int64_t>::max() / 1000)) {
    return ExpireError::kInvalid;
  }
  if (seconds) ms *= 1000;
  const bool relative = kind == ExpireKind::kEx || kind == ExpireKind::kPx;
  if (relative && __builtin_add_overflow(ms, now_ms, &ms)) return ExpireError::kInvalid;
  *at_ms = ms;
  return ExpireError::kNone;
}

void ReplyExpireError(CommandContext& ctx, ExpireError error) {
  if (error == ExpireError::kNotInteger) {
    ctx.reply.Error(kErrNotInteger);
  } else {
    ctx.reply.Error(InvalidExpireError(ctx.spec.name));
  }
}

// Resolves an expiry of `kind` from `arg`, replying with the error when it is invalid.
bool ResolveExpireOrReply(CommandContext& ctx, std::string_view arg, ExpireKind kind,
                          int64_t* at_ms) {
  const ExpireError error = ResolveExpire(arg, kind, ctx.now_ms, at_ms);
  if (error == ExpireError::kNone) return true;
  ReplyExpireError(ctx, error);
  return false;
}

void PropagateSetPxAt(CommandContext& ctx, std::string_view key, std::string_view value,
                      int64_t at_ms) {
  ctx.PropagateAs(
      {"SET", std::string(key), std::string(value), "PXAT", storage::Int64ToString(at_ms)});
}

// SET key value [options] without its GET flags, which must not reach the AOF.
void PropagateSetWithoutGet(CommandContext& ctx) {
  std::vector<std::string> argv;
  argv.reserve(ctx.args.size());
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    if (i >= 3 && EqualsIgnoreCase(ctx.args[i], "get")) continue;
    argv.emplace_back(ctx.args[i]);
  }
  ctx.PropagateAs(std::move(argv));
}

// Redis's setGenericCommand events: "set", then "expire" when the write gave a TTL.
void NotifySet(CommandContext& ctx, std::string_view key, bool with_expire) {
  ctx.Notify(kNotifyString, "set", key);
  if (with_expire) ctx.Notify(kNotifyGeneric, "expire", key);
}

// MSET and MSETNX raise "set" for each key as it is written (after its "new").
auto NotifySetOf(CommandContext& ctx) {
  return [&ctx](std::string_view key) { ctx.Notify(kNotifyString, "set", key); };
}

void ReplyOptionalBulk(CommandContext& ctx, const std::optional<std::string>& value) {
  if (value.has_value()) {
    ctx.reply.Bulk(*value);
  } else {
    ctx.reply.Null();
  }
}

// SETEX and PSETEX: SETEX key ttl value.
void SetWithTtl(CommandContext& ctx, ExpireKind kind) {
  storage::SetOptions options;
  int64_t at_ms = 0;
  if (!ResolveExpireOrReply(ctx, ctx.args[2], kind, &at_ms)) return;
  options.expire_at_ms = at_ms;
  auto result = storage::OpSet(ctx.db(), ctx.args[1], ctx.args[3], options, ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Ok();
  ctx.MarkDirty();
  NotifySet(ctx, ctx.args[1], /*with_expire=*/true);
  PropagateSetPxAt(ctx, ctx.args[1], ctx.args[3], at_ms);
}

// MSET and MSETNX take key/value pairs: an odd count is an arity error they check
// themselves, since the table's arity can only say "at least three".
bool CheckPairs(CommandContext& ctx) {
  if (ctx.args.size() % 2 == 1) return true;
  ctx.reply.Error(WrongArityError(ctx.spec.name));
  return false;
}

void SetCommand(CommandContext& ctx) {
  StringOptions parsed;
  if (!ParseStringOptions(ctx.args, 3, /*for_set=*/true, &parsed)) {
    return ctx.reply.Error(kErrSyntax);
  }
  storage::SetOptions options;
  options.condition = parsed.condition;
  options.keep_ttl = parsed.keep_ttl;
  options.return_old = parsed.get;
  int64_t at_ms = 0;
  if (parsed.expire != ExpireKind::kNone) {
    if (!ResolveExpireOrReply(ctx, parsed.expire_arg, parsed.expire, &at_ms)) return;
    options.expire_at_ms = at_ms;
  }

  auto result = storage::OpSet(ctx.db(), ctx.args[1], ctx.args[2], options, ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  if (parsed.get) {
    ReplyOptionalBulk(ctx, result->old_value);
  } else if (result->written) {
    ctx.reply.Ok();
  } else {
    ctx.reply.Null();
  }
  if (!result->written) return;

  ctx.MarkDirty();
  NotifySet(ctx, ctx.args[1], options.expire_at_ms.has_value());
  if (options.expire_at_ms.has_value()) {
    PropagateSetPxAt(ctx, ctx.args[1], ctx.args[2], at_ms);
  } else if (parsed.get) {
    PropagateSetWithoutGet(ctx);
  }
}

void SetNxCommand(CommandContext& ctx) {
  storage::SetOptions options;
  options.condition = storage::SetCondition::kIfAbsent;
  auto result = storage::OpSet(ctx.db(), ctx.args[1], ctx.args[2], options, ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Integer(result->written ? 1 : 0);
  if (!result->written) return;
  ctx.MarkDirty();
  NotifySet(ctx, ctx.args[1], /*with_expire=*/false);
}

void SetExCommand(CommandContext& ctx) { SetWithTtl(ctx, ExpireKind::kEx); }

void PSetExCommand(CommandContext& ctx) { SetWithTtl(ctx, ExpireKind::kPx); }

void GetCommand(CommandContext& ctx) {
  storage::NumberBuffer scratch;
  auto result = storage::OpGet(ctx.db(), ctx.args[1], ctx.now_ms, scratch);
  if (result.ok()) return ctx.reply.Bulk(*result);
  if (result.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
  ctx.ReplyError(result.status());
}

void GetDelCommand(CommandContext& ctx) {
  auto result = storage::OpGetDel(ctx.db(), ctx.args[1], ctx.now_ms);
  if (result.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Bulk(*result);
  ctx.MarkDirty();
  ctx.Notify(kNotifyGeneric, "del", ctx.args[1]);
  ctx.PropagateAs({"DEL", std::string(ctx.args[1])});
}

void GetExCommand(CommandContext& ctx) {
  StringOptions parsed;
  if (!ParseStringOptions(ctx.args, 2, /*for_set=*/false, &parsed)) {
    return ctx.reply.Error(kErrSyntax);
  }
  storage::GetExOptions options;
  if (parsed.expire != ExpireKind::kNone) {
    const ExpireError error =
        ResolveExpire(parsed.expire_arg, parsed.expire, ctx.now_ms, &options.expire_at_ms);
    if (error != ExpireError::kNone) {
      // Redis looks the key up before it checks the time: a missing key answers nil and
      // another type WRONGTYPE, whatever the time says.
      storage::NumberBuffer scratch;
      auto found = storage::OpGet(ctx.db(), ctx.args[1], ctx.now_ms, scratch);
      if (found.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
      if (!found.ok()) return ctx.ReplyError(found.status());
      return ReplyExpireError(ctx, error);
    }
    options.action = storage::GetExOptions::Action::kSetExpire;
  } else if (parsed.persist) {
    options.action = storage::GetExOptions::Action::kPersist;
  }

  auto result = storage::OpGetEx(ctx.db(), ctx.args[1], options, ctx.now_ms);
  if (result.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
  if (!result.ok()) return ctx.ReplyError(result.status());
  ctx.reply.Bulk(result->value);

  const std::string key(ctx.args[1]);
  using Effect = storage::GetExResult::Effect;
  switch (result->effect) {
    case Effect::kNone:
      return;
    case Effect::kExpireSet:
      ctx.Notify(kNotifyGeneric, "expire", key);
      ctx.PropagateAs({"PEXPIREAT", key, storage::Int64ToString(options.expire_at_ms)});
      break;
    case Effect::kDeleted:
      ctx.Notify(kNotifyGeneric, "del", key);
      ctx.PropagateAs({"DEL", key});
      break;
    case Effect::kPersisted:
      ctx.Notify(kNotifyGeneric, "persist", key);
      ctx.PropagateAs({"PERSIST", key});
      break;
  }
  ctx.MarkDirty();
}

void GetSetCommand(CommandContext& ctx) {
  storage::SetOptions options;
  options.return_old = true;
  auto result = storage::OpSet(ctx.db(), ctx.args[1], ctx.args[2], options, ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  ReplyOptionalBulk(ctx, result->old_value);
  ctx.MarkDirty();
  NotifySet(ctx, ctx.args[1], /*with_expire=*/false);
  ctx.PropagateAs({"SET", std::string(ctx.args[1]), std::string(ctx.args[2])});
}

void MSetCommand(CommandContext& ctx) {
  if (!CheckPairs(ctx)) return;
  storage::OpMSet(ctx.db(), ctx.args.subspan(1), ctx.now_ms, NotifySetOf(ctx));
  ctx.reply.Ok();
  ctx.MarkDirty((ctx.args.size() - 1) / 2);
}

void MSetNxCommand(CommandContext& ctx) {
  if (!CheckPairs(ctx)) return;
  const bool written =
      storage::OpMSetNx(ctx.db(), ctx.args.subspan(1), ctx.now_ms, NotifySetOf(ctx));
  ctx.reply.Integer(written ? 1 : 0);
  if (written) ctx.MarkDirty((ctx.args.size() - 1) / 2);
}

void MGetCommand(CommandContext& ctx) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.args.size() - 1));
  storage::Database& db = ctx.db();
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    storage::NumberBuffer scratch;
    auto result = storage::OpGet(db, ctx.args[i], ctx.now_ms, scratch);
    if (result.ok()) {
      ctx.reply.Bulk(*result);
    } else {
      ctx.reply.Null();
    }
  }
}

}  // namespace

// clang-format off
std::span<const CommandSpec> StringCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "set", .arity = -3, .flags = kWrite | kDenyOom, .keys = kKey1, .since = "1.0.0",
       .summary = "Sets the value of a key, optionally with a TTL and a condition.",
       .handler = SetCommand},
      {.name = "setnx", .arity = 3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Sets a key only when it does not exist.",
       .handler = SetNxCommand},
      {.name = "setex", .arity = 4, .flags = kWrite | kDenyOom, .keys = kKey1, .since = "2.0.0",
       .summary = "Sets a key with a TTL in seconds.", .handler = SetExCommand},
      {.name = "psetex", .arity = 4, .flags = kWrite | kDenyOom, .keys = kKey1, .since = "2.6.0",
       .summary = "Sets a key with a TTL in milliseconds.", .handler = PSetExCommand},
      {.name = "get", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "1.0.0",
       .summary = "Returns the value of a key.", .handler = GetCommand},
      {.name = "getdel", .arity = 2, .flags = kWrite | kFast, .keys = kKey1, .since = "6.2.0",
       .summary = "Returns the value of a key and deletes it.", .handler = GetDelCommand},
      {.name = "getex", .arity = -2, .flags = kWrite | kFast, .keys = kKey1, .since = "6.2.0",
       .summary = "Returns the value of a key and changes its TTL.", .handler = GetExCommand},
      {.name = "getset", .arity = 3, .flags = kWrite | kDenyOom | kFast, .keys = kKey1,
       .since = "1.0.0", .summary = "Sets a key and returns its previous value.",
       .handler = GetSetCommand},
      {.name = "mset", .arity = -3, .flags = kWrite | kDenyOom, .keys = kKeyValuePairs,
       .since = "1.0.1", .summary = "Sets several keys at once.", .handler = MSetCommand},
      {.name = "msetnx", .arity = -3, .flags = kWrite | kDenyOom, .keys = kKeyValuePairs,
       .since = "1.0.1", .summary = "Sets several keys only when none of them exists.",
       .handler = MSetNxCommand},
      {.name = "mget", .arity = -2, .flags = kReadOnly | kFast, .keys = kAllKeys, .since = "1.0.0",
       .summary = "Returns the values of several keys.", .handler = MGetCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
