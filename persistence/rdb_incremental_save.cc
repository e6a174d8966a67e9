#include "persistence/rdb_incremental_save.h"

#include "persistence/rdb_save.h"

namespace ember::persistence {

IncrementalRdbSave::IncrementalRdbSave(storage::Keyspace& keyspace, ByteSink* sink,
                                       const RdbWriteOptions& options, int64_t now_unix_seconds)
    : keyspace_(keyspace), writer_(sink, options) {
  status_ = WriteRdbPreamble(writer_, keyspace, options, now_unix_seconds);
  for (int i = 0; status_.ok() && i < keyspace.database_count(); ++i) {
    const storage::Database& db = keyspace.db(i);
    if (db.size() == 0) continue;
    status_ = writer_.WriteSelectDb(i);
    if (status_.ok()) status_ = writer_.WriteResizeDb(db.size(), db.expires_size());
    current_db_ = i;
  }
  if (!status_.ok()) return;
  keyspace_.BeginSnapshot(this);
  running_ = true;
}

IncrementalRdbSave::~IncrementalRdbSave() { Abandon(); }

bool IncrementalRdbSave::Step(size_t budget) {
  if (status_.ok() && running_ && !keyspace_.SnapshotStep(budget)) return false;
  if (!status_.ok()) Abandon();
  return true;
}

Status IncrementalRdbSave::Finish() {
  while (!Step(1 << 20)) {
  }
  if (running_) {
    keyspace_.EndSnapshot();
    running_ = false;
  }
  if (status_.ok()) status_ = writer_.Finish();
  return status_;
}

void IncrementalRdbSave::Abandon() {
  if (!running_) return;
  keyspace_.AbandonSnapshot();
  running_ = false;
}

void IncrementalRdbSave::Capture(int db, const storage::Entry& entry) {
  if (!status_.ok()) return;
  Status s = Status::Ok();
  if (db != current_db_) {
    s = writer_.WriteSelectDb(db);
    current_db_ = db;
  }
  if (s.ok()) {
    s = writer_.WriteEntry(entry.key(), entry.value(), entry.has_expire() ? entry.expire_at() : -1);
  }
  // A capture runs inside the keyspace's walk or change: the abandon waits for Step.
  if (!s.ok()) {
    status_ = s;
    return;
  }
  ++keys_;
}

}  // namespace ember::persistence
