#include "server/aof/aof_rewrite.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include "persistence/aof_base.h"
#include "server/aof/aof_control.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/rdb/forkless_bgsave.h"
#include "server/rdb/rdb_control.h"
#include "server/scripting/function_persistence.h"

namespace ember::server {
namespace {

[[noreturn]] void RunChild(ServerState& state, const std::string& temp, bool rdb, int64_t now_ms) {
  persistence::AofBaseStats stats;
  persistence::Status s = persistence::WriteAofBaseFile(state.keyspace(), temp, rdb,
                                                        AofBaseWriteOptions(state), now_ms, &stats);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Error writing the AOF base: {}", s.ToString());
    _exit(1);
  }
  Log(LogLevel::kNotice, "Successfully created the temporary AOF base file {} ({} keys)", temp,
      stats.keys);
  _exit(0);
}

// Installs the base the rewrite wrote to aof.child_temp (`written`: it is complete and
// synced) or discards it, and records the outcome.
void FinishRewrite(ServerState& state, bool written, int64_t now_ms) {
  AofState& aof = state.aof();
  bool ok = written;
  if (ok) {
    // With the AOF off, the new base replaces the whole set (there is no incr to keep).
    const int64_t first_kept =
        aof.on ? aof.first_kept_incr_seq : std::numeric_limits<int64_t>::max();
    persistence::Status s =
        aof.directory->InstallBase(aof.child_temp, aof.child_rdb_base, first_kept);
    if (s.ok()) {
      Log(LogLevel::kNotice, "Background AOF rewrite terminated with success");
      Log(LogLevel::kNotice, "Background AOF rewrite finished successfully");
      aof.waiting_first_base = false;
      aof.base_size = aof.directory->BaseSize();
      aof.current_size = aof.directory->TotalSize();
      aof.rewrite_base_size = aof.current_size;
    } else {
      Log(LogLevel::kWarning, "Background AOF rewrite failed installing the new base: {}",
          s.ToString());
      ok = false;
    }
  }
  if (!ok) ::unlink(aof.child_temp.c_str());
  aof.last_bgrewrite_ok = ok;
  aof.rewrites_consecutive_failures = ok ? 0 : aof.rewrites_consecutive_failures + 1;
  aof.last_rewrite_time_sec = (now_ms - aof.child_start_ms) / 1000;
  aof.child_pid = -1;
  aof.forkless_rewrite.reset();
  SetResizeAllowed(state, true);
}

void FinishChild(ServerState& state, int wait_status, int64_t now_ms) {
  const bool exited_ok = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  if (WIFSIGNALED(wait_status)) {
    Log(LogLevel::kWarning, "Background AOF rewrite terminated by signal {}",
        WTERMSIG(wait_status));
  } else if (!exited_ok) {
    Log(LogLevel::kWarning, "Background AOF rewrite terminated with error");
  }
  FinishRewrite(state, exited_ok, now_ms);
}

// Starts the rewrite's writer: a forkless snapshot walk for an RDB base unless
// snapshot-fork asks for a child (a RESP base is only written by a child). Sets child_temp.
bool StartWriter(ServerState& state, bool rdb, int64_t now_ms) {
  AofState& aof = state.aof();
  if (rdb && !state.config().snapshot_fork) {
    aof.child_temp = state.DataPath("temp-rewriteaof-bg-" + std::to_string(::getpid()) + ".aof");
    persistence::RdbWriteOptions options = AofBaseWriteOptions(state);
    options.aof_base = true;
    // The snapshot is committed where it is written; InstallBase moves it into the set.
    aof.forkless_rewrite =
        std::make_shared<ForklessBgsave>(state, aof.child_temp, aof.child_temp, options, now_ms);
    Log(LogLevel::kNotice, "Background append only file rewriting started (forkless)");
    state.ScheduleSnapshotSlices();
    return true;
  }
  std::fflush(nullptr);  // buffered output must not be written twice
  const pid_t pid = ::fork();
  if (pid < 0) {
    Log(LogLevel::kWarning, "Can't rewrite append only file in background: fork: {}",
        std::strerror(errno));
    return false;
  }
  const std::string temp =
      state.DataPath("temp-rewriteaof-bg-" + std::to_string(pid == 0 ? ::getpid() : pid) + ".aof");
  if (pid == 0) RunChild(state, temp, rdb, now_ms);
  Log(LogLevel::kNotice, "Background append only file rewriting started by pid {}", pid);
  aof.child_pid = pid;
  aof.child_temp = temp;
  SetResizeAllowed(state, false);
  return true;
}

// Switches appending to a new incremental file, so the child's snapshot (taken at the fork
// that follows) plus the files from this one on hold every write exactly once.
bool SwitchToNewIncr(ServerState& state, int64_t now_ms) {
  AofState& aof = state.aof();
  if (!aof.log.FlushAndSync(now_ms)) {
    Log(LogLevel::kWarning, "Can't rewrite the AOF: the current file cannot be written");
    return false;
  }
  int fd = -1;
  std::string path;
  persistence::Status s = aof.directory->OpenNewIncr(!aof.waiting_first_base, &fd, &path);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Can't open a new AOF file for the rewrite: {}", s.ToString());
    return false;
  }
  aof.log.Attach(fd, path, 0);
  aof.first_kept_incr_seq = aof.directory->manifest().incr_seq;
  Log(LogLevel::kNotice, "Creating AOF incr file {} on background rewrite", path);
  return true;
}

}  // namespace

bool EnsureAofDirectory(ServerState& state) {
  AofState& aof = state.aof();
  if (aof.directory) return true;
  aof.directory = std::make_unique<persistence::AofDirectory>(
      state.DataPath(state.config().appenddirname), state.config().appendfilename);
  bool found = false;
  persistence::Status s = aof.directory->Load(&found);
  if (s.ok() && !found) s = aof.directory->Reset();
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Can't use the AOF directory: {}", s.ToString());
    aof.directory.reset();
    return false;
  }
  return true;
}

AofRewriteStart StartAofRewrite(ServerState& state) {
  AofState& aof = state.aof();
  if (aof.rewrite_in_progress()) return AofRewriteStart::kAlreadyRunning;
  if (state.persistence().bgsave_in_progress()) {
    aof.rewrite_scheduled = true;
    return AofRewriteStart::kScheduled;
  }
  aof.rewrite_scheduled = false;
  const int64_t now_ms = UnixMillis();
  aof.last_rewrite_try_unix = now_ms / 1000;
  if (!EnsureAofDirectory(state)) return AofRewriteStart::kFailed;
  if (aof.on && !SwitchToNewIncr(state, now_ms)) {
    aof.last_bgrewrite_ok = false;
    return AofRewriteStart::kFailed;
  }
  const bool rdb = state.config().aof_use_rdb_preamble;
  if (!StartWriter(state, rdb, now_ms)) {
    aof.last_bgrewrite_ok = false;
    return AofRewriteStart::kFailed;
  }
  aof.rewrites++;  // aof_rewrites counts started rewrites, failed ones included (Redis)
  aof.child_start_ms = now_ms;
  aof.child_rdb_base = rdb;
  return AofRewriteStart::kStarted;
}

int64_t RunAofRewriteSlice(ServerState& state, int64_t budget_us) {
  AofState& aof = state.aof();
  if (aof.forkless_rewrite == nullptr) return -1;
  const int64_t wait = aof.forkless_rewrite->Slice(budget_us);
  if (wait >= 0) return wait;
  const persistence::Status& status = aof.forkless_rewrite->status();
  if (status.ok()) {
    Log(LogLevel::kNotice, "Successfully created the temporary AOF base file {} ({} keys)",
        aof.child_temp, aof.forkless_rewrite->keys());
  } else {
    Log(LogLevel::kWarning, "Error writing the AOF base: {}", status.ToString());
  }
  FinishRewrite(state, status.ok(), UnixMillis());
  return -1;
}

persistence::RdbWriteOptions AofBaseWriteOptions(const ServerState& state) {
  const ServerConfig& config = state.config();
  return {.compression = config.rdbcompression,
          .checksum = config.rdbchecksum,
          .function_libraries = scripting::FunctionLibraryCodes(state.functions())};
}

void ReapAofRewriteChild(ServerState& state, int64_t now_ms) {
  AofState& aof = state.aof();
  if (aof.child_pid <= 0) return;
  int status = 0;
  const pid_t done = ::waitpid(aof.child_pid, &status, WNOHANG);
  if (done == aof.child_pid) {
    FinishChild(state, status, now_ms);
  } else if (done < 0 && errno == ECHILD) {
    Log(LogLevel::kWarning, "AOF rewrite child {} vanished", aof.child_pid);
    FinishChild(state, 1 << 8, now_ms);
  }
}

void KillAofRewriteChild(ServerState& state) {
  AofState& aof = state.aof();
  if (aof.forkless_rewrite != nullptr) {
    Log(LogLevel::kWarning, "Stopping the forkless AOF rewrite");
    aof.forkless_rewrite.reset();  // abandons the walk; its temporary file goes with the writer
    return;
  }
  if (aof.child_pid <= 0) return;
  Log(LogLevel::kWarning, "Killing the AOF rewrite child {}", aof.child_pid);
  ::kill(aof.child_pid, SIGKILL);
  int status = 0;
  while (::waitpid(aof.child_pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::unlink(aof.child_temp.c_str());
  aof.child_pid = -1;
  SetResizeAllowed(state, true);
}

}  // namespace ember::server
