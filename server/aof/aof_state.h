// AofState: the server's append-only file — whether it is on, the directory set and the
// log being appended to, the rewrite child, and the figures INFO persistence reports.
// Changed only by server/aof/; read by INFO, the dispatcher's MISCONF gate and the
// connections' flush barrier.
//
// Threading: engine thread only (a rewrite child never touches it after fork).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "persistence/aof_directory.h"
#include "server/aof/aof_log.h"

namespace ember::server {

class ForklessBgsave;

struct AofState {
  // aof_enabled: commands are being appended. Turned on at runtime, the set on disk only
  // becomes loadable once the first rewrite installed its base (`waiting_first_base`).
  bool on = false;
  bool waiting_first_base = false;
  std::unique_ptr<persistence::AofDirectory> directory;
  AofLog log;

  // The rewrite: a forked child (`child_pid`, -1 when none) or a forkless snapshot walk
  // (`forkless_rewrite`, null when none; an RDB base without snapshot-fork). Incremental
  // files with a seq below `first_kept_incr_seq` are replaced by the base it writes to
  // `child_temp`.
  bool rewrite_in_progress() const { return child_pid > 0 || forkless_rewrite != nullptr; }
  pid_t child_pid = -1;
  std::shared_ptr<ForklessBgsave> forkless_rewrite;
  int64_t child_start_ms = 0;
  int64_t first_kept_incr_seq = 0;
  std::string child_temp;
  bool child_rdb_base = true;      // an RDB base (aof-use-rdb-preamble at the start)
  bool rewrite_scheduled = false;  // BGREWRITEAOF while a BGSAVE runs: start it after
  int64_t last_rewrite_try_unix = 0;

  bool last_bgrewrite_ok = true;
  int64_t last_rewrite_time_sec = -1;
  uint64_t rewrites = 0;
  uint64_t rewrites_consecutive_failures = 0;
  // Sizes for INFO and the automatic rewrite rule: all files of the set now, the base,
  // and the whole set right after the last rewrite (growth is measured against it).
  uint64_t current_size = 0;
  uint64_t base_size = 0;
  uint64_t rewrite_base_size = 0;
};

}  // namespace ember::server
