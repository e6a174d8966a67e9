// Argument parsing shared by the stream commands, with Redis 7.0's error replies (t_stream.c):
// stream IDs in their several forms, and XADD / XTRIM's trimming options.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "server/command/command_context.h"
#include "storage/ops/stream_ops.h"
#include "storage/value/stream_id.h"

namespace ember::server {

inline constexpr std::string_view kErrInvalidStreamId =
    "ERR Invalid stream ID specified as stream command argument";

// An ID where "-" and "+" are refused (Redis's streamParseStrictIDOrReply); replies the
// error and returns nullopt when malformed.
std::optional<storage::StreamId> ParseStrictStreamIdOrReply(CommandContext& ctx,
                                                            std::string_view text,
                                                            uint64_t missing_seq);

// A range bound of XRANGE / XREVRANGE: "-", "+", "<ms>[-<seq>]", or "(" + an ID for an
// exclusive bound, turned into the inclusive bound it means; replies the error (including
// "invalid start/end ID for the interval") and returns nullopt otherwise.
std::optional<storage::StreamId> ParseRangeBoundOrReply(CommandContext& ctx, std::string_view text,
                                                        bool is_start);

// XADD's and XTRIM's options from args[2] on (Redis's streamParseAddOrTrimArgsOrReply).
struct AddOrTrimArgs {
  storage::StreamTrim trim;
  size_t trim_arg_index = 0;  // where the MAXLEN count / MINID id is (for propagation)
  bool no_mkstream = false;
  bool id_given = false;
  bool seq_given = true;
  storage::StreamId id;
  size_t id_index = 0;  // XADD: where the ID argument ("*" or given) is
};
std::optional<AddOrTrimArgs> ParseAddOrTrimArgsOrReply(CommandContext& ctx, bool xadd);

}  // namespace ember::server
