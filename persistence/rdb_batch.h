// RdbBatch: keys read from an RDB file together, for RdbLoader to insert as a group (their
// memory requested before the first lookup), read on the loader's thread or on a
// ReadAhead thread (read_ahead.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "persistence/rdb_reader.h"
#include "persistence/status.h"

namespace ember::persistence {

struct RdbPendingEntry {
  RdbEntry entry;
  uint64_t offset = 0;  // of the entry's first opcode, for errors
  uint64_t hash = 0;    // storage::Database::KeyHash(entry.key)
};

struct RdbBatch {
  std::vector<RdbReader::ResizeHint> hints;  // RESIZEDB hints read with these entries
  std::vector<RdbPendingEntry> entries;      // [0, count) were read; the rest are spare
  size_t count = 0;
  Status status;        // the error that ended the batch, after its `count` good entries
  bool at_end = false;  // the EOF opcode and the checksum were read

  // Whether nothing follows this batch (the end of the file, or an error).
  bool last() const { return at_end || !status.ok(); }
};

// Reads up to `max_entries` entries into `batch`, reusing its strings' capacity. Stops early
// at the end of the file or at an error (kept in batch->status).
void ReadRdbBatch(RdbReader& reader, size_t max_entries, RdbBatch* batch);

}  // namespace ember::persistence
