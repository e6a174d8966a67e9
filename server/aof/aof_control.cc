#include "server/aof/aof_control.h"

#include <unistd.h>

#include <cstring>

#include "persistence/aof_base.h"
#include "server/aof/aof_rewrite.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

// After a failed rewrite, automatic and first-base rewrites wait this long before trying
// again, so a full disk is not hammered every cron tick.
constexpr int64_t kRewriteRetryDelaySec = 5;

FsyncPolicy Policy(const ServerState& state) {
  return ParseFsyncPolicy(state.config().appendfsync);
}

AofLog::FlushResult Flush(ServerState& state, bool force, int64_t now_ms) {
  AofState& aof = state.aof();
  const uint64_t before = aof.log.file_size();
  const bool child_running = aof.rewrite_in_progress() || state.persistence().bgsave_in_progress();
  const bool fsync_allowed = !(state.config().no_appendfsync_on_rewrite && child_running);
  AofLog::FlushResult result = aof.log.Flush(Policy(state), force, fsync_allowed, now_ms);
  aof.current_size += aof.log.file_size() - before;
  return result;
}

// A new set whose base is the current dataset (written here, synchronously: this runs
// before clients are served) and whose first incremental file is empty.
bool CreateSet(ServerState& state, int64_t now_ms) {
  AofState& aof = state.aof();
  persistence::Status s = aof.directory->Reset();
  int fd = -1;
  std::string path;
  if (s.ok()) s = aof.directory->OpenNewIncr(/*persist=*/false, &fd, &path);
  const std::string temp = state.DataPath("temp-rewriteaof-" + std::to_string(::getpid()) + ".aof");
  const ServerConfig& config = state.config();
  if (s.ok()) {
    s = persistence::WriteAofBaseFile(state.keyspace(), temp, config.aof_use_rdb_preamble,
                                      AofBaseWriteOptions(state), now_ms, nullptr);
  }
  if (s.ok()) s = aof.directory->InstallBase(temp, config.aof_use_rdb_preamble, 1);
  if (!s.ok()) {
    if (fd >= 0) ::close(fd);
    Log(LogLevel::kWarning, "Can't create the append only file: {}", s.ToString());
    return false;
  }
  Log(LogLevel::kNotice, "Creating AOF base file {} on server start",
      aof.directory->manifest().base->name);
  aof.log.Attach(fd, path, 0);
  return true;
}

void MaybeStartAutomaticRewrite(ServerState& state, int64_t now_ms) {
  AofState& aof = state.aof();
  const ServerConfig& config = state.config();
  if (aof.rewrite_in_progress() || state.persistence().bgsave_in_progress()) return;
  const bool retry_allowed =
      aof.last_bgrewrite_ok || now_ms / 1000 - aof.last_rewrite_try_unix > kRewriteRetryDelaySec;
  if (aof.rewrite_scheduled || (aof.waiting_first_base && retry_allowed)) {
    StartAofRewrite(state);
    return;
  }
  if (!aof.on || config.auto_aof_rewrite_percentage <= 0 || !retry_allowed) return;
  if (aof.current_size <= static_cast<uint64_t>(config.auto_aof_rewrite_min_size)) return;
  const uint64_t base = aof.rewrite_base_size > 0 ? aof.rewrite_base_size : 1;
  const int64_t growth = static_cast<int64_t>(aof.current_size * 100 / base) - 100;
  if (growth < config.auto_aof_rewrite_percentage) return;
  Log(LogLevel::kNotice, "Starting automatic rewriting of AOF on {}% growth", growth);
  StartAofRewrite(state);
}

// Returns false (with the setting turned back off) when the AOF could not be opened.
bool StartAppending(ServerState& state) {
  AofState& aof = state.aof();
  if (!EnsureAofDirectory(state)) {
    state.config().appendonly = false;
    return false;
  }
  // The set on disk describes an older dataset: it must not be loaded if the server stops
  // before the first rewrite has written a base for this one.
  int fd = -1;
  std::string path;
  persistence::Status s = aof.directory->DropManifest();
  if (s.ok()) s = aof.directory->Reset();
  if (s.ok()) s = aof.directory->OpenNewIncr(/*persist=*/false, &fd, &path);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "Can't turn on the append only file: {}", s.ToString());
    state.config().appendonly = false;
    return false;
  }
  aof.log.Attach(fd, path, 0);
  aof.on = true;
  aof.waiting_first_base = true;
  aof.current_size = 0;
  if (StartAofRewrite(state) == AofRewriteStart::kFailed) {
    Log(LogLevel::kWarning, "The first AOF rewrite could not start; it will be retried");
  }
  return true;
}

void StopAppending(ServerState& state) {
  AofState& aof = state.aof();
  KillAofRewriteChild(state);
  aof.log.FlushAndSync(UnixMillis());
  aof.log.Close();
  aof.log.DiscardBuffer();
  aof.on = false;
  aof.waiting_first_base = false;
  aof.rewrite_scheduled = false;
  Log(LogLevel::kNotice, "Append only file turned off");
}

}  // namespace

bool OpenAofAfterLoad(ServerState& state) {
  AofState& aof = state.aof();
  if (!state.config().appendonly) return true;
  if (!EnsureAofDirectory(state)) return false;
  const persistence::AofManifest& manifest = aof.directory->manifest();
  const bool has_set = manifest.base.has_value() || !manifest.incrs.empty();
  if (!has_set) {
    if (!CreateSet(state, UnixMillis())) return false;
  } else {
    int fd = -1;
    std::string path;
    persistence::Status s = aof.directory->OpenLastIncr(&fd, &path);
    if (!s.ok()) {
      Log(LogLevel::kWarning, "Can't open the append only file: {}", s.ToString());
      return false;
    }
    aof.log.Attach(fd, path, static_cast<uint64_t>(::lseek(fd, 0, SEEK_END)));
  }
  aof.on = true;
  aof.base_size = aof.directory->BaseSize();
  aof.current_size = aof.directory->TotalSize();
  aof.rewrite_base_size = aof.current_size;
  return true;
}

bool FlushAofForReplies(ServerState& state, int64_t now_ms) {
  if (!state.aof().on || !state.aof().log.has_buffered()) return true;
  return Flush(state, /*force=*/false, now_ms) != AofLog::FlushResult::kFailed ||
         Policy(state) != FsyncPolicy::kAlways;
}

void AofCron(ServerState& state, int64_t now_ms) {
  if (state.persistence().loading) return;
  ReapAofRewriteChild(state, now_ms);
  if (state.aof().on) Flush(state, /*force=*/false, now_ms);
  MaybeStartAutomaticRewrite(state, now_ms);
}

std::string ApplyAppendonlySetting(ServerState& state) {
  const bool wanted = state.config().appendonly;
  if (wanted == state.aof().on || state.persistence().loading) return {};
  if (!wanted) {
    StopAppending(state);
  } else if (!StartAppending(state)) {
    return "Unable to turn on AOF. Check server logs.";  // Redis's text
  }
  return {};
}

bool FlushAofBeforeShutdown(ServerState& state) {
  KillAofRewriteChild(state);
  AofState& aof = state.aof();
  if (!aof.on) return true;
  Log(LogLevel::kNotice, "Calling fsync() on the AOF file.");
  if (aof.log.FlushAndSync(UnixMillis())) return true;
  Log(LogLevel::kWarning, "Fail to fsync the AOF file: {}", std::strerror(aof.log.write_errno()));
  return false;
}

bool WritesRefusedByAofError(const ServerState& state, std::string* error) {
  const AofState& aof = state.aof();
  if (!aof.on || aof.log.write_ok()) return false;
  if (error != nullptr) {
    *error = std::string("MISCONF Errors writing to the AOF file: ") +
             std::strerror(aof.log.write_errno());
  }
  return true;
}

}  // namespace ember::server
