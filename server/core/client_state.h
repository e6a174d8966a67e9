// ClientState: the per-connection facts that commands read and change (selected database,
// protocol version, name, flags). The connection (Session) owns it; handlers get it through
// CommandContext. Engine thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "server/pubsub/client_subscriptions.h"
#include "server/pubsub/client_tracking.h"
#include "server/txn/transaction.h"

namespace ember::server {

// CLIENT REPLY: whether replies are sent. kSkipNext becomes kSkip after the current
// command; kSkip mutes one command and then returns to kOn.
enum class ReplyMode { kOn, kOff, kSkipNext, kSkip };

struct ClientState {
  uint64_t id = 0;
  int db_index = 0;
  int protocol_version = 2;
  std::string name;
  std::string address;        // peer "ip:port"
  std::string local_address;  // our "ip:port"
  int fd = -1;                // the socket's descriptor, for CLIENT LIST
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;  // last read or write on the socket, or command
  uint64_t commands_processed = 0;
  bool authenticated = true;
  // Set by a handler (QUIT) or by the dispatcher (protocol error): the connection writes
  // what is buffered and then closes.
  bool close_after_reply = false;
  // Waiting out CLIENT PAUSE before its next command (ServerState::HoldForPause): the idle
  // timeout spares it.
  bool blocked = false;
  // Waiting in a blocking command (BLPOP...) for keys (server/core/blocked_clients.h): its
  // later input waits unparsed, and the idle timeout spares it.
  bool blocked_on_keys = false;
  // Set while EXEC runs the queue (and, later, while a script runs): a blocking command
  // answers as if it had timed out instead of blocking, as Redis's CLIENT_DENY_BLOCKING.
  bool deny_blocking = false;
  // The error reply the running command is writing was counted in the error statistics
  // already: a script passing on the error of a command it called (Redis's
  // ERR_REPLY_FLAG_NO_STATS_UPDATE). The command's CallRecorder skips it, then clears this.
  bool error_reply_counted = false;
  // Output limits (server/net/output_buffer_limit.h): bytes rendered but not yet accepted
  // by the socket, the outbox included, and since when (unix ms) they have been at or over
  // the soft limit (0: not).
  uint64_t output_pending = 0;
  int64_t output_soft_since_ms = 0;

  // Output produced for this client by commands (other clients', or its own pushes),
  // rendered for its protocol, waiting for the delivery point (server/core/wake_queue.h).
  std::string outbox;
  // Set by the connection: runs at the delivery point when this client was queued. It moves
  // the outbox into the connection's output and resumes a parked connection; it never runs
  // commands. Unset (an HTTP request, in-process tests): the outbox stays where it is; an
  // HTTP event stream sets one.
  std::function<void()> wake;
  bool wake_queued = false;  // in the WakeQueue; owned by it

  // Pub/sub (server/pubsub/pubsub_registry.h): what this client listens to, null until its
  // first subscription. `pubsub_mode` is Redis's CLIENT_PUBSUB: set by a subscribe command,
  // cleared when the last subscription goes; in RESP2 it restricts the commands allowed, and
  // it puts the client in the pubsub class of client-output-buffer-limit.
  std::unique_ptr<ClientSubscriptions> subscriptions;
  bool pubsub_mode = false;
  // MONITOR (server/core/monitor_feed.h): receives a line per command run; its own commands
  // may not touch the keyspace, and the idle timeout spares it (Redis's CLIENT_MONITOR).
  bool monitor = false;
  // The client scripts' redis.call runs as: MONITOR shows its commands as "lua".
  bool is_script = false;
  // The AOF's replaying client (later also a primary's link): its commands are applied as
  // logged, without limits meant for live clients (Redis's mustObeyClient).
  bool obeys_log = false;
  // A replica fed the replication stream (Redis's CLIENT_SLAVE; server/replication/): judged
  // by the replica class of client-output-buffer-limit, spared by the idle timeout, and
  // answered nothing for REPLCONF ACK.
  bool is_replica = false;
  // master_repl_offset right after this client's last command that propagated something:
  // what WAIT waits for replicas to acknowledge.
  int64_t repl_write_offset = 0;
  // The connection to this server's primary, applying its stream (Redis's CLIENT_MASTER;
  // server/net/primary_link.h). It also obeys_log.
  bool is_primary_link = false;
  // CLIENT TRACKING (server/pubsub/tracking_registry.h): null while tracking is off.
  std::unique_ptr<ClientTracking> tracking;

  // Transactions and WATCH (see transaction.h).
  TransactionState transaction;
  ReplyMode reply_mode = ReplyMode::kOn;
  bool replies_muted() const {
    return reply_mode == ReplyMode::kOff || reply_mode == ReplyMode::kSkip;
  }
  // CLIENT SETINFO, NO-EVICT, NO-TOUCH, and what CLIENT LIST reports.
  std::string lib_name;
  std::string lib_ver;
  bool no_evict = false;
  bool no_touch = false;
  std::string_view last_command = "NULL";  // a command table name (static storage)
  // Set by the connection: closes it from another client's command (CLIENT KILL). The
  // connection stops at its next await; calling it twice is harmless.
  std::function<void()> kill;
};

}  // namespace ember::server
