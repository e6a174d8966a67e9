// Set operations: the keyspace work behind the set commands (SADD, SREM, SINTER...), as
// Redis 7.0's t_set.c does it. Each Op function looks keys up with lazy expiry at `now_ms`,
// changes the database and reports the outcome; parsing, replying and propagating stay with
// the server's handlers (server/families/set/).
//
// A key holding another type fails with kWrongType (Database::FindOfType) and nothing
// changes, except the destination of the STORE forms, which is replaced whatever it holds.
// A missing key reads as an empty set. Changes go through a ValueMutation, so WATCH, memory
// accounting and deleting an emptied set come with them. Read-only lookups count keyspace
// hits and misses. Encoding limits come from Database::encoding_limits(), randomness from
// Database::rng().
//
// set_ops.cc holds the one-key operations, set_random_ops.cc SRANDMEMBER and SPOP,
// set_algebra_ops.cc the multi-key ones. Threading: engine thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"

namespace ember::storage {

// SADD: the number of members that were new. Creates the key.
OpResult<int64_t> OpSAdd(Database& db, std::string_view key,
                         std::span<const std::string_view> members, int64_t now_ms);
// SREM: the number removed (0 for a missing key).
OpResult<int64_t> OpSRem(Database& db, std::string_view key,
                         std::span<const std::string_view> members, int64_t now_ms);
// SCARD: the number of members (0 for a missing key).
OpResult<int64_t> OpSCard(Database& db, std::string_view key, int64_t now_ms);
// SMISMEMBER (and SISMEMBER with one member): membership of each member, all false for a
// missing key.
OpResult<std::vector<bool>> OpSMIsMember(Database& db, std::string_view key,
                                         std::span<const std::string_view> members, int64_t now_ms);

struct SMoveResult {
  bool moved = false;   // the reply: 1 when the member was in the source
  int64_t changes = 0;  // keys changed (0, 1, or 2 when the destination gained it)
};
// SMOVE: kWrongType when the source, or an existing destination, is not a set (checked
// before anything moves). Moving within one key changes nothing. `removed`, when given, runs
// once the member has left the source (and an emptied source is gone), before the
// destination is touched: Redis raises the source's event at that point.
OpResult<SMoveResult> OpSMove(Database& db, std::string_view source, std::string_view destination,
                              std::string_view member, int64_t now_ms,
                              const std::function<void()>& removed = {});

struct SetScanPage {
  uint64_t cursor = 0;  // 0 when the scan is complete
  std::vector<std::string> members;
};
// SSCAN: visits buckets from `cursor` until `count` members are gathered (at most 10 *
// count steps), then drops those not matching `pattern`. An intset is returned whole with
// cursor 0. A missing key returns an empty page.
OpResult<SetScanPage> OpSScan(Database& db, std::string_view key, uint64_t cursor,
                              std::optional<std::string_view> pattern, int64_t count,
                              int64_t now_ms);

// SRANDMEMBER key: a random member; kKeyNotFound for a missing key.
OpResult<std::string> OpSRandMember(Database& db, std::string_view key, int64_t now_ms);
// SRANDMEMBER key count: with count >= 0, min(count, size) distinct members (the whole set
// in its order when count >= size); with count < 0, -count members chosen independently.
// A missing key gives none.
OpResult<std::vector<std::string>> OpSRandMemberCount(Database& db, std::string_view key,
                                                      int64_t count, int64_t now_ms);
struct SPopResult {
  std::vector<std::string> members;
  bool key_deleted = false;  // the whole set was popped (propagated as DEL)
};
// SPOP key: removes and returns a random member; kKeyNotFound for a missing key.
OpResult<std::string> OpSPop(Database& db, std::string_view key, int64_t now_ms);
// SPOP key count: removes and returns min(count, size) random members. Requires: count >= 0.
OpResult<SPopResult> OpSPopCount(Database& db, std::string_view key, uint64_t count,
                                 int64_t now_ms);

// SINTER (and SMEMBERS): the members common to every key, in the order of the smallest set.
OpResult<std::vector<std::string>> OpSInter(Database& db, std::span<const std::string_view> keys,
                                            int64_t now_ms);
// SINTERCARD: the intersection's size, counting stops at `limit` (0: no limit).
OpResult<int64_t> OpSInterCard(Database& db, std::span<const std::string_view> keys, uint64_t limit,
                               int64_t now_ms);
// SUNION and SDIFF: the members of the result set, in its own order (an all-integer small
// result is an intset, so ascending).
OpResult<std::vector<std::string>> OpSUnion(Database& db, std::span<const std::string_view> keys,
                                            int64_t now_ms);
OpResult<std::vector<std::string>> OpSDiff(Database& db, std::span<const std::string_view> keys,
                                           int64_t now_ms);

struct SetStoreResult {
  int64_t size = 0;      // the reply: members stored
  bool changed = false;  // the destination was written or deleted
};
// The STORE forms: the result replaces `destination` (whatever it held; its TTL dropped),
// or deletes it when empty.
OpResult<SetStoreResult> OpSInterStore(Database& db, std::string_view destination,
                                       std::span<const std::string_view> keys, int64_t now_ms);
OpResult<SetStoreResult> OpSUnionStore(Database& db, std::string_view destination,
                                       std::span<const std::string_view> keys, int64_t now_ms);
OpResult<SetStoreResult> OpSDiffStore(Database& db, std::string_view destination,
                                      std::span<const std::string_view> keys, int64_t now_ms);

}  // namespace ember::storage
