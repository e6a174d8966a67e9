// Database: one of the keyspace's numbered databases (SELECT 0..15): the table of keys
// (each entry carrying its value and its TTL, see entry.h), typed access to the values, and
// the lazy-expiry rule.
//
// Lazy expiry: every lookup first checks the key's TTL against `now_ms`; a key whose time
// has come is deleted there (and reported to the keyspace observer as expired), so no
// command ever sees it. DBSIZE counts keys not yet reclaimed, as in Redis.
//
// A TTL lives in its entry (see entry.h), so keys without one pay nothing and a key with
// one pays 8 bytes, where Redis's separate `expires` dict costs about 40. There is no
// index of the keys that carry one: active expiry, volatile eviction and INFO's avg_ttl
// walk the key table for them (SampleVolatile), which costs in proportion to the keys
// passed, so a database where few keys carry a TTL reaches each of them more slowly.
//
// Typed access: FindOfType is the one place that decides WRONGTYPE; a value is changed in
// place through a ValueMutation (value_mutation.h), whose end re-accounts memory, stores
// back and reports the change. Whole replacements use Overwrite.
//
// Every mutation (Add, Overwrite, a ValueMutation that changed its value, Extract, Delete,
// SetExpire, a RemoveExpire that removed a TTL, expiry deletion, Clear) is reported to the
// keyspace (Keyspace::NotifyModified / NotifyReplaced) for WATCH; that costs one branch
// while nothing is watched.
//
// Point-in-time snapshots: see snapshot_capture.h. Each mutation point above first hands a
// pending entry to the attached capture (BeforeChange), one branch when none is attached.
//
// Memory: memory_bytes() counts, in allocator chunks (chunk_bytes.h), every entry block,
// every heap chunk its value owns (Value::HeapBytes) and the bucket arrays, kept exact by
// each store and by the end of each ValueMutation.
//
// Lifetime: Entry pointers stay valid until that entry is deleted, its value is replaced
// (Overwrite, SetExpire and a ValueMutation's end may move it and return the new address),
// or the database is cleared or swapped. Threading: owned by the engine thread; no locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/entry.h"
#include "storage/keyspace/snapshot_capture.h"
#include "storage/keyspace/value_mutation.h"
#include "storage/op_status.h"
#include "storage/table/hash_table.h"
#include "storage/value/compact_string.h"
#include "storage/value/encoding_limits.h"
#include "storage/value/packed_value.h"
#include "storage/value/value.h"
#include "storage/value/value_type.h"

namespace ember::storage {

class Keyspace;
enum class RemovalCause;

struct EntryTraits {
  using Key = std::string_view;
  static uint64_t Hash(std::string_view key);
  static uint64_t HashNode(const Entry& entry);
  static bool Matches(const Entry& entry, std::string_view key);
};

// How a lookup treats the key it finds, after Redis's lookupKey variants: whether it counts
// a keyspace hit or miss (read commands, lookupKeyRead) and whether it restamps the access
// field (all lookups but LOOKUP_NOTOUCH ones: OBJECT, TYPE, EXISTS, TTL, SCAN).
enum class LookupMode : uint8_t {
  kWrite,        // touches; no stats
  kRead,         // touches; counts a hit or miss
  kNoTouch,      // neither
  kReadNoTouch,  // counts a hit or miss; no touch
};

class Database {
 public:
  Database(int index, Keyspace* owner);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  int index() const { return index_; }
  // The keyspace's encoding limits (Keyspace::encoding_limits), for collection operations.
  const EncodingLimits& encoding_limits() const;

  // The live entry for `key`, or nullptr, whatever its type. Deletes it first if expired at
  // now_ms. Unless `mode` says otherwise, touches the entry found (Redis's lookupKey): its
  // access field is restamped at now_ms, as the keyspace's AccessTracking says, unless
  // stamping is suspended. The touch is a store into the entry already found: no second
  // lookup, no allocation.
  Entry* Find(std::string_view key, int64_t now_ms, LookupMode mode) {
    return Lookup(key, now_ms, mode);
  }
  Entry* Find(std::string_view key, int64_t now_ms) {
    return Lookup(key, now_ms, LookupMode::kWrite);
  }
  Entry* FindForRead(std::string_view key, int64_t now_ms) {
    return Lookup(key, now_ms, LookupMode::kRead);
  }
  Entry* FindNoTouch(std::string_view key, int64_t now_ms) {
    return Lookup(key, now_ms, LookupMode::kNoTouch);
  }
  Entry* FindForReadNoTouch(std::string_view key, int64_t now_ms) {
    return Lookup(key, now_ms, LookupMode::kReadNoTouch);
  }
  // The live entry for `key` if it holds a value of `type`: kKeyNotFound when there is none,
  // kWrongType when it holds another type (changing nothing). The one place that decides
  // WRONGTYPE. Looks up, touches and counts as Find with `mode` does.
  [[nodiscard]] OpResult<Entry*> FindOfType(std::string_view key, ValueType type, int64_t now_ms,
                                            LookupMode mode = LookupMode::kWrite);
  // The stored entry, expired or not: no lazy expiry, no touch, no stats, no rehash step.
  Entry* FindStored(std::string_view key) { return keys_.Lookup(key); }

  // Requires: no entry for `key` (call Find first), and `value` is not an empty collection
  // (Redis never stores one; a ValueMutation deletes one when it ends). Returns the new
  // entry (no TTL). The
  // entry's access field starts fresh (InitialAccess) at the time of the latest lookup,
  // which is the Find this contract requires.
  Entry* Add(std::string_view key, Value value);
  // Add with a value encoded as Value::String does, without building a Value first, and
  // with a TTL when `expire_at_ms` holds one (one allocation for SET EX).
  Entry* AddString(std::string_view key, std::string_view value,
                   std::optional<int64_t> expire_at_ms = std::nullopt);
  // Replaces the value; the TTL and the access field are kept (the Find that returned
  // `entry` has just touched it; under LFU Redis keeps the counter across overwrites too).
  // Callers drop the TTL with RemoveExpire when needed. The entry may move: use the
  // returned address from here on.
  [[nodiscard]] Entry* Overwrite(Entry* entry, Value value);
  [[nodiscard]] Entry* OverwriteString(Entry* entry, std::string_view value);
  // A mutation of the value of `entry`, which a lookup has just returned (and touched).
  // See value_mutation.h for what its end does; until then `entry` must not be used.
  [[nodiscard]] ValueMutation Mutate(Entry* entry);
  // A mutation of a new empty value of `type` (EmptyValue, value_concerns.h) added under
  // `key`, with no TTL and a fresh access field as Add gives. The key is reported once, when
  // the mutation ends; a collection left empty then is deleted unreported. Requires: no
  // entry for `key` (a lookup just said so) and EmptyValue(type) exists; a type that cannot
  // be created yet is refused with kWrongType (and asserted).
  [[nodiscard]] OpResult<ValueMutation> AddEmpty(std::string_view key, ValueType type);
  // A mutation of the value of `key` if it holds `type` (FindOfType in kWrite mode), or, when
  // the key is absent, AddEmpty's. kWrongType when the key holds another type.
  [[nodiscard]] OpResult<ValueMutation> FindOrCreate(std::string_view key, ValueType type,
                                                     int64_t now_ms);
  // Deletes the key of `entry` (without any expiry check) and returns its value, so RENAME
  // and MOVE relink the payload instead of copying it.
  [[nodiscard]] Value Extract(Entry* entry);
  // Deletes the key and its TTL without any expiry check. Returns whether it existed.
  bool Delete(std::string_view key);

  // Memory-latency hints for pipelined commands (server/net/key_prefetcher.h): a key's hash,
  // then loading its bucket, then (once that arrived) the entry heading that bucket, then
  // the entry after it. They change nothing, so a wrong guess only wastes a prefetch.
  static uint64_t KeyHash(std::string_view key) { return EntryTraits::Hash(key); }
  void PrefetchBucket(uint64_t hash) const { keys_.PrefetchBucket(hash); }
  void PrefetchEntry(uint64_t hash) const { keys_.PrefetchFirstNode(hash); }
  void PrefetchNextEntry(uint64_t hash) const { keys_.PrefetchSecondNode(hash); }
  // The three stages for a group of keys, one stage for all of them before the next: each
  // stage's first read waits for memory, the others find theirs arrived.
  void PrefetchKeys(std::span<const uint64_t> hashes) const {
    for (const uint64_t hash : hashes) PrefetchBucket(hash);
    for (const uint64_t hash : hashes) PrefetchEntry(hash);
    for (const uint64_t hash : hashes) PrefetchNextEntry(hash);
  }
  // The entry stored for `key` (whose KeyHash is `hash`), expired or not: no lazy expiry,
  // no stats, no rehash step. For hints on what the entry's value points to
  // (Entry::PrefetchValue).
  const Entry* PeekEntry(std::string_view key, uint64_t hash) const {
    return keys_.LookupHashed(key, hash);
  }

  // Whether an entry for `key` is stored, expired or not; no lazy expiry, no stats.
  bool Contains(std::string_view key) const { return keys_.Lookup(key) != nullptr; }
  // Whether `key` is stored and its TTL passed at now_ms (Redis's keyIsExpired); no deletion.
  bool IsKeyExpired(std::string_view key, int64_t now_ms) const;

  // Absolute expiry time in unix ms, or -1 when the entry has no TTL.
  int64_t GetExpire(const Entry* entry) const {
    return entry->has_expire() ? entry->expire_at() : -1;
  }
  // The entry may move (a key gaining its first TTL grows): use the returned address.
  [[nodiscard]] Entry* SetExpire(Entry* entry, int64_t expire_at_ms);
  // Returns whether a TTL was removed. Never moves the entry.
  bool RemoveExpire(Entry* entry);
  // True when the entry has a TTL earlier than now_ms (Redis's rule: a key is still alive
  // during its expiry millisecond).
  bool IsExpired(const Entry* entry, int64_t now_ms) const;
  // Whether a TTL of `when_ms` set at now_ms is already due (so the key goes at once).
  // Never while expiry is suspended (Keyspace::set_expiry_suspended).
  bool ExpiryDue(int64_t when_ms, int64_t now_ms) const;

  size_t size() const { return keys_.size(); }
  size_t expires_size() const { return expires_count_; }

  // One step of SCAN: appends the names of the keys in the buckets at `cursor` (expired
  // ones included; callers filter) and returns the next cursor, 0 when done.
  uint64_t Scan(uint64_t cursor, std::vector<std::string>* keys) const;
  // Calls fn(entry) for every entry, expired ones included. fn must not mutate the table.
  void ForEach(const std::function<void(const Entry&)>& fn) const;
  // A random live key's name, or nullopt when the database has none. Bounded work: gives
  // up after a fixed number of expired picks (as Redis does) and returns one of them.
  std::optional<std::string> RandomKey(int64_t now_ms);

  // Up to `count` distinct entries that carry a TTL (expired ones included), for active
  // expiry, volatile eviction and INFO's avg_ttl. Continues a walk over the key table from
  // where the previous call stopped, passing at most kVolatileWalkFactor * count entries
  // and never wrapping around within a call: where few keys carry a TTL a call may find
  // fewer, even none, but every such key is reached within one full walk. The entries stay
  // valid until deleted or moved.
  size_t SampleVolatile(Entry** out, size_t count);
  static constexpr size_t kVolatileWalkFactor = 100;
  // Up to `count` distinct entries sampled for eviction (see Evictor); same rules.
  size_t SampleKeys(Entry** out, size_t count);
  // A random entry (expired ones included), or nullptr when the table is empty.
  Entry* RandomEntry() { return keys_.RandomNode(rng_); }
  // The database's random source, seeded per process (HashSeed), for the collection
  // commands' random choices (HRANDFIELD, SRANDMEMBER, SPOP).
  std::mt19937_64& rng() { return rng_; }
  // Deletes `entry` because its TTL passed, counting it in the keyspace stats and reporting
  // it to the observer (whose key view is valid only during the call).
  void DeleteExpired(Entry* entry);
  // Deletes `entry` to free memory (maxmemory), counted and reported as DeleteExpired does.
  void DeleteEvicted(Entry* entry);

  // Removes every key (FLUSHDB), reporting the flush to the keyspace first.
  void Clear();
  // Exchanges contents with `other` (SWAPDB); indexes stay.
  void SwapContents(Database& other);

  // Incremental rehashing and shrinking of the key table, driven by the server's cron.
  void RehashSteps(size_t buckets);
  void ShrinkIfSparse();
  void set_resize_allowed(bool allowed);
  // Sizes an empty table for `keys` keys at once (a load that knows its key count).
  void Reserve(size_t keys) { keys_.Reserve(keys); }

  // Point-in-time snapshots (snapshot_capture.h), driven by Keyspace. Attach flips the
  // mark, making every entry pending; SnapshotStep hands over the pending entries of the
  // buckets at `cursor` (counting them in `captured`) and returns the next cursor, 0 when
  // the walk is complete (a resize in between loses nothing: it is SCAN's cursor); Settle
  // marks every pending entry settled, capturing it first when `capture`; Detach ends.
  void AttachSnapshot(SnapshotCapture* capture);
  uint64_t SnapshotStep(uint64_t cursor, size_t* captured);
  void SettlePending(bool capture);
  void DetachSnapshot() { capture_ = nullptr; }

  // Bytes held by this database: entries, long values' blocks and the bucket arrays.
  size_t memory_bytes() const { return memory_bytes_ + keys_.BucketBytes(); }

 private:
  friend class ValueMutation;

  Entry* Lookup(std::string_view key, int64_t now_ms, LookupMode mode);
  // Hands `entry` to the attached snapshot capture if it is still pending; call before any
  // change to it or its removal.
  void BeforeChange(Entry* entry) {
    if (capture_ != nullptr && entry->snapshot_mark() != snapshot_mark_) CaptureNow(entry);
  }
  void CaptureNow(Entry* entry);
  // Inserts a new entry into the key table, with its accounting; Link also reports it.
  void Insert(Entry* entry);
  Entry* Link(Entry* entry);
  // Accounts and relinks an entry that a store or SetExpire left at `stored` (previously
  // `entry`, which cost `old_bytes`), and reports the modification when `report`.
  Entry* FinishStore(Entry* entry, Entry* stored, size_t old_bytes, bool report = true);
  // The end of a ValueMutation (value_mutation.h). Returns the entry, or nullptr when the
  // key was deleted.
  Entry* FinishMutation(ValueMutation& mutation);
  // Unlinks `entry` (accounted at `bytes`) and frees it; reports the deletion when `report`.
  void Remove(Entry* entry, size_t bytes, bool report);
  // Unlinks and frees `entry`, reporting `cause` to the keyspace.
  void DeleteByEngine(Entry* entry, RemovalCause cause);
  // Frees an unlinked entry, with its accounting.
  void Free(Entry* entry);
  void ClearContents();
  void Touched(std::string_view key);
  void Account(int64_t delta);

  int index_;
  Keyspace* owner_;
  HashTable<Entry, EntryTraits> keys_;
  std::mt19937_64 rng_;
  int64_t clock_ms_ = 0;      // now_ms of the latest lookup: the time Add stamps new values with
  size_t memory_bytes_ = 0;   // entries and long values; bucket arrays are added on read
  size_t expires_count_ = 0;  // entries with has_expire()
  uint64_t volatile_cursor_ = 0;        // SampleVolatile's walk
  UnpackedSpares spares_;               // what ValueMutation unpacks packed values into
  SnapshotCapture* capture_ = nullptr;  // the running snapshot's, or null
  bool snapshot_mark_ = false;          // the mark of entries settled for it
};

}  // namespace ember::storage
