// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest common subsequence
// of two strings (storage/ops/lcs_math.h), as Redis 7.0.15 replies it.
//
// Order of checks, which clients can observe: both keys are looked up first (a key of another
// type answers Redis's own error text, not WRONGTYPE, before any option is read), then the
// options left to right, then LEN with IDX, then the size guard. An absent key reads as the
// empty string. The guard refuses inputs whose full table would exceed proto-max-bulk-len,
// even for LEN, which Ember computes in two rows: the reply must not depend on that choice.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "storage/ops/lcs_math.h"
#include "storage/ops/string_ops.h"

namespace ember::server {
namespace {

namespace lcs = storage::lcs;

struct LcsOptions {
  bool length_only = false;
  bool indexes = false;
  bool with_match_length = false;
  uint64_t min_match_length = 0;
};

// Parses args[3...]; nullopt after replying with the error.
std::optional<LcsOptions> ParseLcsOptions(CommandContext& ctx) {
  LcsOptions options;
  for (size_t i = 3; i < ctx.args.size(); ++i) {
    const std::string_view option = ctx.args[i];
    if (EqualsIgnoreCase(option, "idx")) {
      options.indexes = true;
    } else if (EqualsIgnoreCase(option, "len")) {
      options.length_only = true;
    } else if (EqualsIgnoreCase(option, "withmatchlen")) {
      options.with_match_length = true;
    } else if (EqualsIgnoreCase(option, "minmatchlen") && i + 1 < ctx.args.size()) {
      std::optional<int64_t> value = ArgToInt64(ctx.args[++i]);
      if (!value.has_value()) {
        ctx.reply.Error(kErrNotInteger);
        return std::nullopt;
      }
      options.min_match_length = *value < 0 ? 0 : static_cast<uint64_t>(*value);
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  if (options.length_only && options.indexes) {
    ctx.reply.Error(kErrLcsLenAndIdx);
    return std::nullopt;
  }
  return options;
}

// The string at `key` (empty when absent) into `out`; false for another type.
bool ReadInput(CommandContext& ctx, std::string_view key, std::string* out) {
  storage::NumberBuffer scratch;
  auto value = storage::OpGet(ctx.db(), key, ctx.now_ms, scratch);
  if (value.ok()) out->assign(*value);
  return value.ok() || value.status() == storage::OpStatus::kKeyNotFound;
}

void ReplyMatches(CommandContext& ctx, const lcs::Result& result, bool with_match_length,
                  uint64_t length) {
  ctx.reply.MapHeader(2);
  ctx.reply.Bulk("matches");
  ctx.reply.ArrayHeader(static_cast<int64_t>(result.matches.size()));
  for (const lcs::Match& match : result.matches) {
    ctx.reply.ArrayHeader(with_match_length ? 3 : 2);
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(static_cast<int64_t>(match.a_first));
    ctx.reply.Integer(static_cast<int64_t>(match.a_last));
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(static_cast<int64_t>(match.b_first));
    ctx.reply.Integer(static_cast<int64_t>(match.b_last));
    if (with_match_length) ctx.reply.Integer(static_cast<int64_t>(match.length()));
  }
  ctx.reply.Bulk("len");
  ctx.reply.Integer(static_cast<int64_t>(length));
}

void LcsCommand(CommandContext& ctx) {
  std::string a;
  std::string b;
  const bool a_is_string = ReadInput(ctx, ctx.args[1], &a);
  const bool b_is_string = ReadInput(ctx, ctx.args[2], &b);
  if (!a_is_string || !b_is_string) return ctx.reply.Error(kErrLcsNotStrings);
  std::optional<LcsOptions> options = ParseLcsOptions(ctx);
  if (!options.has_value()) return;
  if (lcs::TooLong(a.size()) || lcs::TooLong(b.size())) return ctx.reply.Error(kErrLcsTooLong);
  const auto limit = static_cast<uint64_t>(ctx.server.config().proto_max_bulk_len);
  if (lcs::TableBytes(a.size(), b.size()) > limit) return ctx.reply.Error(kErrLcsTableTooLarge);
  if (options->length_only) {
    return ctx.reply.Integer(static_cast<int64_t>(lcs::Length(a, b)));
  }
  std::optional<lcs::Result> result = lcs::Compute(a, b, options->min_match_length);
  if (!result.has_value()) return ctx.reply.Error(kErrLcsNoMemory);
  if (!options->indexes) return ctx.reply.Bulk(result->sequence);
  ReplyMatches(ctx, *result, options->with_match_length, result->sequence.size());
}

}  // namespace

// clang-format off
std::span<const CommandSpec> LcsCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "lcs", .arity = -3, .flags = kReadOnly, .keys = kKey12, .since = "7.0.0",
       .summary = "Finds the longest common subsequence of two strings.",
       .handler = LcsCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
