// WakeQueue: how one client's command reaches other clients — pub/sub messages, keyspace
// events, tracking invalidations, blocked pops served, replicas fed, CLIENT PAUSE released.
// A producer renders a message into the target's outbox (ClientState::outbox) and queues the
// target; at the delivery point each queued target's `wake` runs, and the connection moves
// its outbox into its output and writes it. It knows nothing of sockets or Asio, so handlers
// and in-process tests use it without a network; the connection (server/net/session.h)
// implements the wake.
//
// Outbox contents are bytes already rendered for the target's protocol (RESP2 array or RESP3
// push), rendered when the message is produced, with the target's protocol version at that
// moment: Redis too renders into the target's reply buffer at production time, so a message
// and the target's own replies interleave exactly as in Redis, and a fan-out renders each
// message once per target instead of keeping structured copies alive until delivery.
//
// The rules:
// - The delivery point is the end of the outermost command (Dispatcher::Execute holds a
//   CommandScope): output produced during a command goes out after that command completes —
//   after the whole EXEC for MULTI/EXEC, after the whole script for a script — and before the
//   producing connection reads its next input. This is Redis's "handle clients blocked on
//   keys" point (handleClientsBlockedOnKeys after each call()). Engine work outside any
//   command (a timer) calls Deliver() itself when it has queued wakes.
// - Targets are woken in the order they became ready (first Post or Wake since the last
//   delivery); a target queued twice before a delivery is woken once.
// - Each target's messages keep the order they were produced in (one outbox, appended to).
// - A target that disconnects while queued is dropped from the queue (Forget, which
//   ServerState::UnregisterClient calls); its pending messages go with its ClientState.
// - A client may target itself (a RESP3 push to self): its wake runs at the end of its own
//   command, after that command's reply, like anyone else's. A wake must not run commands
//   or block; it only moves bytes and resumes a parked connection.
// - A wake that queues further targets (none does today) is followed by another round in
//   the same delivery, until the queue is empty.
// - A target without a `wake` (an HTTP request's client, an in-process test client) keeps its
//   outbox; an HTTP connection streaming events (server/http/event_stream.h) sets one.
//
// Output accounting: posted bytes count in the target's `output_pending` at once, so
// client-output-buffer-limit sees them (the connection checks the limit when woken).
//
// Threading: engine thread only. Owned by ServerState.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "protocol/reply_writer.h"
#include "server/core/client_state.h"

namespace ember::server {

class WakeQueue {
 public:
  WakeQueue() = default;
  WakeQueue(const WakeQueue&) = delete;
  WakeQueue& operator=(const WakeQueue&) = delete;

  // Marks a command (or any engine work) in progress: delivery waits until the outermost
  // scope ends, and happens there.
  class CommandScope {
   public:
    explicit CommandScope(WakeQueue& queue) : queue_(queue) { ++queue_.depth_; }
    CommandScope(const CommandScope&) = delete;
    CommandScope& operator=(const CommandScope&) = delete;
    ~CommandScope() {
      if (--queue_.depth_ == 0) queue_.Deliver();
    }

   private:
    WakeQueue& queue_;
  };

  // Renders one message for `target` with `render(protocol::ReplyWriter&)` into its outbox,
  // at its current protocol version, and queues it. Requires: `target` is connected (its
  // disconnect goes through ServerState::UnregisterClient, which forgets it).
  template <typename Render>
  void Post(ClientState& target, Render&& render) {
    const size_t before = target.outbox.size();
    protocol::ReplyWriter writer(&target.outbox, target.protocol_version);
    render(writer);
    target.output_pending += target.outbox.size() - before;
    Wake(target);
  }
  // Appends bytes already rendered for `target`'s protocol to its outbox and queues it.
  void PostBytes(ClientState& target, std::string_view bytes);
  // Queues `target` to be woken with no message (it rechecks why it waits: CLIENT PAUSE).
  void Wake(ClientState& target);

  // The delivery point: runs the wake of every queued target, in order, once each. Does
  // nothing inside a CommandScope (the scope's end delivers) or when nothing is queued.
  void Deliver() {
    if (depth_ == 0 && !ready_.empty()) DeliverQueued();
  }
  // Drops `client` from the queue, also during a delivery. Cheap unless it is queued.
  void Forget(ClientState& client);

  // Targets waiting for the next delivery.
  size_t queued() const { return ready_.size(); }

 private:
  void DeliverQueued();

  std::vector<ClientState*> ready_;  // targets in the order they became ready
  std::vector<ClientState*> round_;  // the round being delivered; Forget nulls its slot
  int depth_ = 0;                    // open CommandScopes
  bool delivering_ = false;
};

}  // namespace ember::server
