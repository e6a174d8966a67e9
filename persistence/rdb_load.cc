#include "persistence/rdb_load.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <span>

namespace ember::persistence {

RdbLoader::RdbLoader(storage::Keyspace* keyspace, ByteSource* source, int64_t now_ms)
    : keyspace_(keyspace),
      reader_(source, RdbLoadContext{keyspace->encoding_limits()}),
      now_ms_(now_ms) {
  stats_.keys_per_db.assign(static_cast<size_t>(keyspace->database_count()), 0);
}

namespace {

// Entries per batch, and batches a decode-ahead thread may hold filled: about 2 ms of reading
// per batch, enough that handing one over costs nothing next to it, and little memory.
constexpr size_t kBatchEntries = 256;
constexpr size_t kDecodeAheadBatches = 8;
// Keys whose memory is requested together before any of them is looked up.
constexpr size_t kPrefetchGroup = 32;

}  // namespace

Status RdbLoader::Step(size_t max_keys, bool* done) {
  *done = false;
  if (!header_read_) {
    Status s = reader_.ReadHeader();
    if (!s.ok()) return s;
    header_read_ = true;
    reader_.set_strings_as_bytes(true);
    if (decode_ahead_wanted_) {
      decode_ahead_ = std::make_unique<ReadAhead<RdbBatch>>(
          [this](RdbBatch& batch) {
            ReadRdbBatch(reader_, kBatchEntries, &batch);
            return !batch.last();
          },
          kDecodeAheadBatches);
    }
  }
  size_t loaded = 0;
  while (loaded < max_keys && !*done) {
    RdbBatch* batch = &batch_;
    if (decode_ahead_) {
      batch = decode_ahead_->Take();
    } else {
      ReadRdbBatch(reader_, std::min(kBatchEntries, max_keys - loaded), batch);
    }
    // The entries read before an error are applied first, so errors surface in file order.
    Status s = ApplyBatch(*batch);
    if (s.ok()) s = batch->status;
    *done = batch->at_end;
    loaded += batch->count;
    if (decode_ahead_) {
      if (!s.ok() || batch->last()) {
        decode_ahead_.reset();  // the thread has ended, or is stopped: the reader is ours again
      } else {
        decode_ahead_->Recycle(batch);
      }
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// Each key's bucket, then the entry at its head, then the next one, are requested for a
// group of keys before the first lookup (Database::PrefetchKeys): a lookup of a new key walks
// its whole chain, and each of those reads would otherwise wait for memory in turn.
Status RdbLoader::ApplyBatch(RdbBatch& batch) {
  for (const RdbReader::ResizeHint& hint : batch.hints) Presize(hint);
  for (size_t group = 0; group < batch.count; group += kPrefetchGroup) {
    const size_t end = std::min(batch.count, group + kPrefetchGroup);
    // Keys of another database than the group's first (rare: a group spans a SELECTDB) are
    // not hinted.
    const int db = batch.entries[group].entry.db;
    if (db < keyspace_->database_count()) {
      std::array<uint64_t, kPrefetchGroup> hashes;
      size_t hinted = 0;
      for (size_t i = group; i < end; ++i) {
        if (batch.entries[i].entry.db == db) hashes[hinted++] = batch.entries[i].hash;
      }
      keyspace_->db(db).PrefetchKeys(std::span(hashes.data(), hinted));
    }
    for (size_t i = group; i < end; ++i) {
      Status s = Apply(batch.entries[i].entry, batch.entries[i].offset);
      if (!s.ok()) return s;
      offset_ = batch.entries[i].offset;
    }
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
  if (entry.is_string) {
    // One allocation holds the key, the value and the TTL, as SET EX makes it.
    db.AddString(
        entry.key, entry.string_bytes,
        entry.expire_at_ms != -1 ? std::optional<int64_t>(entry.expire_at_ms) : std::nullopt);
  } else {
    storage::Entry* added = db.Add(entry.key, std::move(entry.value));
    if (entry.expire_at_ms != -1) static_cast<void>(db.SetExpire(added, entry.expire_at_ms));
  }
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
