// MonitorFeed: the clients in MONITOR mode and the line each receives per command run, in
// Redis 7.0's format: `+<unix seconds>.<microseconds> [<db> <source>] "arg" "arg"...`, a
// status reply whatever the monitor's protocol, each argument quoted and escaped as Redis's
// sdscatrepr does (protocol/quoted_repr.h); <source> is the client's "ip:port", or "lua" for a
// script's calls.
//
// The dispatcher feeds a command after it ran (Redis's call()), so a command's line follows
// the lines of what it ran, except EVAL, EVALSHA and FCALL, which feed themselves before
// their script's calls. Lines go through the WakeQueue like pub/sub messages: they reach a
// monitor at the delivery point, count in its output (the normal class of
// client-output-buffer-limit), and a monitor that stops reading is disconnected by that
// limit without slowing anyone else. With no monitor, Feed is never called (empty()).
//
// Threading: engine thread only. Owned by ServerState.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/client_state.h"
#include "server/core/wake_queue.h"

namespace ember::server {

class MonitorFeed {
 public:
  explicit MonitorFeed(WakeQueue& wakeups) : wakeups_(wakeups) {}
  MonitorFeed(const MonitorFeed&) = delete;
  MonitorFeed& operator=(const MonitorFeed&) = delete;

  // Starts or stops feeding `monitor` (sets ClientState::monitor). Add on a monitor, or
  // Remove on a client that is not one, does nothing.
  void Add(ClientState& monitor);
  void Remove(ClientState& monitor);
  bool empty() const { return monitors_.empty(); }
  size_t size() const { return monitors_.size(); }

  // Posts the line for `args` run by `source` in database `db` to every monitor. The
  // caller redacts secrets first (server/command/secret_arguments.h).
  void Feed(const ClientState& source, int db, std::span<const std::string_view> args);

 private:
  WakeQueue& wakeups_;
  std::vector<ClientState*> monitors_;  // in the order they started
};

}  // namespace ember::server
