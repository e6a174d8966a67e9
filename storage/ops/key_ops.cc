#include "storage/ops/key_ops.h"

#include <limits>
#include <optional>
#include <utility>

#include "storage/ops/glob.h"
#include "storage/value/value.h"
#include "storage/value/value_concerns.h"

namespace ember::storage {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Adds `key` with `value` and, when expire_at_ms != -1, that TTL. Requires: key absent.
// A relinked value keeps its access field (`kept_access`: RENAME and MOVE, as Redis moves
// the object with its LRU/LFU data); without one it starts fresh (COPY makes a new object).
void AddWithExpire(Database& db, std::string_view key, Value value, int64_t expire_at_ms,
                   std::optional<uint32_t> kept_access) {
  Entry* entry = db.Add(key, std::move(value));
  if (kept_access.has_value()) entry->set_access(*kept_access);
  if (expire_at_ms != -1) static_cast<void>(db.SetExpire(entry, expire_at_ms));
}

bool ValidDb(const Keyspace& keyspace, int index) {
  return index >= 0 && index < keyspace.database_count();
}

// Nearest second, halves up, for ms >= 0; written so that INT64_MAX does not overflow.
int64_t RoundToSeconds(int64_t ms) { return ms / 1000 + (ms % 1000 >= 500 ? 1 : 0); }

}  // namespace

OpResult<int64_t> OpDel(Database& db, std::span<const std::string_view> keys, int64_t now_ms) {
  int64_t deleted = 0;
  for (std::string_view key : keys) {
    if (db.Find(key, now_ms) != nullptr && db.Delete(key)) ++deleted;
  }
  return deleted;
}

OpResult<int64_t> OpExists(Database& db, std::span<const std::string_view> keys, int64_t now_ms) {
  int64_t found = 0;
  for (std::string_view key : keys) {
    if (db.FindForReadNoTouch(key, now_ms) != nullptr) ++found;
  }
  return found;
}

OpResult<int64_t> OpTouch(Database& db, std::span<const std::string_view> keys, int64_t now_ms) {
  int64_t found = 0;
  for (std::string_view key : keys) {
    if (db.FindForRead(key, now_ms) != nullptr) ++found;
  }
  return found;
}

OpResult<ExpireOutcome> OpExpire(Database& db, std::string_view key, int64_t when_ms,
                                 unsigned flags, int64_t now_ms) {
  Entry* entry = db.Find(key, now_ms);
  if (entry == nullptr) return OpStatus::kKeyNotFound;

  // -1 means "no TTL", which GT and LT treat as an infinitely distant time.
  const int64_t current = db.GetExpire(entry);
  if ((flags & kExpireNx) && current != -1) return OpStatus::kSkipped;
  if ((flags & kExpireXx) && current == -1) return OpStatus::kSkipped;
  if ((flags & kExpireGt) && (current == -1 || when_ms <= current)) return OpStatus::kSkipped;
  if ((flags & kExpireLt) && current != -1 && when_ms >= current) return OpStatus::kSkipped;

  // Storing a TTL that is already due would leave a key every reader treats as gone;
  // deleting now keeps the table and the propagated log (a DEL) in agreement.
  if (db.ExpiryDue(when_ms, now_ms)) {
    db.Delete(key);
    return ExpireOutcome::kDeleted;
  }
  static_cast<void>(db.SetExpire(entry, when_ms));
  return ExpireOutcome::kSet;
}

OpResult<int64_t> OpTtl(Database& db, std::string_view key, TimeUnit unit, int64_t now_ms) {
  const Entry* entry = db.FindForReadNoTouch(key, now_ms);
  if (entry == nullptr) return int64_t{-2};
  const int64_t expire = db.GetExpire(entry);
  if (expire == -1) return int64_t{-1};
  int64_t left = expire - now_ms;
  if (left < 0) left = 0;
  return unit == TimeUnit::kMilliseconds ? left : RoundToSeconds(left);
}

OpResult<int64_t> OpExpireTime(Database& db, std::string_view key, TimeUnit unit, int64_t now_ms) {
  const Entry* entry = db.FindForReadNoTouch(key, now_ms);
  if (entry == nullptr) return int64_t{-2};
  const int64_t expire = db.GetExpire(entry);
  if (expire == -1) return int64_t{-1};
  const int64_t at = expire < 0 ? 0 : expire;
  return unit == TimeUnit::kMilliseconds ? at : RoundToSeconds(at);
}

OpResult<bool> OpPersist(Database& db, std::string_view key, int64_t now_ms) {
  Entry* entry = db.Find(key, now_ms);
  if (entry == nullptr) return false;
  return db.RemoveExpire(entry);
}

OpResult<std::string_view> OpType(Database& db, std::string_view key, int64_t now_ms) {
  const Entry* entry = db.FindForReadNoTouch(key, now_ms);
  if (entry == nullptr) return std::string_view("none");
  return TypeName(entry->type());
}

OpResult<std::vector<std::string>> OpKeys(const Database& db, std::string_view pattern,
                                          int64_t now_ms) {
  const bool all = pattern == "*";
  std::vector<std::string> keys;
  db.ForEach([&](const Entry& entry) {
    std::string_view name = entry.key();
    if (!all && !GlobMatch(pattern, name)) return;
    if (db.IsExpired(&entry, now_ms)) return;
    keys.emplace_back(name);
  });
  return keys;
}

OpResult<ScanPage> OpScan(Database& db, uint64_t cursor, const ScanOptions& options,
                          int64_t now_ms) {
  const auto count = static_cast<size_t>(options.count);
  constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
  int64_t budget = options.count > kMaxInt / 10 ? kMaxInt : options.count * 10;

  std::vector<std::string> visited;
  do {
    cursor = db.Scan(cursor, &visited);
  } while (cursor != 0 && budget-- > 0 && visited.size() < count);

  const bool match = options.has_pattern && options.pattern != "*";
  ScanPage page;
  page.cursor = cursor;
  page.keys.reserve(visited.size());
  for (std::string& key : visited) {
    if (match && !GlobMatch(options.pattern, key)) continue;
    // Find deletes an expired key here, as Redis's SCAN does; the walk is over, so the
    // table may change.
    const Entry* entry = db.FindNoTouch(key, now_ms);
    if (entry == nullptr) continue;
    if (options.has_type && !EqualsNoCase(TypeName(entry->type()), options.type)) {
      continue;
    }
    page.keys.push_back(std::move(key));
  }
  return page;
}

OpResult<std::string> OpRandomKey(Database& db, int64_t now_ms) {
  std::optional<std::string> key = db.RandomKey(now_ms);
  if (!key) return OpStatus::kKeyNotFound;
  return std::move(*key);
}

OpResult<RenameOutcome> OpRename(Database& db, std::string_view from, std::string_view to, bool nx,
                                 int64_t now_ms) {
  Entry* source = db.Find(from, now_ms);
  if (source == nullptr) return OpStatus::kKeyNotFound;
  if (from == to) return RenameOutcome::kSameKey;

  const int64_t expire = db.GetExpire(source);
  if (db.Find(to, now_ms) != nullptr) {
    if (nx) return RenameOutcome::kTargetExists;
    db.Delete(to);
  }
  const uint32_t access = source->access();
  AddWithExpire(db, to, db.Extract(source), expire, access);
  return RenameOutcome::kRenamed;
}

OpResult<bool> OpCopy(Keyspace& keyspace, int src_db, std::string_view from, int dst_db,
                      std::string_view to, bool replace, int64_t now_ms) {
  if (!ValidDb(keyspace, src_db) || !ValidDb(keyspace, dst_db)) return OpStatus::kOutOfRange;
  if (src_db == dst_db && from == to) return OpStatus::kSameKey;

  Database& source_db = keyspace.db(src_db);
  Database& target_db = keyspace.db(dst_db);
  const Entry* source = source_db.FindForRead(from, now_ms);
  if (source == nullptr) return false;
  const int64_t expire = source_db.GetExpire(source);

  const bool target_exists = target_db.Find(to, now_ms) != nullptr;
  if (target_exists && !replace) return false;
  // Redis answers "unknown type object" for a type COPY cannot handle; such a value cannot
  // be stored yet, so WRONGTYPE stands in for that error.
  std::optional<Value> copy = CopyValue(source->value());
  if (!copy.has_value()) return OpStatus::kWrongType;
  if (target_exists) target_db.Delete(to);
  AddWithExpire(target_db, to, std::move(*copy), expire, std::nullopt);
  return true;
}

OpResult<bool> OpMove(Keyspace& keyspace, int src_db, std::string_view key, int dst_db,
                      int64_t now_ms) {
  if (!ValidDb(keyspace, src_db) || !ValidDb(keyspace, dst_db)) return OpStatus::kOutOfRange;
  if (src_db == dst_db) return OpStatus::kSameKey;

  Database& source_db = keyspace.db(src_db);
  Database& target_db = keyspace.db(dst_db);
  Entry* source = source_db.Find(key, now_ms);
  if (source == nullptr) return false;
  const int64_t expire = source_db.GetExpire(source);
  if (target_db.Find(key, now_ms) != nullptr) return false;

  const uint32_t access = source->access();
  AddWithExpire(target_db, key, source_db.Extract(source), expire, access);
  return true;
}

OpStatus SwapDb(Keyspace& keyspace, int a, int b) {
  if (!ValidDb(keyspace, a) || !ValidDb(keyspace, b)) return OpStatus::kOutOfRange;
  if (a != b) keyspace.SwapDatabases(a, b);
  return OpStatus::kOk;
}

size_t FlushDb(Database& db) {
  const size_t removed = db.size();
  db.Clear();
  return removed;
}

size_t FlushAll(Keyspace& keyspace) {
  const size_t removed = keyspace.key_count();
  keyspace.Clear();
  return removed;
}

}  // namespace ember::storage
