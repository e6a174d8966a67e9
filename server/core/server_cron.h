// The engine's periodic work, run `hz` times a second by whoever owns the engine's thread
// (the network server's loop, or an embedded engine's background thread): active expiry,
// incremental rehashing and shrinking, the tracking table's limit, the RDB and AOF crons
// (save points, background fsync, rewrites), INFO's sampled metrics, and once a second the
// clients' idle-timeout and output-limit sweep.
//
// Threading: engine thread only (or with the engine's lock held).
#pragma once

#include <cstdint>

#include "server/core/server_state.h"

namespace ember::server {

class ServerCron {
 public:
  explicit ServerCron(ServerState& state) : state_(state) {}

  // One tick. Skipped while a busy script serves the loop from inside itself: the keyspace
  // must not change under it.
  void Tick();

 private:
  ServerState& state_;
  int64_t last_client_sweep_ms_ = 0;  // unix ms of the last SweepClients
};

}  // namespace ember::server
