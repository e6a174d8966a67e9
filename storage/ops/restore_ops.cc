#include "storage/ops/restore_ops.h"

#include <utility>

#include "storage/lifecycle/access_clock.h"

namespace ember::storage {
namespace {

// The access field RESTORE's IDLETIME / FREQ ask for, if the policy uses it (Redis's
// objectSetLRUOrLFU with an LRU multiplier of 1000: the idle time is in seconds).
std::optional<uint32_t> RequestedAccess(const AccessTracking& tracking,
                                        const RestoreOptions& options, int64_t now_ms) {
  if (tracking.mode == AccessMode::kLfu) {
    if (options.freq < 0) return std::nullopt;
    return LfuPack(static_cast<uint32_t>(options.freq), now_ms);
  }
  if (options.idle_seconds < 0) return std::nullopt;
  const int64_t clock = LruClock(now_ms);
  int64_t stamp = clock - options.idle_seconds;
  if (stamp < 0) stamp = (clock + kLruClockMax / 2) % kLruClockMax;
  return static_cast<uint32_t>(stamp);
}

}  // namespace

bool OpRestoreTargetExists(Database& db, std::string_view key, int64_t now_ms) {
  return db.Find(key, now_ms) != nullptr;
}

OpResult<RestoreOutcome> OpRestore(Keyspace& keyspace, int db_index, std::string_view key,
                                   Value value, const RestoreOptions& options, int64_t now_ms) {
  if (db_index < 0 || db_index >= keyspace.database_count()) return OpStatus::kOutOfRange;
  Database& db = keyspace.db(db_index);
  const bool deleted = options.replace && db.Find(key, now_ms) != nullptr && db.Delete(key);
  if (options.expire_at_ms != -1 && options.expire_at_ms <= now_ms) {
    return deleted ? RestoreOutcome::kExpiredReplaced : RestoreOutcome::kExpiredNothing;
  }
  Entry* entry = db.Add(key, std::move(value));
  if (std::optional<uint32_t> access =
          RequestedAccess(keyspace.access_tracking(), options, now_ms)) {
    entry->set_access(*access);
  }
  if (options.expire_at_ms != -1) static_cast<void>(db.SetExpire(entry, options.expire_at_ms));
  return RestoreOutcome::kRestored;
}

}  // namespace ember::storage
