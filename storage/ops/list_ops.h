// List operations: the keyspace work behind the list commands (LPUSH, LPOP, LRANGE...), as
// Redis 7.0's t_list.c does it. Each Op function looks the key up with lazy expiry at
// `now_ms`, changes the database and reports the outcome; parsing, replying and propagating
// stay with the server's handlers (server/families/list/).
//
// A key holding another type fails with kWrongType (Database::FindOfType) and nothing
// changes. A missing key reads as an empty list. Changes go through a ValueMutation, so
// WATCH, memory accounting and deleting an emptied list come with them. Node sizes come
// from Database::encoding_limits(). Threading: engine thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/value/list_value.h"

namespace ember::storage {

// LPUSH / RPUSH (and the X forms with `only_if_exists`): pushes each value in turn at `end`;
// returns the length after. The X forms return 0 for a missing key and create nothing.
OpResult<int64_t> OpPush(Database& db, std::string_view key, ListValue::End end,
                         std::span<const std::string_view> values, bool only_if_exists,
                         int64_t now_ms);
// LPOP / RPOP: removes up to `count` elements from `end` and returns them in pop order;
// kKeyNotFound for a missing key.
OpResult<std::vector<std::string>> OpPop(Database& db, std::string_view key, ListValue::End end,
                                         uint64_t count, int64_t now_ms);
// LLEN: the length (0 for a missing key).
OpResult<int64_t> OpLLen(Database& db, std::string_view key, int64_t now_ms);
// LINDEX: the element at `index` (negative counts from the end); kKeyNotFound for a missing
// key or an index out of range.
OpResult<std::string> OpLIndex(Database& db, std::string_view key, int64_t index, int64_t now_ms);
// LRANGE: the elements from `start` to `stop` inclusive, negative indexes counting from the
// end, clamped to the list as Redis clamps them; none for a missing key.
OpResult<std::vector<std::string>> OpLRange(Database& db, std::string_view key, int64_t start,
                                            int64_t stop, int64_t now_ms);

// LSET: replaces the element at `index`; kKeyNotFound for a missing key, kOutOfRange for an
// index outside the list.
OpResult<bool> OpLSet(Database& db, std::string_view key, int64_t index, std::string_view value,
                      int64_t now_ms);
// LINSERT: inserts `value` before (or `after`) the first element equal to `pivot`; the
// length after, 0 for a missing key, -1 when no element equals the pivot.
OpResult<int64_t> OpLInsert(Database& db, std::string_view key, bool after, std::string_view pivot,
                            std::string_view value, int64_t now_ms);
// LTRIM: keeps the elements from `start` to `stop` (LRANGE's indexes); the number removed.
// An existing key counts as modified even when nothing is removed, as Redis signals it.
OpResult<int64_t> OpLTrim(Database& db, std::string_view key, int64_t start, int64_t stop,
                          int64_t now_ms);
// LREM: removes up to |count| elements equal to `value` (all for 0), from the front, or from
// the back for a negative count; the number removed.
OpResult<int64_t> OpLRem(Database& db, std::string_view key, int64_t count, std::string_view value,
                         int64_t now_ms);

struct LPosOptions {
  int64_t rank = 1;    // the rank-th match counts first; negative: from the back
  int64_t count = -1;  // -1: only the first match (a single reply); 0: all
  int64_t maxlen = 0;  // elements compared at most; 0: all
};
// LPOS: the indexes of the matches of `element`, in the order they were found.
OpResult<std::vector<int64_t>> OpLPos(Database& db, std::string_view key, std::string_view element,
                                      const LPosOptions& options, int64_t now_ms);

struct MultiPopResult {
  std::string key;  // the first key that held a list
  std::vector<std::string> elements;
};
// LMPOP: pops up to `count` elements from `end` of the first of `keys` that holds a list;
// nullopt when none does. A key of another type met on the way fails with kWrongType.
OpResult<std::optional<MultiPopResult>> OpLMPop(Database& db,
                                                std::span<const std::string_view> keys,
                                                ListValue::End end, uint64_t count, int64_t now_ms);

// LMOVE / RPOPLPUSH: pops from `from` of `source` and pushes at `to` of `destination`
// (the same key rotates it); the moved element, kKeyNotFound for a missing source. An
// existing destination of another type fails with kWrongType before anything moves.
OpResult<std::string> OpLMove(Database& db, std::string_view source, std::string_view destination,
                              ListValue::End from, ListValue::End to, int64_t now_ms);

}  // namespace ember::storage
