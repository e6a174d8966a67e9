// PersistenceState: the server's bookkeeping for RDB snapshots — the running BGSAVE,
// the last save's time and outcome, the change counter baseline, and whether the dataset is
// still loading. Read by INFO persistence, LASTSAVE, the dispatcher's LOADING and MISCONF
// gates; changed only by server/rdb/ (rdb_control.cc and rdb_startup.cc).
//
// Threading: engine thread only (the BGSAVE child never touches it after fork).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace ember::server {

class ForklessBgsave;
class FullSync;

struct PersistenceState {
  bool loading = false;  // startup load in progress: commands without kLoading get -LOADING
  int64_t loading_start_unix = 0;
  uint64_t loaded_keys = 0;   // rdb_last_load_keys_loaded
  uint64_t expired_keys = 0;  // rdb_last_load_keys_expired: dropped at load, TTL passed
  // The replication history the loaded dump named (its repl-id and repl-offset AUX fields):
  // a replica restarting from it continues by partial resync. Empty / -1 when none.
  std::string loaded_repl_id;
  int64_t loaded_repl_offset = -1;
  int loaded_repl_stream_db = 0;

  pid_t child_pid = -1;  // running BGSAVE child, -1 when none
  // The running forkless BGSAVE (server/rdb/forkless_bgsave.h), null when none. Shared
  // only so that this header needs no definition of it.
  std::shared_ptr<ForklessBgsave> forkless;
  // The snapshot being made for replicas (server/replication/full_sync.h), null when none.
  // It counts as a BGSAVE in progress, as Redis's replication child does.
  std::shared_ptr<FullSync> replica_sync;
  bool bgsave_scheduled = false;  // BGSAVE SCHEDULE during an AOF rewrite: start it after
  int64_t child_start_ms = 0;
  uint64_t dirty_before_bgsave = 0;  // ServerState::dirty() when the child forked

  // rdb_changes_since_last_save = ServerState::dirty() - dirty_at_last_save.
  uint64_t dirty_at_last_save = 0;
  int64_t last_save_unix = 0;        // LASTSAVE; set at startup and by each successful save
  int64_t last_bgsave_try_unix = 0;  // retry delay after a failed BGSAVE
  bool last_bgsave_ok = true;
  int64_t last_bgsave_duration_sec = -1;
  uint64_t saves = 0;  // rdb_saves: successful SAVE + BGSAVE since startup

  // A BGSAVE of either kind is running (what Redis's "child" checks mean for a save).
  bool bgsave_in_progress() const {
    return child_pid > 0 || forkless != nullptr || replica_sync != nullptr;
  }
};

}  // namespace ember::server
