// Handlers of the hash commands that read fields: HGET, HMGET, HLEN, HSTRLEN, HEXISTS,
// HKEYS, HVALS and HGETALL. Each renders its reply straight from the stored hash
// (storage::OpFindHash), so HGETALL copies nothing. A missing key reads as an empty hash:
// nil, zero, or an empty aggregate, as in Redis.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "storage/ops/hash_ops.h"

namespace ember::server {
namespace {

using storage::HashValue;
using storage::OpStatus;

// The hash at args[1] for one reply. ok() is false once WRONGTYPE was replied; get() is
// nullptr for a missing key (an empty hash to every reader), else valid while this lives.
class HashLookup {
 public:
  explicit HashLookup(CommandContext& ctx) {
    auto found = storage::OpFindHash(ctx.db(), ctx.args[1], ctx.now_ms);
    if (found.ok()) {
      view_.emplace(std::move(*found));
    } else if (found.status() != OpStatus::kKeyNotFound) {
      ctx.ReplyError(found.status());
      ok_ = false;
    }
  }
  HashLookup(const HashLookup&) = delete;
  HashLookup& operator=(const HashLookup&) = delete;

  bool ok() const { return ok_; }
  const HashValue* get() const { return view_.has_value() ? &**view_ : nullptr; }

 private:
  std::optional<storage::CollectionView<HashValue>> view_;
  bool ok_ = true;
};

void ReplyField(CommandContext& ctx, const HashValue* hash, std::string_view field) {
  storage::NumberBuffer scratch;
  std::optional<std::string_view> value =
      hash == nullptr ? std::nullopt : hash->Get(field, scratch);
  if (value.has_value()) {
    ctx.reply.Bulk(*value);
  } else {
    ctx.reply.Null();
  }
}

void HGetCommand(CommandContext& ctx) {
  HashLookup lookup(ctx);
  if (lookup.ok()) ReplyField(ctx, lookup.get(), ctx.args[2]);
}

void HMGetCommand(CommandContext& ctx) {
  HashLookup lookup(ctx);
  if (!lookup.ok()) return;
  const HashValue* hash = lookup.get();
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.args.size() - 2));
  for (size_t i = 2; i < ctx.args.size(); ++i) ReplyField(ctx, hash, ctx.args[i]);
}

void HLenCommand(CommandContext& ctx) {
  HashLookup lookup(ctx);
  if (!lookup.ok()) return;
  const HashValue* hash = lookup.get();
  ctx.reply.Integer(hash == nullptr ? 0 : static_cast<int64_t>(hash->Size()));
}

void HStrLenCommand(CommandContext& ctx) {
  HashLookup lookup(ctx);
  if (!lookup.ok()) return;
  const HashValue* hash = lookup.get();
  ctx.reply.Integer(hash == nullptr ? 0 : static_cast<int64_t>(hash->ValueLength(ctx.args[2])));
}

void HExistsCommand(CommandContext& ctx) {
  HashLookup lookup(ctx);
  if (!lookup.ok()) return;
  const HashValue* hash = lookup.get();
  ctx.reply.Integer(hash != nullptr && hash->Contains(ctx.args[2]) ? 1 : 0);
}

enum class Part { kFields, kValues, kBoth };

// HKEYS, HVALS and HGETALL: a flat array of fields or values, or a map of both (RESP2
// renders the map as a flat array of pairs).
void ReplyAll(CommandContext& ctx, Part part) {
  HashLookup lookup(ctx);
  if (!lookup.ok()) return;
  const HashValue* hash = lookup.get();
  const auto size = hash == nullptr ? int64_t{0} : static_cast<int64_t>(hash->Size());
  if (part == Part::kBoth) {
    ctx.reply.MapHeader(size);
  } else {
    ctx.reply.ArrayHeader(size);
  }
  if (hash == nullptr) return;
  hash->ForEach([&ctx, part](std::string_view field, std::string_view value) {
    if (part != Part::kValues) ctx.reply.Bulk(field);
    if (part != Part::kFields) ctx.reply.Bulk(value);
  });
}

void HKeysCommand(CommandContext& ctx) { ReplyAll(ctx, Part::kFields); }

void HValsCommand(CommandContext& ctx) { ReplyAll(ctx, Part::kValues); }

void HGetAllCommand(CommandContext& ctx) { ReplyAll(ctx, Part::kBoth); }

}  // namespace

// clang-format off
std::span<const CommandSpec> HashReadCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "hget", .arity = 3, .flags = kReadOnly | kFast, .keys = kKey1, .since = "2.0.0",
       .summary = "Returns the value of a field of a hash.", .handler = HGetCommand},
      {.name = "hmget", .arity = -3, .flags = kReadOnly | kFast, .keys = kKey1, .since = "2.0.0",
       .summary = "Returns the values of several fields of a hash.", .handler = HMGetCommand},
      {.name = "hlen", .arity = 2, .flags = kReadOnly | kFast, .keys = kKey1, .since = "2.0.0",
       .summary = "Returns the number of fields of a hash.", .handler = HLenCommand},
      {.name = "hstrlen", .arity = 3, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "3.2.0", .summary = "Returns the length of the value of a field.",
       .handler = HStrLenCommand},
      {.name = "hexists", .arity = 3, .flags = kReadOnly | kFast, .keys = kKey1,
       .since = "2.0.0", .summary = "Tells whether a field exists in a hash.",
       .handler = HExistsCommand},
      {.name = "hkeys", .arity = 2, .flags = kReadOnly, .keys = kKey1, .since = "2.0.0",
       .summary = "Returns every field of a hash.", .handler = HKeysCommand},
      {.name = "hvals", .arity = 2, .flags = kReadOnly, .keys = kKey1, .since = "2.0.0",
       .summary = "Returns every value of a hash.", .handler = HValsCommand},
      {.name = "hgetall", .arity = 2, .flags = kReadOnly, .keys = kKey1, .since = "2.0.0",
       .summary = "Returns every field and value of a hash.", .handler = HGetAllCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
