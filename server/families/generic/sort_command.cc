// SORT and SORT_RO (Redis 7.0's sort.c): sort a list, set or sorted set by its elements or
// by weights other keys hold, optionally fetch other keys per element, and reply or store.
//
// Options are parsed left to right before the key is looked up, so a syntax error or a bad
// LIMIT wins over WRONGTYPE; a keyword without its arguments is a syntax error, STORE
// included in SORT_RO. Cluster mode and ACL key patterns do not exist in Ember, so BY and GET
// are always allowed.
//
// Only SORT ... STORE writes: it is propagated as sent when it stored a list (counting one
// change per element, as Redis's dirty counter does) or deleted a destination, raising
// "sortstore" or "del". The store goes through the database's one mutation point, so WATCH
// breaks and a client blocked on the destination (BLPOP) is served after the command.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "server/command/acl_categories.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/client_state.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/ops/sort_ops.h"

namespace ember::server {
namespace {

struct SortArgs {
  storage::SortRequest request;
  std::optional<std::string_view> store;
};

// Parses args[2...]; nullopt after replying with the error.
std::optional<SortArgs> ParseSortArgs(CommandContext& ctx, bool read_only) {
  SortArgs parsed;
  storage::SortRequest& request = parsed.request;
  // A BY without '*' turns sorting off for good, whatever BY follows it (as in Redis).
  std::optional<std::string_view> constant_by;
  const size_t argc = ctx.args.size();
  for (size_t i = 2; i < argc; ++i) {
    const std::string_view option = ctx.args[i];
    const size_t left = argc - i - 1;
    if (EqualsIgnoreCase(option, "asc")) {
      request.desc = false;
    } else if (EqualsIgnoreCase(option, "desc")) {
      request.desc = true;
    } else if (EqualsIgnoreCase(option, "alpha")) {
      request.alpha = true;
    } else if (EqualsIgnoreCase(option, "limit") && left >= 2) {
      std::optional<int64_t> offset = ArgToInt64(ctx.args[i + 1]);
      std::optional<int64_t> count = offset ? ArgToInt64(ctx.args[i + 2]) : std::nullopt;
      if (!offset || !count) {
        ctx.reply.Error(kErrNotInteger);
        return std::nullopt;
      }
      request.limit_offset = *offset;
      request.limit_count = *count;
      i += 2;
    } else if (!read_only && EqualsIgnoreCase(option, "store") && left >= 1) {
      parsed.store = ctx.args[++i];
    } else if (EqualsIgnoreCase(option, "by") && left >= 1) {
      request.by = ctx.args[++i];
      if (request.by->find('*') == std::string_view::npos) constant_by = request.by;
    } else if (EqualsIgnoreCase(option, "get") && left >= 1) {
      request.gets.push_back(ctx.args[++i]);
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  if (constant_by.has_value()) request.by = constant_by;
  request.store = parsed.store.has_value();
  // What a script computes must not depend on a set's internal order either (its calls run
  // as the scripts' own client).
  request.deterministic = request.store || ctx.client.is_script;
  return parsed;
}

void Store(CommandContext& ctx, std::string_view destination, const storage::SortResult& result) {
  const auto effect = storage::OpStoreSortResult(ctx.db(), destination, result.values, ctx.now_ms);
  const auto stored = static_cast<int64_t>(result.values.size());
  if (effect == storage::SortStoreEffect::kStored) {
    ctx.MarkDirty(static_cast<uint64_t>(stored));
    ctx.Notify(kNotifyList, "sortstore", destination);
  } else if (effect == storage::SortStoreEffect::kDeleted) {
    ctx.MarkDirty();
    ctx.Notify(kNotifyGeneric, "del", destination);
  }
  ctx.reply.Integer(stored);
}

void SortGeneric(CommandContext& ctx, bool read_only) {
  std::optional<SortArgs> parsed = ParseSortArgs(ctx, read_only);
  if (!parsed.has_value()) return;
  auto result = storage::OpSort(ctx.db(), ctx.args[1], parsed->request, ctx.now_ms);
  if (!result.ok()) return ctx.ReplyError(result.status());
  if (result->score_error) return ctx.reply.Error(kErrSortScores);
  if (parsed->store.has_value()) return Store(ctx, *parsed->store, *result);
  ctx.reply.ArrayHeader(static_cast<int64_t>(result->values.size()));
  for (const std::optional<std::string>& value : result->values) {
    if (value.has_value()) {
      ctx.reply.Bulk(*value);
    } else {
      ctx.reply.Null();
    }
  }
}

void SortCommand(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/false); }
void SortReadOnlyCommand(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/true); }

// Redis lists SORT under @set, @sortedset, @list and @dangerous, not @keyspace.
constexpr uint32_t kSortAcl =
    kAclNotInFamilyCategory | kAclSet | kAclSortedSet | kAclList | kAclDangerous;

}  // namespace

// clang-format off
std::span<const CommandSpec> SortCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "sort", .arity = -2, .flags = kWrite | kDenyOom, .keys = kKey1, .since = "1.0.0",
       .summary = "Sorts the elements of a list, set or sorted set, and returns or stores them.",
       .handler = SortCommand, .acl = kSortAcl},
      {.name = "sort_ro", .arity = -2, .flags = kReadOnly, .keys = kKey1, .since = "7.0.0",
       .summary = "Sorts the elements of a list, set or sorted set and returns them.",
       .handler = SortReadOnlyCommand, .acl = kSortAcl},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
