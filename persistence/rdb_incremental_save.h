// IncrementalRdbSave: a point-in-time RDB snapshot written while the keyspace keeps
// changing, in slices on the engine thread, without fork (storage's SnapshotCapture). The
// file holds exactly the dataset as of the moment the save began: the walk writes the keys
// it reaches that have not changed since, and a key about to change or go is written first,
// as it was (snapshot_capture.h).
//
// File layout: the preamble (rdb_save.h), SELECTDB + RESIZEDB for each non-empty database
// (the sizes at the start, so a loader can size its tables), then the keys in the order
// they were captured, each preceded by SELECTDB when its database differs from the previous
// key's, then EOF and the checksum. Redis and redis-check-rdb read that layout as they read
// their own: SELECTDB may repeat, and RESIZEDB is a hint.
//
// Failure: the first error from the sink stops the output, and the next Step abandons the
// snapshot (the keyspace settles what was left unseen); status() keeps the error.
//
// Lifetime: the keyspace and the sink must outlive the save; destroying an unfinished save
// abandons it. Threading: engine thread only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "persistence/byte_io.h"
#include "persistence/rdb_writer.h"
#include "persistence/status.h"
#include "storage/keyspace/keyspace.h"
#include "storage/keyspace/snapshot_capture.h"

namespace ember::persistence {

class IncrementalRdbSave : public storage::SnapshotCapture {
 public:
  // Writes the preamble and the databases' sizes and begins the keyspace's snapshot (the
  // point in time the file will show). Check status() for a failure to write them.
  IncrementalRdbSave(storage::Keyspace& keyspace, ByteSink* sink, const RdbWriteOptions& options,
                     int64_t now_unix_seconds);
  ~IncrementalRdbSave() override;
  IncrementalRdbSave(const IncrementalRdbSave&) = delete;
  IncrementalRdbSave& operator=(const IncrementalRdbSave&) = delete;

  // Walks on for about `budget` keys. Returns true once the walk is complete (or failed):
  // then call Finish.
  bool Step(size_t budget);
  // Ends the keyspace's snapshot and writes EOF and the checksum. Returns status().
  Status Finish();
  // Stops at once, writing nothing more (SHUTDOWN, a failing disk).
  void Abandon();

  const Status& status() const { return status_; }
  uint64_t keys() const { return keys_; }
  uint64_t bytes() const { return writer_.bytes_written(); }

  void Capture(int db, const storage::Entry& entry) override;

 private:
  storage::Keyspace& keyspace_;
  RdbWriter writer_;
  Status status_ = Status::Ok();
  int current_db_ = -1;
  uint64_t keys_ = 0;
  bool running_ = false;  // the keyspace's snapshot is ours and not ended
};

}  // namespace ember::persistence
