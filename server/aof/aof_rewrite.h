// The AOF rewrite's writer (StartAofRewrite in aof_control.h): a forkless snapshot walk for
// an RDB base (the default), or a forked child (snapshot-fork yes, or a RESP base); reaping
// or finishing it, and installing the base it wrote. Internal to server/aof/, but for the
// walk's slices, which the loop runs with a BGSAVE's (RunSnapshotSlice, rdb_control.h).
//
// Threading: engine thread only.
#pragma once

#include <cstdint>

#include "persistence/rdb_writer.h"

namespace ember::server {

class ServerState;

// One slice of a running forkless rewrite of about `budget_us` microseconds, installing the
// base once it is written. Returns the microseconds to wait before the next slice, or -1
// when no forkless rewrite runs any more.
int64_t RunAofRewriteSlice(ServerState& state, int64_t budget_us);
// What an AOF base in RDB form is written with (aof-base itself is set by the writer).
persistence::RdbWriteOptions AofBaseWriteOptions(const ServerState& state);
// Reaps a finished rewrite child, installing its base on success.
void ReapAofRewriteChild(ServerState& state, int64_t now_ms);
// Stops a running rewrite (child or walk) and removes its temporary file (shutdown,
// appendonly no).
void KillAofRewriteChild(ServerState& state);
// Makes sure state.aof().directory exists, loading the manifest on disk when there is one.
bool EnsureAofDirectory(ServerState& state);

}  // namespace ember::server
