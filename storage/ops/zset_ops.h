// Sorted-set operations: the keyspace work behind the sorted-set commands (ZADD, ZRANGE,
// ZPOPMIN...), as Redis 7.0's t_zset.c does it. Each Op looks the key up with lazy expiry
// at `now_ms`, changes the database and reports the outcome; parsing, replying and
// propagating stay with the server's handlers (server/families/zset/).
//
// A key holding another type fails with kWrongType and nothing changes; a missing key
// reads as an empty set. Changes go through a ValueMutation (WATCH, memory accounting, an
// emptied set deleted). Encoding limits come from Database::encoding_limits().
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/value/collection_view.h"
#include "storage/value/zset_value.h"

namespace ember::storage {

// A member and its score, owning the member's bytes.
using ScoredMember = std::pair<std::string, double>;

// The sorted set at `key` for reading: one lookup, counting one keyspace hit or miss however
// much the caller then reads. The empty view when the key is absent; kWrongType when it
// holds another type. Valid until the keyspace next changes.
OpResult<CollectionView<SortedSetValue>> OpZSetForRead(Database& db, std::string_view key,
                                                       int64_t now_ms);

struct ZAddOptions {
  bool nx = false;    // only add new members
  bool xx = false;    // only update existing members
  bool gt = false;    // update only to a greater score
  bool lt = false;    // update only to a lower score
  bool incr = false;  // the score is an increment (one pair only)
};
struct ZAddOutcome {
  int64_t added = 0;
  int64_t updated = 0;  // existing members whose score changed
  // INCR: the member's new score, nullopt when the options stopped it.
  std::optional<double> incremented;
};
// ZADD / ZINCRBY: applies each (score, member) pair in turn. kNanOrInfinity when an INCR's
// result is NaN (nothing changes then). A missing key with XX stays missing.
OpResult<ZAddOutcome> OpZAdd(Database& db, std::string_view key,
                             std::span<const std::pair<double, std::string_view>> pairs,
                             const ZAddOptions& options, int64_t now_ms);
// ZREM: removes the members; how many existed.
OpResult<int64_t> OpZRem(Database& db, std::string_view key,
                         std::span<const std::string_view> members, int64_t now_ms);
OpResult<int64_t> OpZCard(Database& db, std::string_view key, int64_t now_ms);
// ZMSCORE (and ZSCORE with one member): each member's score, nullopt for an absent one.
OpResult<std::vector<std::optional<double>>> OpZScores(Database& db, std::string_view key,
                                                       std::span<const std::string_view> members,
                                                       int64_t now_ms);
// ZRANK / ZREVRANK: the member's rank (from the top when `reverse`); kKeyNotFound when the
// key or the member is absent.
OpResult<int64_t> OpZRank(Database& db, std::string_view key, std::string_view member, bool reverse,
                          int64_t now_ms);

// What ZRANGE and its relatives select: ranks, a score interval or a member interval, in
// ascending or reverse order, optionally sliced by LIMIT.
struct ZRangeSpec {
  enum class By : uint8_t { kRank, kScore, kLex };
  By by = By::kRank;
  bool reverse = false;
  int64_t start = 0;  // kRank: Redis's indexes (negative from the end)
  int64_t stop = -1;
  ZScoreBound score_min{0};  // kScore: in ascending terms (the caller swaps for REV)
  ZScoreBound score_max{0};
  ZLexBound lex_min{ZLexBound::Kind::kMinusInfinity, {}};  // kLex, the same
  ZLexBound lex_max{ZLexBound::Kind::kPlusInfinity, {}};
  int64_t offset = 0;  // LIMIT offset count (kScore and kLex); count < 0: no limit
  int64_t count = -1;
};
// The selected entries in reply order.
OpResult<std::vector<ScoredMember>> OpZRange(Database& db, std::string_view key,
                                             const ZRangeSpec& spec, int64_t now_ms);
// ZCOUNT / ZLEXCOUNT: how many entries the spec's interval (ignoring order and LIMIT) holds.
OpResult<int64_t> OpZCount(Database& db, std::string_view key, const ZRangeSpec& spec,
                           int64_t now_ms);
// ZREMRANGEBYRANK / BYSCORE / BYLEX: removes what the spec selects (no LIMIT); how many.
OpResult<int64_t> OpZRemRange(Database& db, std::string_view key, const ZRangeSpec& spec,
                              int64_t now_ms);
// ZRANGESTORE: stores `entries` as `destination` (deleting it when they are none), replacing
// whatever it held.
struct ZStoreOutcome {
  int64_t stored = 0;
  bool replaced = false;  // the destination existed (so the keyspace changed even if empty)
};
ZStoreOutcome OpZStore(Database& db, std::string_view destination,
                       std::span<const ScoredMember> entries, int64_t now_ms);
// ZPOPMIN / ZPOPMAX: removes up to `count` lowest (highest when `max`) entries, in pop
// order; kKeyNotFound for a missing key.
OpResult<std::vector<ScoredMember>> OpZPop(Database& db, std::string_view key, bool max,
                                           uint64_t count, int64_t now_ms);

// ZRANDMEMBER key count: with a negative count, -count picks that may repeat; with a count
// at least the size, every entry in order; otherwise `count` distinct entries in random
// order (as Redis's zrandmemberWithCountCommand chooses). kKeyNotFound for a missing key.
OpResult<std::vector<ScoredMember>> OpZRandMember(Database& db, std::string_view key, int64_t count,
                                                  std::mt19937_64& rng, int64_t now_ms);

// ZUNION, ZINTER, ZDIFF and their STORE forms (zset_algebra_ops.cc).
enum class ZSetAlgebra : uint8_t { kUnion, kInter, kDiff };
enum class ZAggregate : uint8_t { kSum, kMin, kMax };
struct ZCombineSpec {
  ZSetAlgebra op = ZSetAlgebra::kUnion;
  std::vector<double> weights;  // one per key (kUnion, kInter), or empty for all 1
  ZAggregate aggregate = ZAggregate::kSum;
};
// The combination of the keys' sorted sets, a plain set counting as scores of 1, ordered by
// (score, member) as Redis replies and stores it; a missing key is an empty input. ZDIFF
// keeps the first input's scores. kWrongType when a key holds another type.
OpResult<std::vector<ScoredMember>> OpZCombine(Database& db, std::span<const std::string_view> keys,
                                               const ZCombineSpec& spec, int64_t now_ms);
// ZINTERCARD: the size of the intersection, counting stopped at `limit` (0: no limit).
OpResult<int64_t> OpZInterCard(Database& db, std::span<const std::string_view> keys, uint64_t limit,
                               int64_t now_ms);
// kWrongType when a key holds neither a sorted set nor a set, else kOk: Redis reads the keys
// before the options, so a bad option on a wrong-type key still answers WRONGTYPE.
OpStatus OpZCheckInputTypes(Database& db, std::span<const std::string_view> keys, int64_t now_ms);

struct ZScanPage {
  uint64_t cursor = 0;                                       // 0 when the scan is complete
  std::vector<std::pair<std::string, std::string>> entries;  // member, score text
};
// ZSCAN: steps through the set from `cursor` until `count` entries are gathered (at most
// 10 * count steps), then drops the members not matching `pattern`. A packed set returns
// whole with cursor 0 (SortedSetValue::Scan). A missing key returns an empty page.
OpResult<ZScanPage> OpZScan(Database& db, std::string_view key, uint64_t cursor,
                            std::optional<std::string_view> pattern, int64_t count, int64_t now_ms);

}  // namespace ember::storage
