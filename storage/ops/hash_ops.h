// Hash operations: the keyspace work behind the hash commands (HSET, HDEL, HINCRBY...).
// Each Op function looks the key up with lazy expiry at `now_ms` through
// Database::FindOfType / FindOrCreate, so a key of another type fails with kWrongType and
// changes nothing; writes go through a ValueMutation, whose end re-accounts memory, breaks
// WATCH and deletes a hash left empty. Parsing arguments, replying and propagating stay with
// the server's handlers.
//
// Reads hand out a view of the stored hash (OpFindHash), so a handler renders HGETALL or
// HMGET straight from storage without copying; the selections that need logic (HSCAN's page,
// HRANDFIELD's picks) are functions of a HashValue here.
//
// The encoding limits come from Database::encoding_limits() at each write, so a CONFIG SET
// applies from the next write on. Threading: engine thread only, like the Database.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/value/hash_value.h"

namespace ember::storage {

// The hash at `key` for reading (a keyspace hit or miss is counted): kKeyNotFound when
// absent, kWrongType for another type. The view and what it hands out live until the
// keyspace next changes.
OpResult<CollectionView<HashValue>> OpFindHash(Database& db, std::string_view key, int64_t now_ms);

// HSET / HMSET: sets each (field, value) pair in order, creating the key when absent; a
// repeated field ends with its last value. Returns how many fields are new.
// Requires: a non-empty, even number of elements.
OpResult<int64_t> OpHSet(Database& db, std::string_view key,
                         std::span<const std::string_view> field_values, int64_t now_ms);

// HSETNX: sets `field` only when absent (creating the key when absent). Returns whether it
// did; an existing field changes nothing.
OpResult<bool> OpHSetNx(Database& db, std::string_view key, std::string_view field,
                        std::string_view value, int64_t now_ms);

// HDEL: removes each field; returns how many existed (0 for a missing key). A hash left
// empty is deleted with its key.
OpResult<int64_t> OpHDel(Database& db, std::string_view key,
                         std::span<const std::string_view> fields, int64_t now_ms);

// HINCRBY: adds `delta` to the field's integer (absent counts as 0, and creates the key and
// the field). kNotAnInteger when the value is not a canonical int64 (HINCRBY's "hash value
// is not an integer"), kOverflow when the sum is out of range; both change nothing.
OpResult<int64_t> OpHIncrBy(Database& db, std::string_view key, std::string_view field,
                            int64_t delta, int64_t now_ms);

// HINCRBYFLOAT: adds `delta` (finite) to the field's number as a long double (absent
// counts as 0) and stores the sum in Redis's human format, which it returns. kNotAFloat
// when the value is not a valid float ("hash value is not a float"), kNanOrInfinity when
// the sum is not finite; both change nothing.
OpResult<std::string> OpHIncrByFloat(Database& db, std::string_view key, std::string_view field,
                                     long double delta, int64_t now_ms);

// Redis's reading of a long double (string2ld, with its MAX_LONG_DOUBLE_CHARS bound): the
// HINCRBYFLOAT increment and the field's value both go through it. Infinity is accepted.
std::optional<long double> ParseHashFloat(std::string_view text);

struct HashScanOptions {
  std::string_view pattern;  // glob on fields, when has_pattern
  bool has_pattern = false;  // MATCH given (Redis skips matching for a pattern of "*")
  int64_t count = 10;        // hint; Requires: >= 1
};

struct HashScanPage {
  uint64_t cursor = 0;  // 0 when the scan is complete
  std::vector<std::pair<std::string, std::string>> pairs;
};

// One HSCAN step. A listpack hash is returned whole with cursor 0 (Redis does the same, the
// cursor is then ignored). A table is walked bucket by bucket from `cursor` until `count`
// fields were collected, the walk ends, or 10 * count buckets were visited (Redis's bound);
// fields failing MATCH are dropped after the walk.
HashScanPage HashScanStep(const HashValue& hash, uint64_t cursor, const HashScanOptions& options);

// HRANDFIELD key count: calls fn for each (field, value) picked, after Redis's rules:
// a negative count picks |count| fields independently (repeats possible); a count of at
// least Size() gives every field once, in the hash's order; otherwise `count` distinct
// fields in random order. Requires: hash.Size() > 0, count != INT64_MIN.
void HashRandomFields(const HashValue& hash, int64_t count, std::mt19937_64& rng,
                      const HashValue::FieldFn& fn);
// How many pairs HashRandomFields gives for `count` on a hash of `size` fields.
uint64_t HashRandomFieldsCount(size_t size, int64_t count);

}  // namespace ember::storage
