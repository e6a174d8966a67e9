// ForklessBgsave: one RDB snapshot without fork — a BGSAVE, or the RDB base of an AOF
// rewrite. The point-in-time walk (persistence/rdb_incremental_save.h) runs in slices on the
// engine thread and hands its bytes to a writer thread (persistence/background_file_sink.h),
// which writes a temporary file (temp-<pid>.rdb for a BGSAVE) and, once the walk is
// complete, fsyncs it and renames it over its target (dir/dbfilename). Memory: what waits for the
// disk is bounded by pausing the walk (keys that change meanwhile are still written first, so a
// slow disk costs at most their size).
//
// Threading: engine thread only; the writer thread is the sink's own.
#pragma once

#include <cstdint>
#include <string>

#include "persistence/background_file_sink.h"
#include "persistence/rdb_incremental_save.h"
#include "persistence/rdb_writer.h"

namespace ember::server {

class ServerState;

class ForklessBgsave {
 public:
  // Begins a BGSAVE: dir/dbfilename will hold the dataset as of this call.
  ForklessBgsave(ServerState& state, int64_t now_ms);
  // Begins a snapshot written to `temp_path` and committed to `target_path` (the same path:
  // kept where it is, fsynced), with `options`.
  ForklessBgsave(ServerState& state, std::string temp_path, std::string target_path,
                 const persistence::RdbWriteOptions& options, int64_t now_ms);
  ForklessBgsave(const ForklessBgsave&) = delete;
  ForklessBgsave& operator=(const ForklessBgsave&) = delete;

  // Runs one slice of the walk, of about `budget_us` microseconds, or checks on the commit.
  // Returns the microseconds to wait before the next slice (0: only let the loop's other
  // handlers run first), or -1 once the save has ended: status() then says how.
  int64_t Slice(int64_t budget_us);

  const persistence::Status& status() const { return status_; }
  uint64_t keys() const { return save_.keys(); }
  uint64_t bytes() const { return save_.bytes(); }

 private:
  ServerState& state_;
  // Declared before the save, which writes into it from its constructor on, and destroyed
  // after it: an unfinished save is abandoned first, then the thread stops and the
  // temporary file goes.
  persistence::BackgroundFileSink sink_;
  persistence::IncrementalRdbSave save_;
  persistence::Status status_;
  bool committing_ = false;
};

}  // namespace ember::server
