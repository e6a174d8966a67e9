#include "persistence/rdb_batch.h"

#include "storage/keyspace/database.h"

namespace ember::persistence {

void ReadRdbBatch(RdbReader& reader, size_t max_entries, RdbBatch* batch) {
  batch->hints.clear();
  batch->count = 0;
  batch->status = Status::Ok();
  batch->at_end = false;
  if (batch->entries.size() < max_entries) batch->entries.resize(max_entries);
  while (batch->count < max_entries) {
    RdbPendingEntry& pending = batch->entries[batch->count];
    pending.offset = reader.offset();
    batch->status = reader.Next(&pending.entry, &batch->at_end);
    if (!batch->status.ok() || batch->at_end) return;
    if (auto hint = reader.TakeResizeHint()) batch->hints.push_back(*hint);
    pending.hash = storage::Database::KeyHash(pending.entry.key);
    ++batch->count;
  }
}

}  // namespace ember::persistence
