// RdbLoader: fills a Keyspace from an RDB file, a bounded number of keys per call, so the
// server can interleave loading with answering clients (-LOADING). Keys whose TTL already
// passed are dropped and counted, as Redis does on a master. A key that appears twice, or a
// database number beyond the keyspace's, is an error: the file and the configuration
// disagree, and guessing would lose data.
//
// Threading: engine thread (it mutates the keyspace). Keeps the file open until destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "persistence/byte_io.h"
#include "persistence/rdb_batch.h"
#include "persistence/rdb_reader.h"
#include "persistence/read_ahead.h"
#include "persistence/status.h"
#include "storage/keyspace/keyspace.h"

namespace ember::persistence {

struct RdbLoadStats {
  uint64_t keys_loaded = 0;
  uint64_t keys_expired = 0;          // dropped because their TTL had passed
  std::vector<uint64_t> keys_per_db;  // loaded keys, indexed by database
};

class RdbLoader {
 public:
  // Does not touch the keyspace until Step().
  RdbLoader(storage::Keyspace* keyspace, ByteSource* source, int64_t now_ms);

  // Loads about `max_keys` keys (whole batches, so up to a batch more). Sets *done when the
  // EOF opcode and checksum were read. Errors carry the offset; the keyspace then holds a
  // partial load.
  Status Step(size_t max_keys, bool* done);

  const RdbLoadStats& stats() const { return stats_; }
  // The reader's AUX fields, functions and checksum: complete once Step set *done.
  // Requires: no Step in progress with decode-ahead unfinished (it is finished at *done or at
  // an error).
  const RdbReader& reader() const { return reader_; }
  // How far the load has got: the offset of the last key applied.
  uint64_t offset() const { return offset_; }

  // Read, checksum and decompress on a thread of their own (ReadAhead) while this one
  // inserts. Set before the first Step. The source then belongs to that thread until Step
  // reports *done or an error, or the loader is destroyed.
  void set_decode_ahead(bool on) { decode_ahead_wanted_ = on; }

  // A key already in the keyspace is an error by default; with this set the file's value
  // replaces it (Redis's RDBFLAGS_ALLOW_DUP, DEBUG RELOAD MERGE).
  void set_replace_existing(bool replace) { replace_existing_ = replace; }
  // Keys whose TTL passed are dropped (counted in keys_expired) unless this is set: a replica
  // keeps them, and its primary's DEL removes them (Redis loads them when not a primary).
  void set_keep_expired(bool keep) { keep_expired_ = keep; }

 private:
  void Presize(const RdbReader::ResizeHint& hint);
  Status ApplyBatch(RdbBatch& batch);
  Status Apply(RdbEntry& entry, uint64_t entry_offset);

  storage::Keyspace* keyspace_;
  RdbReader reader_;
  int64_t now_ms_;
  bool header_read_ = false;
  bool replace_existing_ = false;
  bool keep_expired_ = false;
  RdbLoadStats stats_;
  uint64_t offset_ = 0;
  bool decode_ahead_wanted_ = false;
  std::unique_ptr<ReadAhead<RdbBatch>> decode_ahead_;  // while a thread reads ahead
  RdbBatch batch_;                                     // the batch read here without one
};

// Loads a whole file into `keyspace` in one go (tests, tools).
Status LoadRdbFile(const std::string& path, storage::Keyspace* keyspace, int64_t now_ms,
                   RdbLoadStats* stats);

}  // namespace ember::persistence
