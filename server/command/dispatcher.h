// Dispatcher: runs one parsed command. The generic gates (lookup, arity, authentication,
// OOM, MISCONF, loading, MULTI queuing) run here once, driven by the command table's data; then the
// handler runs with a CommandContext, and a command that changed the keyspace is handed to the one
// write path (ServerState::Propagate).
//
// Threading: engine thread only. It does no I/O: replies go to the caller's ReplyWriter.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "protocol/reply_writer.h"
#include "server/command/command_context.h"
#include "server/command/command_table.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"

namespace ember::server {

class Dispatcher {
 public:
  Dispatcher(const CommandTable& table, ServerState& server) : table_(table), server_(server) {}

  // Executes `args` (args[0] is the command name) for `client` at the batch time `now_ms`,
  // appending exactly one reply to `reply`. Its end is the delivery point: output the command
  // produced for other clients is delivered before this returns (server/core/wake_queue.h).
  void Execute(std::span<const std::string_view> args, ClientState& client,
               protocol::ReplyWriter& reply, int64_t now_ms);

  // Runs `spec`'s handler without the gates, then propagates what it changed and shows it
  // to MONITOR. EXEC uses it for queued commands (which passed the gates when they were
  // queued), scripts for their calls, the AOF's loading for what it replays.
  void Run(const CommandSpec& spec, std::span<const std::string_view> args, ClientState& client,
           protocol::ReplyWriter& reply, int64_t now_ms);

  // Serves the clients blocked on keys that became ready (server/core/blocked_clients.h),
  // until no key is ready: each one's reply goes to its outbox and its pop is propagated.
  // Execute calls it at the end of every command; engine work outside a command that can
  // ready keys calls it before delivering.
  void ServeBlockedClients(int64_t now_ms);

  // CLIENT PAUSE: whether `args` must wait before running (the connection holds it and
  // retries once the pause ends). Cheap when no pause is active.
  bool MustWait(std::span<const std::string_view> args, const ClientState& client,
                int64_t now_ms) const;

  // Client-side caching: a tracking client remembers the keys its read-only command named
  // (a script command's declared keys, once its script ran a read-only command).
  void RememberReadKeys(const CommandSpec& spec, std::span<const std::string_view> args,
                        const ClientState& client);

  const CommandTable& table() const { return table_; }
  ServerState& server() { return server_; }

 private:
  void RememberLocalExpires(const CommandSpec& spec, std::span<const std::string_view> args,
                            const ClientState& client);
  // The OOM gate (maxmemory): runs eviction, then refuses what may grow memory if still over.
  bool RefusedForMemory(protocol::ReplyWriter& reply, ClientState& client, const CommandSpec* spec,
                        std::span<const std::string_view> args, int64_t now_ms);
  // The MISCONF gate: the last background save, or the AOF's last write or fsync, failed.
  // Redis's replication gates: -NOREPLICAS (min-replicas-to-write), -READONLY (a read-only
  // replica), -MASTERDOWN (a replica cut from its primary that does not serve stale data).
  // The primary's own link (ClientState::obeys_log) passes all three.
  bool RefusedByReplication(protocol::ReplyWriter& reply, ClientState& client,
                            const CommandSpec* spec, std::span<const std::string_view> args,
                            int64_t now_ms);
  bool RefusedForDiskError(protocol::ReplyWriter& reply, ClientState& client,
                           const CommandSpec* spec, std::span<const std::string_view> args);

  // Serves `receiver` from `key` by its request's ServeBlocked; false when it keeps waiting.
  bool ServeBlocked(ClientState& receiver, const BlockRequest& request, std::string_view key,
                    int64_t now_ms);
  // Shows the command to the clients in MONITOR mode, secrets redacted.
  void FeedMonitors(const CommandSpec& spec, std::span<const std::string_view> args,
                    const ClientState& client);
  // Hands what the command in `ctx` changed to the write path (ServerState::Propagate).
  void PropagateEffects(const CommandContext& ctx, int db_index);

  const CommandTable& table_;
  ServerState& server_;
};

}  // namespace ember::server
