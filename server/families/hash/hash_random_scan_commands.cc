// Handlers of HRANDFIELD and HSCAN, the hash commands whose output is not determined by the
// hash alone (random picks, cursor pages). The selections are in storage/ops/hash_ops.h.
//
// Checks come in Redis 7.0's order: HRANDFIELD reads its count and options before it looks
// the key up; HSCAN reads its cursor, then looks the key up (a missing key answers an empty
// page whatever the options say), then reads its options.
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/scan_args.h"
#include "server/core/server_state.h"
#include "storage/ops/hash_ops.h"

namespace ember::server {
namespace {

using storage::HashValue;
using storage::OpStatus;

// With WITHVALUES Redis bounds the count to half of LONG_MAX, so that twice the count (the
// RESP2 reply's length) cannot overflow.
constexpr int64_t kMaxCountWithValues = std::numeric_limits<int64_t>::max() / 2;

// HRANDFIELD key count [WITHVALUES]. RESP2 replies a flat array (field, value, field...);
// RESP3 an array of [field, value] pairs, as Redis 7.0 does.
void RandomFieldsWithCount(CommandContext& ctx) {
  std::optional<int64_t> count = ArgToInt64(ctx.args[2]);
  if (!count.has_value()) return ctx.reply.Error(kErrNotInteger);
  if (*count == std::numeric_limits<int64_t>::min()) {
    return ctx.reply.Error(kErrCountOutOfLongRange);
  }
  const bool with_values = ctx.args.size() == 4;
  if (ctx.args.size() > 4 || (with_values && !EqualsIgnoreCase(ctx.args[3], "withvalues"))) {
    return ctx.reply.Error(kErrSyntax);
  }
  if (with_values && (*count < -kMaxCountWithValues || *count > kMaxCountWithValues)) {
    return ctx.reply.Error(kErrValueOutOfRange);
  }

  auto found = storage::OpFindHash(ctx.db(), ctx.args[1], ctx.now_ms);
  if (found.status() == OpStatus::kKeyNotFound || (found.ok() && *count == 0)) {
    return ctx.reply.ArrayHeader(0);
  }
  if (!found.ok()) return ctx.ReplyError(found.status());
  if (*count < -kMaxRandomRepeats) return ctx.reply.Error(kErrTooManyRandomRepeats);
  const HashValue& hash = **found;

  const auto picks = static_cast<int64_t>(storage::HashRandomFieldsCount(hash.Size(), *count));
  const bool pairs_as_arrays = with_values && ctx.reply.resp3();
  ctx.reply.ArrayHeader(with_values && !pairs_as_arrays ? 2 * picks : picks);
  storage::HashRandomFields(
      hash, *count, ctx.db().rng(),
      [&ctx, with_values, pairs_as_arrays](std::string_view field, std::string_view value) {
        if (pairs_as_arrays) ctx.reply.ArrayHeader(2);
        ctx.reply.Bulk(field);
        if (with_values) ctx.reply.Bulk(value);
      });
}

void HRandFieldCommand(CommandContext& ctx) {
  if (ctx.args.size() >= 3) return RandomFieldsWithCount(ctx);
  auto found = storage::OpFindHash(ctx.db(), ctx.args[1], ctx.now_ms);
  if (found.status() == OpStatus::kKeyNotFound) return ctx.reply.Null();
  if (!found.ok()) return ctx.ReplyError(found.status());
  storage::NumberBuffer field_scratch;
  storage::NumberBuffer value_scratch;
  ctx.reply.Bulk((*found)->Random(ctx.db().rng(), field_scratch, value_scratch).first);
}

// HSCAN's options after the cursor: MATCH and COUNT (TYPE belongs to SCAN alone). Replies
// and returns false on an error.
bool ParseHashScanOptions(CommandContext& ctx, storage::HashScanOptions* options) {
  const ScanArgs parsed = ParseScanArgs(ctx.args, 3, /*allow_type=*/false);
  if (!parsed.error.empty()) {
    ctx.reply.Error(parsed.error);
    return false;
  }
  options->count = parsed.count;
  options->has_pattern = parsed.pattern.has_value();
  options->pattern = parsed.pattern.value_or("");
  return true;
}

void HScanCommand(CommandContext& ctx) {
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.args[2]);
  if (!cursor.has_value()) return ctx.reply.Error(kErrInvalidCursor);
  auto found = storage::OpFindHash(ctx.db(), ctx.args[1], ctx.now_ms);
  if (found.status() == OpStatus::kKeyNotFound) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("0");
    return ctx.reply.ArrayHeader(0);
  }
  if (!found.ok()) return ctx.ReplyError(found.status());
  storage::HashScanOptions options;
  if (!ParseHashScanOptions(ctx, &options)) return;

  storage::HashScanPage page = storage::HashScanStep(**found, *cursor, options);
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(page.cursor));
  ctx.reply.ArrayHeader(static_cast<int64_t>(2 * page.pairs.size()));
  for (const auto& [field, value] : page.pairs) {
    ctx.reply.Bulk(field);
    ctx.reply.Bulk(value);
  }
}

}  // namespace

// clang-format off
std::span<const CommandSpec> HashRandomScanCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "hrandfield", .arity = -2, .flags = kReadOnly, .keys = kKey1, .since = "6.2.0",
       .summary = "Returns random fields of a hash, optionally with their values.",
       .handler = HRandFieldCommand},
      {.name = "hscan", .arity = -3, .flags = kReadOnly, .keys = kKey1, .since = "2.8.0",
       .summary = "Iterates over the fields and values of a hash.", .handler = HScanCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
