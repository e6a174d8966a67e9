// TransactionState: one connection's MULTI/EXEC and WATCH state — the queued commands (which
// own copies of their arguments, since the connection's buffer is reused after each batch)
// and the keys it watches. Lives in ClientState; the dispatcher queues into it, the
// transaction commands and the WatchRegistry read and change it. Engine thread only.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/command_spec.h"

namespace ember::server {

struct QueuedCommand {
  const CommandSpec* spec = nullptr;
  std::vector<std::string> args;
  uint32_t flags = 0;  // CommandSpec::FlagsForCall when queued, as EXEC's gates see them
};

struct WatchedKey {
  int db = 0;
  std::string key;
  // The key was already logically expired when WATCH ran (Redis's watchedKey.expired):
  // its later deletion by expiry is no change, and EXEC does not fail on its expiry.
  bool expired_at_watch = false;
};

struct TransactionState {
  bool in_multi = false;     // between MULTI and EXEC / DISCARD
  bool queue_error = false;  // a command was rejected while queuing: EXEC aborts (EXECABORT)
  bool watch_dirty = false;  // a watched key changed: EXEC replies a null array
  std::vector<QueuedCommand> queue;
  std::vector<WatchedKey> watched;

  void Queue(const CommandSpec& spec, std::span<const std::string_view> args, uint32_t flags) {
    queue.push_back({&spec, std::vector<std::string>(args.begin(), args.end()), flags});
  }
  // Whether any queued command may write (CLIENT PAUSE WRITE holds such an EXEC).
  bool QueuedWrites() const {
    for (const QueuedCommand& command : queue) {
      if ((command.flags & (kWrite | kMayReplicate)) != 0) return true;
    }
    return false;
  }
  // Ends MULTI: drops the queue and the flags (the caller unwatches keys).
  void EndMulti() {
    in_multi = false;
    queue_error = false;
    watch_dirty = false;
    queue.clear();
    queue.shrink_to_fit();
  }
};

}  // namespace ember::server
