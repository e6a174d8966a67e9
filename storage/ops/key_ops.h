// Keyspace operations behind the generic commands (DEL, EXPIRE, TTL, SCAN, RENAME, COPY,
// MOVE, SWAPDB, FLUSHDB...). Handlers in server/families/ parse arguments and reply; these
// functions do the keyspace work with Redis 7.0's semantics and report what happened, so
// the handler can choose the reply and what to propagate.
//
// Every lookup goes through Database's lazy-expiry rule at `now_ms`: a key whose time has
// come is deleted (and reported to the observer) before the operation sees it. Operations
// that correspond to Redis read lookups (EXISTS, TTL, TYPE, TOUCH, COPY's source) count
// keyspace hits and misses; write lookups do not.
//
// Threading: engine thread only, like the Keyspace they work on.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/op_status.h"

namespace ember::storage {

// DEL / UNLINK: deletes each live key; a key named twice is counted once. Returns the
// number of keys deleted.
OpResult<int64_t> OpDel(Database& db, std::span<const std::string_view> keys, int64_t now_ms);
// EXISTS: the number of arguments naming a live key (a key named twice counts twice).
OpResult<int64_t> OpExists(Database& db, std::span<const std::string_view> keys, int64_t now_ms);
// TOUCH: as EXISTS, and restamps the access field of each key found (EXISTS does not).
OpResult<int64_t> OpTouch(Database& db, std::span<const std::string_view> keys, int64_t now_ms);

// Conditions of EXPIRE and friends; combine with |. The handler rejects the incompatible
// combinations (NX with any other, GT with LT) before calling OpExpire.
enum ExpireFlag : unsigned {
  kExpireNx = 1u << 0,  // only when the key has no TTL
  kExpireXx = 1u << 1,  // only when the key has a TTL
  kExpireGt = 1u << 2,  // only when the new time is later (no TTL counts as infinite)
  kExpireLt = 1u << 3,  // only when the new time is earlier (no TTL counts as infinite)
};

enum class ExpireOutcome {
  kSet,      // the key now expires at the given time
  kDeleted,  // the time was not in the future: the key was deleted (propagate as DEL)
};

// EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT with the time already absolute (unix ms).
// Returns kKeyNotFound when the key is missing, kSkipped when a flag's condition fails.
// A time <= now_ms deletes the key, as Redis does, instead of storing a past TTL.
OpResult<ExpireOutcome> OpExpire(Database& db, std::string_view key, int64_t when_ms,
                                 unsigned flags, int64_t now_ms);

enum class TimeUnit { kSeconds, kMilliseconds };

// TTL / PTTL: -2 when the key is missing, -1 when it has no TTL, otherwise the time left
// (never negative). Seconds are rounded to the nearest second, as Redis does.
OpResult<int64_t> OpTtl(Database& db, std::string_view key, TimeUnit unit, int64_t now_ms);
// EXPIRETIME / PEXPIRETIME: -2 missing, -1 no TTL, otherwise the absolute expiry time
// (seconds rounded to the nearest second).
OpResult<int64_t> OpExpireTime(Database& db, std::string_view key, TimeUnit unit, int64_t now_ms);

// PERSIST: whether a TTL was removed (false for a missing key or one without TTL).
OpResult<bool> OpPersist(Database& db, std::string_view key, int64_t now_ms);

// TYPE: Redis's type word, "none" for a missing key. The view is static.
OpResult<std::string_view> OpType(Database& db, std::string_view key, int64_t now_ms);

// KEYS: the live keys matching the glob `pattern`, in table order. Expired keys are left
// out but not deleted (the walk must not change the table it walks).
OpResult<std::vector<std::string>> OpKeys(const Database& db, std::string_view pattern,
                                          int64_t now_ms);

struct ScanOptions {
  std::string_view pattern;  // empty: no MATCH (as is "*")
  bool has_pattern = false;
  int64_t count = 10;     // hint: buckets visited are bounded by 10 * count
  std::string_view type;  // compared case-insensitively with TypeName
  bool has_type = false;
};

struct ScanPage {
  uint64_t cursor = 0;  // 0 when the scan is complete
  std::vector<std::string> keys;
};

// SCAN: one step of the reverse-binary cursor walk (see HashTable::Scan). Visits buckets
// until about `count` keys were collected, the walk ends, or 10 * count buckets were
// visited (Redis's bound, so a sparse table cannot make one call slow). Keys that fail
// MATCH or TYPE are dropped after the walk; expired ones are deleted and dropped.
// Requires: options.count >= 1.
OpResult<ScanPage> OpScan(Database& db, uint64_t cursor, const ScanOptions& options,
                          int64_t now_ms);

// RANDOMKEY: a live key, or kKeyNotFound when the database has none.
OpResult<std::string> OpRandomKey(Database& db, int64_t now_ms);

enum class RenameOutcome {
  kRenamed,       // the value (and its TTL) now lives under the new name
  kSameKey,       // source and destination are the same existing key: nothing changed
  kTargetExists,  // NX only: the destination exists, nothing changed
};

// RENAME / RENAMENX. kKeyNotFound when the source is missing (checked before the same-key
// case, as in Redis). Without NX an existing destination is overwritten; the source's TTL
// moves with the value and the destination's is dropped.
OpResult<RenameOutcome> OpRename(Database& db, std::string_view from, std::string_view to, bool nx,
                                 int64_t now_ms);

// COPY source destination [DB dst_db] [REPLACE]. kOutOfRange for a bad dst_db, kSameKey
// when source and destination are the same key in the same database (before looking the
// source up). Returns false when the source is missing or the destination exists without
// `replace`; true when copied (TTL included).
OpResult<bool> OpCopy(Keyspace& keyspace, int src_db, std::string_view from, int dst_db,
                      std::string_view to, bool replace, int64_t now_ms);

// MOVE key db. kOutOfRange for a bad dst_db, kSameKey when dst_db == src_db. Returns false
// when the key is missing or already exists in the destination; true when moved (TTL
// included).
OpResult<bool> OpMove(Keyspace& keyspace, int src_db, std::string_view key, int dst_db,
                      int64_t now_ms);

// SWAPDB: kOutOfRange when either index is not a database. Swapping a database with
// itself is allowed and changes nothing.
OpStatus SwapDb(Keyspace& keyspace, int a, int b);

// FLUSHDB / FLUSHALL: removes every key; returns how many there were (expired ones not yet
// reclaimed included, as DBSIZE counts them).
size_t FlushDb(Database& db);
size_t FlushAll(Keyspace& keyspace);

}  // namespace ember::storage
