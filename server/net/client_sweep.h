// ClientSweep: the once-a-second pass over every connected client that Redis's clientsCron
// makes, for the two rules that need time to pass without any I/O on the connection:
//  - `timeout`: a client with no interaction (no bytes read or written) for more than
//    `timeout` seconds is closed, unless it is blocked (waiting out CLIENT PAUSE, or in a
//    blocking command such as BLPOP); a MULTI in progress does not protect it.
//  - client-output-buffer-limit's soft limit: a client stalled with pending output at or
//    over the soft limit for longer than the soft seconds is closed (the hard limit is
//    judged where output grows, in the connection).
// Closing goes through ClientState::kill, so the connection ends at its next await.
// Engine thread only.
#pragma once

#include <cstdint>

#include "server/core/server_state.h"

namespace ember::server {

// Runs both rules over state.clients() at `now_ms`; returns how many clients it closed.
int SweepClients(ServerState& state, int64_t now_ms);

// Logs Redis's line for a client closed by an output buffer limit.
void LogOutputLimitClose(const ClientState& client, int64_t now_ms);

}  // namespace ember::server
