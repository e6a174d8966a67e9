// SORT and SORT_RO's keyspace work (Redis 7.0's sort.c): reading the list, set or sorted set
// to sort, looking up BY weights and GET values through patterns (sort_math.h), and storing
// a result as a list for STORE. Parsing, replying, propagation and events stay with the
// handler (server/families/generic/sort_command.cc).
//
// Lookups are reads, as Redis's lookupKeyRead: each counts a keyspace hit or miss (and a
// miss raises "keymiss"); the sorted key must be a list, set or sorted set (kWrongType
// otherwise); a missing one sorts as an empty list. A pattern naming a key of another type
// (or a missing hash field) finds nothing. Unlike Redis, which converts a listpack sorted
// set to a skiplist before sorting it (OBJECT ENCODING shows it afterwards), Ember leaves
// every value's encoding as it is: a read does not change the keyspace. Threading: engine
// thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"

namespace ember::storage {

struct SortRequest {
  // The BY pattern; none sorts by the elements themselves. A pattern without '*' means
  // "do not sort" (BY nosort): lists and sorted sets keep their order (reversed by DESC),
  // a set keeps its own, unless `deterministic` asks for a sorted one.
  std::optional<std::string_view> by = std::nullopt;
  bool alpha = false;
  bool desc = false;
  int64_t limit_offset = 0;
  int64_t limit_count = -1;  // negative: to the end
  std::vector<std::string_view> gets = {};
  // STORE: alphabetic comparisons are binary rather than collated, as in Redis.
  bool store = false;
  // STORE, or a script's call: a set is never left in its internal order, since a replica
  // or an AOF replay must reach the same result (Redis sorts it alphabetically instead).
  bool deterministic = false;
};

struct SortResult {
  // Some weight was not a number: the command fails ("One or more scores can't be converted
  // into double") and `values` is empty.
  bool score_error = false;
  // Without GET, the selected elements in order; with GETs, for each element one value per
  // GET pattern, nullopt where the pattern found nothing.
  std::vector<std::optional<std::string>> values;
};

OpResult<SortResult> OpSort(Database& db, std::string_view key, const SortRequest& request,
                            int64_t now_ms);

enum class SortStoreEffect : uint8_t { kNone, kStored, kDeleted };

// STORE: replaces `destination` (whatever it held, its TTL dropped) with a list of `values`
// (nullopt stored as the empty string), or deletes it when `values` is empty (kDeleted only
// when it existed).
SortStoreEffect OpStoreSortResult(Database& db, std::string_view destination,
                                  std::span<const std::optional<std::string>> values,
                                  int64_t now_ms);

}  // namespace ember::storage
