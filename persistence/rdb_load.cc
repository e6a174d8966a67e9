#include "persistence/rdb_load.h"

#include <fmt/format.h>

#include <algorithm>

namespace ember::persistence {

RdbLoader::RdbLoader(storage::Keyspace* keyspace, ByteSource* source, int64_t now_ms)
    : keyspace_(keyspace),
      reader_(source, RdbLoadContext{keyspace->encoding_limits()}),
      now_ms_(now_ms) {
  stats_.keys_per_db.assign(static_cast<size_t>(keyspace->database_count()), 0);
}

Status RdbLoader::Step(size_t max_keys, bool* done) {
  *done = false;
  if (!header_read_) {
    Status s = reader_.ReadHeader();
    if (!s.ok()) return s;
    header_read_ = true;
  }
  RdbEntry entry;
  for (size_t i = 0; i < max_keys; ++i) {
    const uint64_t entry_offset = reader_.offset();
    Status s = reader_.Next(&entry, done);
    if (!s.ok() || *done) return s;
    if (auto hint = reader_.TakeResizeHint()) Presize(*hint);
    s = Apply(entry, entry_offset);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// Sizes the database's table for the keys the file announces, so the load does not rehash
// as it grows (Redis's dictExpand on RESIZEDB). Capped at 2^20 keys (8 MB of buckets), which
// covers a million-key dataset: a corrupt hint costs no more, and a larger table grows as usual.
void RdbLoader::Presize(const RdbReader::ResizeHint& hint) {
  constexpr uint64_t kMaxPresizedKeys = uint64_t{1} << 20;
  if (hint.db < 0 || hint.db >= keyspace_->database_count()) return;
  keyspace_->db(hint.db).Reserve(static_cast<size_t>(std::min(hint.keys, kMaxPresizedKeys)));
}

Status RdbLoader::Apply(RdbEntry& entry, uint64_t entry_offset) {
  if (entry.db >= keyspace_->database_count()) {
    return Status::Error(fmt::format("the file uses database {}, but only {} are configured "
                                     "(raise 'databases')",
                                     entry.db, keyspace_->database_count()),
                         static_cast<int64_t>(entry_offset));
  }
  // Any stored time but the "no TTL" sentinel counts, negative ones included (Redis's rule).
  if (entry.expire_at_ms != -1 && entry.expire_at_ms < now_ms_ && !keep_expired_) {
    stats_.keys_expired++;
    return Status::Ok();
  }
  storage::Database& db = keyspace_->db(entry.db);
  if (db.Find(entry.key, now_ms_) != nullptr) {
    if (replace_existing_) {
      db.Delete(entry.key);
    } else {
      return Status::Error(fmt::format("duplicate key in db {}", entry.db),
                           static_cast<int64_t>(entry_offset));
    }
  }
  storage::Entry* added = db.Add(entry.key, std::move(entry.value));
  if (entry.expire_at_ms != -1) static_cast<void>(db.SetExpire(added, entry.expire_at_ms));
  stats_.keys_loaded++;
  stats_.keys_per_db[static_cast<size_t>(entry.db)]++;
  return Status::Ok();
}

Status LoadRdbFile(const std::string& path, storage::Keyspace* keyspace, int64_t now_ms,
                   RdbLoadStats* stats) {
  FileSource source;
  Status s = source.Open(path);
  if (!s.ok()) return s;
  RdbLoader loader(keyspace, &source, now_ms);
  bool done = false;
  while (s.ok() && !done) s = loader.Step(1 << 16, &done);
  if (stats != nullptr) *stats = loader.stats();
  return s.WithFile(path);
}

}  // namespace ember::persistence
