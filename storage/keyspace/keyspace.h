// Keyspace: the numbered databases, the observer that hears about keys removed by the
// engine itself (expiry, eviction), and the counters INFO reports.
//
// Storage never calls up into the server: the server implements KeyspaceObserver and wires
// it to its one propagation function, so expired and evicted keys reach the AOF as DEL.
//
// Threading: owned by the engine thread; no locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/lifecycle/access_clock.h"
#include "storage/value/encoding_limits.h"

namespace ember::storage {

enum class RemovalCause { kExpired, kEvicted };

class KeyspaceObserver {
 public:
  virtual ~KeyspaceObserver() = default;
  // Called after `key` was deleted from database `db` by the engine, not by a command.
  virtual void OnKeyRemoved(int db, std::string_view key, RemovalCause cause) = 0;

  // Modification tracking (WATCH), only while Keyspace::track_modifications() is on, so the
  // write path pays one predictable branch when nothing is watched.
  //
  // Called after `key` of database `db` was added, overwritten, changed in place, given or
  // stripped of a TTL, or deleted (by a command, by expiry or by eviction). The database
  // already shows the new state; `key` is valid during the call only. The observer must not
  // change the keyspace from here.
  virtual void OnKeyModified(int /*db*/, std::string_view /*key*/) {}
  // Called before database `db` loses its whole contents: emptied (FLUSHDB, FLUSHALL) when
  // `replacement` is -1, or exchanged with database `replacement` (SWAPDB). Both databases
  // still show their old contents.
  virtual void OnDatabaseReplaced(int /*db*/, int /*replacement*/) {}

  // Key life events (keyspace notifications), only while Keyspace::key_events() is on:
  // `key` was added to `db` (a new key: set, created by a collection write, renamed, moved,
  // copied or restored into place); a collection left empty by a mutation was deleted; a
  // read lookup found no live key. `key` is valid during the call only; the observer must not
  // change the keyspace from here.
  virtual void OnKeyCreated(int /*db*/, std::string_view /*key*/) {}
  virtual void OnKeyEmptied(int /*db*/, std::string_view /*key*/) {}
  virtual void OnKeyMissed(int /*db*/, std::string_view /*key*/) {}
};

struct KeyspaceStats {
  uint64_t expired_keys = 0;
  uint64_t evicted_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
};

class Keyspace {
 public:
  static constexpr int kDefaultDatabases = 16;

  explicit Keyspace(int databases = kDefaultDatabases);
  ~Keyspace();

  int database_count() const { return static_cast<int>(databases_.size()); }
  // Requires: 0 <= index < database_count().
  Database& db(int index) { return *databases_[index]; }
  const Database& db(int index) const { return *databases_[index]; }

  void set_observer(KeyspaceObserver* observer) { observer_ = observer; }
  KeyspaceStats& stats() { return stats_; }
  const KeyspaceStats& stats() const { return stats_; }

  // Reports a key removed by expiry or eviction and counts it. Called by Database.
  void NotifyRemoved(int db, std::string_view key, RemovalCause cause);

  // Turns the observer's OnKeyModified / OnDatabaseReplaced calls on or off (off by default)
  // for one of several independent users, each named by its own bit (the server's WATCH
  // registry and blocked clients): reports flow while any user wants them.
  void set_track_modifications(uint32_t user_bit, bool on) {
    tracking_users_ = on ? (tracking_users_ | user_bit) : (tracking_users_ & ~user_bit);
  }
  bool track_modifications() const { return tracking_users_ != 0 && observer_ != nullptr; }
  // Called by Database on every mutation; a no-op unless tracking is on.
  void NotifyModified(int db, std::string_view key) {
    if (track_modifications()) observer_->OnKeyModified(db, key);
  }
  void NotifyReplaced(int db, int replacement) {
    if (track_modifications()) observer_->OnDatabaseReplaced(db, replacement);
  }

  // Turns the observer's key life events (OnKeyCreated, OnKeyEmptied, OnKeyMissed) on or
  // off (off by default), so that without keyspace notifications they cost one branch.
  void set_key_events(bool on) { key_events_ = on; }
  bool key_events() const { return key_events_ && observer_ != nullptr; }
  // Called by Database; no-ops unless key events are on.
  void NotifyCreated(int db, std::string_view key) {
    if (key_events()) observer_->OnKeyCreated(db, key);
  }
  void NotifyEmptied(int db, std::string_view key) {
    if (key_events()) observer_->OnKeyEmptied(db, key);
  }
  void NotifyMissed(int db, std::string_view key) {
    if (key_events()) observer_->OnKeyMissed(db, key);
  }

  // While suspended, no key counts as expired: lookups never delete, and a TTL already in
  // the past is stored as given. Replaying the append-only file needs this (as Redis does
  // while loading): a logged command ran while its key was alive, so replaying it at a
  // later clock must find the key, or it would recreate it without its TTL.
  void set_expiry_suspended(bool on) { expiry_suspended_ = on; }
  bool expiry_suspended() const { return expiry_suspended_; }
  // A replica's keys expire only by its primary's DELs: while this is off, a lookup hides
  // an expired key (a miss) but leaves it stored, as Redis 7.0's replicas do; a lookup for
  // writing still deletes it.
  void set_expiry_deletes(bool on) { expiry_deletes_ = on; }
  bool expiry_deletes() const { return expiry_deletes_; }

  // How lookups stamp the keys they touch: LRU clock or LFU counter, and whether stamping
  // is paused while a fork child runs (see access_clock.h). The server sets it from
  // maxmemory-policy, lfu-log-factor and lfu-decay-time.
  void set_access_tracking(const AccessTracking& tracking) { access_tracking_ = tracking; }
  const AccessTracking& access_tracking() const { return access_tracking_; }
  void set_access_suspended(bool on) { access_tracking_.suspended = on; }

  // When collections leave their compact encodings (encoding_limits.h). The server sets
  // them from its configuration; CONFIG SET takes effect for the next change of each value.
  void set_encoding_limits(const EncodingLimits& limits) { encoding_limits_ = limits; }
  const EncodingLimits& encoding_limits() const { return encoding_limits_; }

  // SWAPDB: exchanges the contents of two databases.
  void SwapDatabases(int a, int b);
  // FLUSHALL.
  void Clear();
  size_t key_count() const;

  // Point-in-time snapshots (snapshot_capture.h). BeginSnapshot attaches `capture` to every
  // database. SnapshotStep continues the walk for about `budget` entries (whole buckets,
  // and no more than `budget` buckets) and returns true once every database has been
  // walked; then EndSnapshot detaches. AbandonSnapshot settles what the walk has not
  // reached without capturing it, and detaches. One snapshot at a time.
  void BeginSnapshot(SnapshotCapture* capture);
  bool SnapshotStep(size_t budget);
  void EndSnapshot();
  void AbandonSnapshot();
  bool snapshot_running() const { return snapshot_running_; }

  // Bytes held by all databases (keys, values, TTLs, tables).
  size_t used_memory() const;

  // Cron work: a bounded number of rehash steps per database, and shrinking sparse tables.
  void RehashSteps(size_t buckets_per_db);
  void ShrinkIfSparse();

 private:
  std::vector<std::unique_ptr<Database>> databases_;
  KeyspaceObserver* observer_ = nullptr;
  uint32_t tracking_users_ = 0;  // bits of set_track_modifications' users
  bool expiry_suspended_ = false;
  bool expiry_deletes_ = true;
  bool key_events_ = false;
  AccessTracking access_tracking_;
  EncodingLimits encoding_limits_;
  KeyspaceStats stats_;
  bool snapshot_running_ = false;
  int snapshot_db_ = 0;  // the walk's position: database, then its SCAN cursor
  uint64_t snapshot_cursor_ = 0;
};

}  // namespace ember::storage
