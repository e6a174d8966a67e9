// What the sorted-set handlers share: reading scores and ZRANGE-style bounds the way Redis
// 7.0's t_zset.c reads them, and rendering (member, score) lists in each protocol's shape.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "server/command/command_context.h"
#include "storage/ops/zset_ops.h"

namespace ember::server {

inline constexpr std::string_view kErrNotAFloat = "ERR value is not a valid float";
inline constexpr std::string_view kErrScoreRange = "ERR min or max is not a float";
inline constexpr std::string_view kErrLexRange = "ERR min or max not valid string range item";

// A score bound of ZRANGEBYSCORE / ZCOUNT: "(" for exclusive, then what strtod reads up to
// the first NUL byte (so "" reads as 0, as in Redis); NaN is refused.
std::optional<storage::ZScoreBound> ParseScoreBound(std::string_view arg);
// A member bound of ZRANGEBYLEX / ZLEXCOUNT: "-", "+", "[member" or "(member".
std::optional<storage::ZLexBound> ParseLexBound(std::string_view arg);

// Replies `entries` as Redis's ZRANGE does: members only, or with scores — flat
// (member, score, ...) in RESP2, [member, score] pairs in RESP3.
void ReplyScored(CommandContext& ctx, std::span<const storage::ScoredMember> entries,
                 bool with_scores);

// The keyspace event of a STORE form (destination args[1]): the command's own name
// ("zrangestore", "zunionstore"...) when it stored members, "del" when an empty result
// removed an existing destination, nothing otherwise.
void NotifyStored(CommandContext& ctx, const storage::ZStoreOutcome& stored);

}  // namespace ember::server
