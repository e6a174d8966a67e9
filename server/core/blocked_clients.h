// BlockedClients: the clients waiting in a blocking command (BLPOP, BLMOVE, BLMPOP...) for
// keys to become ready, and the keys that became ready since they were last served.
//
// Redis 7.0's model (blocked.c), kept as is:
// - A client blocks on one or more keys of its selected database, with a deadline (0: none),
//   when none of them can serve it. It runs no further command until its wait ends: served,
//   timed out, CLIENT UNBLOCK-ed, or disconnected (its later input waits in its buffer).
// - A change to a key someone waits on makes that key ready, once until it is taken. The
//   keyspace's modification reports feed it: Redis signals only a key's creation, but a
//   waited-on key is missing or of another type, so any change that can serve a waiter
//   includes a creation, and the extra reports only cost a lookup at serving time.
// - Ready keys are served after the command that readied them, after a whole EXEC or
//   script (Dispatcher::ServeBlockedClients): each ready key in the order it became ready,
//   and for each, its waiters in the order they blocked, every one served from that key by
//   its command's ServeBlocked function. One that the key cannot serve (emptied, another
//   type) keeps waiting, in its place. Serving may ready more keys (BLMOVE pushes); they are
//   served in the same round.
// - The served reply, or the timeout's null, goes to the client's outbox and wakes it
//   (wake_queue.h); nothing polls.
//
// Threading: engine thread only. Owned by ServerState; clients must be unblocked (Unblock)
// before they die.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "server/command/command_spec.h"
#include "server/core/client_state.h"
#include "server/core/string_hash.h"
#include "server/core/wake_queue.h"
#include "storage/keyspace/keyspace.h"

namespace ember::server {

class CommandContext;

// Serves the client of `ctx`, blocked by the command in ctx.args, from `key`, which became
// ready: replies through ctx.reply, changes the keyspace and marks what to propagate, as the
// command does when it finds the key ready. Returns false, having replied and changed
// nothing, when `key` cannot serve it (missing, empty, another type): it keeps waiting.
using ServeBlocked = bool (*)(CommandContext& ctx, std::string_view key);

struct BlockRequest {
  const CommandSpec* spec = nullptr;
  std::vector<std::string> args;  // the blocking command as sent, args[0] its name
  std::vector<std::string> keys;  // the keys waited on (duplicates are waited on once)
  int64_t deadline_ms = 0;        // unix ms; 0: no timeout
  ServeBlocked serve = nullptr;
  // Renders the reply of a timeout (or CLIENT UNBLOCK ... TIMEOUT) when the null array is not
  // it: WAIT answers with the count of replicas that acknowledged.
  std::function<void(protocol::ReplyWriter&)> timeout_reply;
};

class BlockedClients {
 public:
  // This registry's bit in Keyspace::set_track_modifications.
  static constexpr uint32_t kTrackingUser = 2;

  explicit BlockedClients(storage::Keyspace& keyspace);
  BlockedClients(const BlockedClients&) = delete;
  BlockedClients& operator=(const BlockedClients&) = delete;

  // Blocks `client` on request.keys of its selected database and sets its blocked_on_keys.
  // With no keys (WAIT) only a timeout, CLIENT UNBLOCK or its own server ends the wait.
  // Requires: `client` is not blocked.
  void Block(ClientState& client, BlockRequest request);
  // Ends `client`'s wait with no reply (it was served, or is going away). False when it was
  // not waiting.
  bool Unblock(ClientState& client);
  // Ends the wait with the timeout reply, posted to its outbox and queued on `wakeups`: a
  // null array in the client's protocol for every blocking command (BLMOVE's too, whose
  // immediate "nothing" is a null bulk), as Redis 7.0's replyToBlockedClientTimedOut.
  // False when it was not waiting.
  bool TimeOut(ClientState& client, WakeQueue& wakeups);
  // The same when its deadline is not after `now_ms`; false (nothing done) otherwise.
  bool TimeOutIfDue(ClientState& client, int64_t now_ms, WakeQueue& wakeups);
  // Ends the wait with the error reply `error` (CLIENT UNBLOCK ... ERROR).
  bool FailWith(ClientState& client, std::string_view error, WakeQueue& wakeups);

  // What `client` waits for; null when it is not waiting. Valid until its wait ends.
  const BlockRequest* RequestOf(const ClientState& client) const;

  // Keyspace reports (storage::KeyspaceObserver), fed by ServerState.
  void KeyModified(int db, std::string_view key);
  // A flush readies nothing (the keys are gone); a swap readies every waited-on key of
  // both databases, as Redis's scanDatabaseForReadyKeys does.
  void DatabaseReplaced(int db, int replacement);

  struct ReadyKey {
    int db = 0;
    std::string key;
  };
  // Takes the oldest ready key off the ready list; a later change readies it again.
  std::optional<ReadyKey> TakeReady();
  bool has_ready() const { return !ready_.empty(); }
  // The clients waiting on `key` of `db`, in the order they blocked. A copy: serving them
  // changes the waiters.
  std::vector<ClientState*> WaitersOn(int db, std::string_view key) const;

  // INFO: clients waiting on keys, and those of them with a deadline.
  size_t blocked_count() const { return waiting_.size(); }
  size_t with_deadline_count() const { return with_deadline_; }

 private:
  using WaiterList = std::list<ClientState*>;
  using KeyWaiters =
      std::unordered_map<std::string, WaiterList, TransparentStringHash, std::equal_to<>>;
  using KeySet = std::unordered_set<std::string, TransparentStringHash, std::equal_to<>>;
  struct Waiting {
    BlockRequest request;  // request.keys deduplicated
    int db = 0;
    std::vector<WaiterList::iterator> places;  // one per request.keys entry
  };

  void MarkReady(int db, std::string_view key);
  void UpdateTracking();

  storage::Keyspace& keyspace_;
  std::unordered_map<const ClientState*, Waiting> waiting_;
  std::vector<KeyWaiters> waiters_by_db_;
  std::list<ReadyKey> ready_;        // in the order the keys became ready
  std::vector<KeySet> ready_by_db_;  // the same keys, for the once-only check
  size_t with_deadline_ = 0;
};

}  // namespace ember::server
