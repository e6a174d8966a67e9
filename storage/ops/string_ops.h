// String operations: the keyspace work behind the string commands (SET, GET, INCR,
// APPEND...). Each Op function looks keys up with lazy expiry at `now_ms`, changes the
// database, and reports the outcome as an OpResult; parsing arguments, replying and
// propagating stay with the server's handlers.
//
// Every operation on a key holding another type fails with kWrongType (decided by
// Database::FindOfType) and changes nothing, except OpSet without return_old and OpMSet,
// which replace any value (as SET and MSET do). In-place changes (APPEND, SETRANGE) go
// through a ValueMutation. Read-only lookups count keyspace hits and misses; writes do not.
//
// Threading: engine thread only, like the Database they act on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/value/compact_string.h"

namespace ember::storage {

enum class SetCondition { kAlways, kIfAbsent, kIfPresent };  // -, NX, XX

struct SetOptions {
  SetCondition condition = SetCondition::kAlways;
  // Keep the key's TTL (KEEPTTL). Otherwise a write drops it unless expire_at_ms is set.
  bool keep_ttl = false;
  // Report the previous value (GET); fails with kWrongType if it is not a string.
  bool return_old = false;
  // Absolute expiry in unix ms. A time not after now_ms is stored as is; the key is then
  // reclaimed as expired by its next lookup, as in Redis.
  std::optional<int64_t> expire_at_ms;
};

struct SetResult {
  bool written = false;  // false when the condition was not met
  // With return_old: the previous value, nullopt when the key did not exist.
  std::optional<std::string> old_value;
};

OpResult<SetResult> OpSet(Database& db, std::string_view key, std::string_view value,
                          const SetOptions& options, int64_t now_ms);

// The value of `key`, kKeyNotFound when absent. The view lives until the key is next
// changed, and as long as `scratch` (integer-encoded values are rendered there).
OpResult<std::string_view> OpGet(Database& db, std::string_view key, int64_t now_ms,
                                 NumberBuffer& scratch);

// Returns the value and deletes the key; kKeyNotFound when absent.
OpResult<std::string> OpGetDel(Database& db, std::string_view key, int64_t now_ms);

struct GetExOptions {
  enum class Action { kNone, kSetExpire, kPersist };
  Action action = Action::kNone;
  int64_t expire_at_ms = 0;  // with kSetExpire: absolute unix ms
};

struct GetExResult {
  enum class Effect { kNone, kExpireSet, kDeleted, kPersisted };
  std::string value;
  Effect effect = Effect::kNone;  // what changed; kNone means the key is untouched
};

// Returns the value of `key` (kKeyNotFound when absent) and then applies the action: a
// new TTL (an expire time not after now_ms deletes the key instead) or removing the TTL.
OpResult<GetExResult> OpGetEx(Database& db, std::string_view key, const GetExOptions& options,
                              int64_t now_ms);

// Sets each (key, value) pair in order, dropping TTLs; a repeated key ends with its last
// value. Requires: an even number of elements.
void OpMSet(Database& db, std::span<const std::string_view> key_values, int64_t now_ms,
            const std::function<void(std::string_view key)>& after_each = {});
// Like OpMSet, but only when none of the keys exists. Returns whether it wrote.
bool OpMSetNx(Database& db, std::span<const std::string_view> key_values, int64_t now_ms,
              const std::function<void(std::string_view key)>& after_each = {});

// Appends `value`, creating the key when absent. Returns the new length; kStringTooLong
// when an existing string would grow beyond `max_len`.
OpResult<int64_t> OpAppend(Database& db, std::string_view key, std::string_view value,
                           int64_t max_len, int64_t now_ms);

// Length of the value; 0 when the key is absent.
OpResult<int64_t> OpStrLen(Database& db, std::string_view key, int64_t now_ms);

// Adds `delta` to the integer value (absent counts as 0), keeping the TTL. Returns the new
// value; kNotAnInteger when the value is not a canonical int64, kOverflow when the sum is
// out of range.
OpResult<int64_t> OpIncrBy(Database& db, std::string_view key, int64_t delta, int64_t now_ms);

// Adds the long double written in `increment` to the value (absent counts as 0), keeping
// the TTL. Stores and returns the sum in Redis's human format ("10.6", "5010.6...9").
// kNotAFloat when the value or the increment is not a valid float (the value is checked
// first); kNanOrInfinity when the sum is not finite.
OpResult<std::string> OpIncrByFloat(Database& db, std::string_view key, std::string_view increment,
                                    int64_t now_ms);

// Bytes [start, end] of the value, both inclusive; negative indexes count from the end and
// the range is clamped to the string. Empty when the key is absent or the range is empty.
// The view lives as in OpGet.
OpResult<std::string_view> OpGetRange(Database& db, std::string_view key, int64_t start,
                                      int64_t end, int64_t now_ms, NumberBuffer& scratch);

// Writes `value` at `offset`, zero-padding any gap and creating the key when absent.
// Returns the resulting length. An empty `value` changes nothing (and creates no key).
// kStringTooLong when offset + value size would exceed `max_len`. Requires: offset >= 0.
OpResult<int64_t> OpSetRange(Database& db, std::string_view key, int64_t offset,
                             std::string_view value, int64_t max_len, int64_t now_ms);

}  // namespace ember::storage
