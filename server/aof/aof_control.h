// The append-only file from the server's side: opening the set after the dataset loaded,
// flushing before replies, the cron (background fsync, retries, automatic rewrites, reaping
// the rewrite child), turning it on and off at runtime, BGREWRITEAOF, and the final sync
// at shutdown. Formats and directory handling live in persistence/ (aof_*.h); replay at
// startup in server/aof/aof_startup.h.
//
// Threading: engine thread only. The rewrite child runs only persistence code and _exit()s.
#pragma once

#include <cstdint>
#include <string>

namespace ember::server {

class ServerState;

// With appendonly yes, after the dataset was loaded: continues the loaded set (appending to
// its last incremental file), or creates one whose base is the current dataset. Returns
// false, after logging why, when the AOF cannot be opened: the server must not start.
bool OpenAofAfterLoad(ServerState& state);

// Called before replies are sent: writes what the commands of this batch propagated and
// syncs it as appendfsync says. Returns false only when, under `always`, the commands could
// not be made durable: their replies must then not be sent.
bool FlushAofForReplies(ServerState& state, int64_t now_ms);

// Cron: background fsync and postponed writes, error recovery, reaping a finished rewrite
// child, scheduled and automatic rewrites. `now_ms` is unix ms.
void AofCron(ServerState& state, int64_t now_ms);

// CONFIG SET appendonly: starts (with a rewrite that writes the first base) or stops the
// AOF to match the configuration. Returns "" or, when the AOF could not be started (the
// setting is then back to "no"), Redis's problem text for CONFIG SET's error.
std::string ApplyAppendonlySetting(ServerState& state);

enum class AofRewriteStart { kStarted, kScheduled, kAlreadyRunning, kFailed };
// BGREWRITEAOF: forks a child that writes a new base. While a BGSAVE runs the rewrite is
// scheduled for when it ends, as in Redis.
AofRewriteStart StartAofRewrite(ServerState& state);

// Shutdown: stops a rewrite child and writes and fsyncs everything buffered. Returns false
// (after logging it) when the final sync failed; like Redis, shutdown goes on regardless.
bool FlushAofBeforeShutdown(ServerState& state);

// The MISCONF rule for the AOF: the last write or fsync failed. `error` gets Redis's text.
bool WritesRefusedByAofError(const ServerState& state, std::string* error);

}  // namespace ember::server
