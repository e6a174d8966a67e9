// The AOF rewrite's child process: forking it (StartAofRewrite in aof_control.h), reaping
// it, and installing the base it wrote. Internal to server/aof/.
//
// Threading: engine thread only.
#pragma once

#include <cstdint>

namespace ember::server {

class ServerState;

// Reaps a finished rewrite child, installing its base on success.
void ReapAofRewriteChild(ServerState& state, int64_t now_ms);
// Stops a running rewrite child and removes its temporary file (shutdown, appendonly no).
void KillAofRewriteChild(ServerState& state);
// Makes sure state.aof().directory exists, loading the manifest on disk when there is one.
bool EnsureAofDirectory(ServerState& state);

}  // namespace ember::server
