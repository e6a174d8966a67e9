#include "server/families/stream/stream_args.h"

#include "server/command/arg_parsing.h"
#include "server/command/error_replies.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

using storage::StreamId;
using storage::StreamTrim;

bool Is(std::string_view arg, std::string_view name) { return EqualsIgnoreCase(arg, name); }

}  // namespace

std::optional<StreamId> ParseStrictStreamIdOrReply(CommandContext& ctx, std::string_view text,
                                                   uint64_t missing_seq) {
  std::optional<StreamId> id = storage::ParseStreamId(text, missing_seq, /*strict=*/true);
  if (!id) ctx.reply.Error(kErrInvalidStreamId);
  return id;
}

std::optional<StreamId> ParseRangeBoundOrReply(CommandContext& ctx, std::string_view text,
                                               bool is_start) {
  const uint64_t missing_seq = is_start ? 0 : StreamId::Max().seq;
  const bool exclusive = text.size() > 1 && text[0] == '(';
  std::optional<StreamId> id =
      exclusive ? storage::ParseStreamId(text.substr(1), missing_seq, /*strict=*/true)
                : storage::ParseStreamId(text, missing_seq, /*strict=*/false);
  if (!id) {
    ctx.reply.Error(kErrInvalidStreamId);
    return std::nullopt;
  }
  if (exclusive && !(is_start ? id->Increment() : id->Decrement())) {
    ctx.reply.Error(is_start ? "ERR invalid start ID for the interval"
                             : "ERR invalid end ID for the interval");
    return std::nullopt;
  }
  return id;
}

std::optional<AddOrTrimArgs> ParseAddOrTrimArgsOrReply(CommandContext& ctx, bool xadd) {
  AddOrTrimArgs parsed;
  StreamTrim& trim = parsed.trim;
  const auto& args = ctx.args;
  bool limit_given = false;
  size_t i = 2;
  for (; i < args.size(); ++i) {
    const size_t more = args.size() - 1 - i;
    const std::string_view opt = args[i];
    if (xadd && opt == "*") break;
    if ((Is(opt, "maxlen") || Is(opt, "minid")) && more > 0) {
      const bool maxlen = Is(opt, "maxlen");
      if (trim.strategy != StreamTrim::Strategy::kNone) {
        ctx.reply.Error(
            "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        return std::nullopt;
      }
      trim.approx = false;
      if (more >= 2 && args[i + 1] == "~") {
        trim.approx = true;
        ++i;
      } else if (more >= 2 && args[i + 1] == "=") {
        ++i;
      }
      if (maxlen) {
        const std::optional<int64_t> count = ArgToInt64(args[i + 1]);
        if (!count) {
          ctx.reply.Error(kErrNotInteger);
          return std::nullopt;
        }
        if (*count < 0) {
          ctx.reply.Error("ERR The MAXLEN argument must be >= 0.");
          return std::nullopt;
        }
        trim.max_length = static_cast<uint64_t>(*count);
        trim.strategy = StreamTrim::Strategy::kMaxLen;
      } else {
        const std::optional<StreamId> min_id = ParseStrictStreamIdOrReply(ctx, args[i + 1], 0);
        if (!min_id) return std::nullopt;
        trim.min_id = *min_id;
        trim.strategy = StreamTrim::Strategy::kMinId;
      }
      ++i;
      parsed.trim_arg_index = i;
    } else if (Is(opt, "limit") && more > 0) {
      const std::optional<int64_t> limit = ArgToInt64(args[i + 1]);
      if (!limit) {
        ctx.reply.Error(kErrNotInteger);
        return std::nullopt;
      }
      if (*limit < 0) {
        ctx.reply.Error("ERR The LIMIT argument must be >= 0.");
        return std::nullopt;
      }
      trim.limit = *limit;
      limit_given = true;
      ++i;
    } else if (xadd && Is(opt, "nomkstream")) {
      parsed.no_mkstream = true;
    } else if (xadd) {
      std::optional<StreamId> id =
          storage::ParseStreamId(opt, 0, /*strict=*/true,
                                 /*seq_star_allowed=*/true, &parsed.seq_given);
      if (!id) {
        ctx.reply.Error(kErrInvalidStreamId);
        return std::nullopt;
      }
      parsed.id = *id;
      parsed.id_given = true;
      break;
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  parsed.id_index = i;
  if (trim.limit != 0 && trim.strategy == StreamTrim::Strategy::kNone) {
    ctx.reply.Error(
        "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return std::nullopt;
  }
  if (!xadd && trim.strategy == StreamTrim::Strategy::kNone) {
    ctx.reply.Error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return std::nullopt;
  }
  if (ctx.client.obeys_log) {
    trim.limit = 0;  // the trim argument was rewritten to be exact; replay it whole
  } else if (limit_given) {
    if (!trim.approx) {
      ctx.reply.Error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return std::nullopt;
    }
  } else if (trim.approx) {
    // At most 100 nodes' worth of work by default, bounded both ways as Redis bounds it.
    int64_t limit = 100 * ctx.server.config().stream_node_max_entries;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    trim.limit = limit;
  } else {
    trim.limit = 0;
  }
  return parsed;
}

}  // namespace ember::server
