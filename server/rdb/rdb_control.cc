#include "server/rdb/rdb_control.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "persistence/file_sync.h"
#include "persistence/rdb_save.h"
#include "server/aof/aof_rewrite.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/rdb/forkless_bgsave.h"
#include "server/replication/full_sync.h"
#include "server/replication/replication_control.h"
#include "server/scripting/function_persistence.h"

namespace ember::server {
namespace {

// After a failed BGSAVE, save points wait this long before trying again (Redis's
// CONFIG_BGSAVE_RETRY_DELAY), so a full disk is not hammered ten times a second.
constexpr int64_t kBgsaveRetryDelaySec = 5;

// While a script runs (busy, serving the loop from inside itself) the walk waits.
constexpr int64_t kScriptWaitMicros = 1000;

[[noreturn]] void RunChild(ServerState& state, int64_t now_ms) {
  persistence::RdbSaveStats stats;
  persistence::Status s =
      persistence::SaveRdbFile(state.keyspace(), state.DataPath(state.config().dbfilename),
                               SnapshotWriteOptions(state), now_ms / 1000, &stats);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Write error saving DB on disk: {}", s.ToString());
    _exit(1);
  }
  Log(LogLevel::kNotice, "DB saved on disk ({} keys, {} bytes)", stats.keys, stats.bytes);
  _exit(0);
}

// The bookkeeping after any BGSAVE: the change baseline, LASTSAVE, the MISCONF state.
void RecordBgsaveOutcome(ServerState& state, bool ok, int64_t now_ms) {
  PersistenceState& p = state.persistence();
  if (ok) {
    Log(LogLevel::kNotice, "Background saving terminated with success");
    p.dirty_at_last_save = p.dirty_before_bgsave;
    p.last_save_unix = now_ms / 1000;
    p.saves++;
  }
  p.last_bgsave_ok = ok;
  p.last_bgsave_duration_sec = (now_ms - p.child_start_ms) / 1000;
}

void FinishBgsave(ServerState& state, int wait_status, int64_t now_ms) {
  PersistenceState& p = state.persistence();
  const bool ok = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  if (WIFSIGNALED(wait_status)) {
    Log(LogLevel::kWarning, "Background saving terminated by signal {}", WTERMSIG(wait_status));
    // A killed child cannot clean up after itself.
    std::string temp = persistence::TempPathFor(state.DataPath(state.config().dbfilename), "temp-",
                                                p.child_pid, ".rdb");
    ::unlink(temp.c_str());
  } else if (!ok) {
    Log(LogLevel::kWarning, "Background saving error");
  }
  RecordBgsaveOutcome(state, ok, now_ms);
  p.child_pid = -1;
  SetResizeAllowed(state, true);
}

void FinishForkless(ServerState& state, int64_t now_ms) {
  PersistenceState& p = state.persistence();
  const ForklessBgsave& save = *p.forkless;
  const bool ok = save.status().ok();
  if (ok) {
    Log(LogLevel::kNotice, "DB saved on disk ({} keys, {} bytes)", save.keys(), save.bytes());
  } else {
    Log(LogLevel::kWarning, "Write error saving DB on disk: {}", save.status().ToString());
    Log(LogLevel::kWarning, "Background saving error");
  }
  RecordBgsaveOutcome(state, ok, now_ms);
  p.forkless.reset();
}

BgsaveStart StartForkless(ServerState& state, int64_t now_ms) {
  PersistenceState& p = state.persistence();
  p.forkless = std::make_shared<ForklessBgsave>(state, now_ms);
  Log(LogLevel::kNotice, "Background saving started (forkless)");
  p.bgsave_scheduled = false;
  p.child_start_ms = now_ms;
  p.dirty_before_bgsave = state.dirty();
  state.ScheduleSnapshotSlices();
  return BgsaveStart::kStarted;
}

bool SavePointReached(const ServerState& state, const PersistenceState& p, int64_t now_unix) {
  const uint64_t changes = state.dirty() - p.dirty_at_last_save;
  const bool may_retry =
      p.last_bgsave_ok || now_unix - p.last_bgsave_try_unix > kBgsaveRetryDelaySec;
  for (const SavePoint& point : state.config().save_points) {
    if (changes >= static_cast<uint64_t>(point.changes) &&
        now_unix - p.last_save_unix > point.seconds && may_retry) {
      Log(LogLevel::kNotice, "{} changes in {} seconds. Saving...", point.changes, point.seconds);
      return true;
    }
  }
  return false;
}

}  // namespace

void SetResizeAllowed(ServerState& state, bool allowed) {
  storage::Keyspace& keyspace = state.keyspace();
  for (int i = 0; i < keyspace.database_count(); ++i) keyspace.db(i).set_resize_allowed(allowed);
}

bool SaveNow(ServerState& state) {
  const int64_t now_ms = UnixMillis();
  persistence::RdbSaveStats stats;
  persistence::Status s =
      persistence::SaveRdbFile(state.keyspace(), state.DataPath(state.config().dbfilename),
                               SnapshotWriteOptions(state), now_ms / 1000, &stats);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Write error saving DB on disk: {}", s.ToString());
    return false;
  }
  Log(LogLevel::kNotice, "DB saved on disk ({} keys, {} bytes)", stats.keys, stats.bytes);
  PersistenceState& p = state.persistence();
  p.dirty_at_last_save = state.dirty();
  p.last_save_unix = now_ms / 1000;
  p.last_bgsave_ok = true;
  p.saves++;
  return true;
}

persistence::RdbWriteOptions SnapshotWriteOptions(ServerState& state) {
  const ServerConfig& config = state.config();
  persistence::RdbWriteOptions options{
      .compression = config.rdbcompression,
      .checksum = config.rdbchecksum,
      .function_libraries = scripting::FunctionLibraryCodes(state.functions())};
  const ReplicationState& replication = state.replication();
  if (replication.is_replica() || replication.backlog() != nullptr) {
    options.replication = persistence::RdbWriteOptions::ReplicationInfo{
        .stream_db = replication.is_replica() ? replication.primary_stream_db
                                              : std::max(replication.stream_db(), 0),
        .replid = replication.replid(),
        .offset = replication.master_repl_offset()};
  }
  return options;
}

int64_t RunSnapshotSlice(ServerState& state, int64_t budget_us) {
  PersistenceState& p = state.persistence();
  const bool rewriting = state.aof().forkless_rewrite != nullptr;
  if (p.forkless == nullptr && !rewriting) return RunFullSyncSlice(state);
  if (state.script_runtime().current_run() != nullptr) return kScriptWaitMicros;
  if (rewriting) return RunAofRewriteSlice(state, budget_us);
  const int64_t wait = p.forkless->Slice(budget_us);
  if (wait >= 0) return wait;
  FinishForkless(state, UnixMillis());
  return -1;
}

BgsaveStart StartBgsave(ServerState& state) {
  PersistenceState& p = state.persistence();
  if (p.bgsave_in_progress()) return BgsaveStart::kAlreadyRunning;
  const int64_t now_ms = UnixMillis();
  p.last_bgsave_try_unix = now_ms / 1000;
  if (!state.config().snapshot_fork) return StartForkless(state, now_ms);
  std::fflush(nullptr);  // buffered output must not be written twice
  pid_t pid = ::fork();
  if (pid < 0) {
    Log(LogLevel::kWarning, "Can't save in background: fork: {}", std::strerror(errno));
    p.last_bgsave_ok = false;
    return BgsaveStart::kForkFailed;
  }
  if (pid == 0) RunChild(state, now_ms);
  Log(LogLevel::kNotice, "Background saving started by pid {}", pid);
  p.child_pid = pid;
  p.bgsave_scheduled = false;
  p.child_start_ms = now_ms;
  p.dirty_before_bgsave = state.dirty();
  SetResizeAllowed(state, false);
  return BgsaveStart::kStarted;
}

void RdbCron(ServerState& state, int64_t now_ms) {
  PersistenceState& p = state.persistence();
  if (p.loading) return;
  if (p.forkless != nullptr || p.replica_sync != nullptr ||
      state.aof().forkless_rewrite != nullptr) {
    // Without the event loop's scheduler (in-process tests) the cron walks on.
    if (!state.has_snapshot_scheduler()) RunSnapshotSlice(state);
    return;
  }
  if (p.child_pid > 0) {
    int status = 0;
    pid_t done = ::waitpid(p.child_pid, &status, WNOHANG);
    if (done == p.child_pid) {
      FinishBgsave(state, status, now_ms);
    } else if (done < 0 && errno == ECHILD) {
      Log(LogLevel::kWarning, "Background save child {} vanished", p.child_pid);
      FinishBgsave(state, 1 << 8, now_ms);
    }
    return;
  }
  if (state.aof().rewrite_in_progress()) return;  // one snapshot at a time
  if (p.bgsave_scheduled || SavePointReached(state, p, now_ms / 1000)) StartBgsave(state);
}

bool WritesRefusedByDiskError(const ServerState& state) {
  const ServerConfig& config = state.config();
  return config.stop_writes_on_bgsave_error && !config.save_points.empty() &&
         !state.persistence().last_bgsave_ok;
}

bool SaveBeforeShutdown(ServerState& state, ShutdownSave mode) {
  PersistenceState& p = state.persistence();
  if (p.forkless != nullptr) {
    Log(LogLevel::kWarning, "There is a forkless snapshot in progress. Stopping it!");
    p.forkless.reset();  // abandons the walk; the temporary file goes with the writer
    RecordBgsaveOutcome(state, false, UnixMillis());
  }
  p.replica_sync.reset();  // replicas reconnect to whoever serves next
  if (p.child_pid > 0) {
    Log(LogLevel::kWarning, "There is a child saving an .rdb. Killing it!");
    ::kill(p.child_pid, SIGKILL);
    int status = 0;
    while (::waitpid(p.child_pid, &status, 0) < 0 && errno == EINTR) {
    }
    FinishBgsave(state, status, UnixMillis());
  }
  if (p.loading) return true;  // a partial dataset must never replace the dump
  const bool save = mode == ShutdownSave::kSave ||
                    (mode == ShutdownSave::kDefault && !state.config().save_points.empty());
  if (!save) return true;
  Log(LogLevel::kNotice, "Saving the final RDB snapshot before exiting.");
  if (!SaveNow(state)) {
    Log(LogLevel::kWarning, "Error trying to save the DB, can't exit.");
    return false;
  }
  return true;
}

std::string SavePointsText(const ServerConfig& config) {
  std::string out;
  for (const SavePoint& point : config.save_points) {
    if (!out.empty()) out += ' ';
    out += std::to_string(point.seconds) + " " + std::to_string(point.changes);
  }
  return out;
}

}  // namespace ember::server
