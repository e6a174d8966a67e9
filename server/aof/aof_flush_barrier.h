// AofFlushBarrier: holds replies until the AOF has what their commands propagated. A
// connection that ran write commands awaits Wait() before sending its replies; the first
// waiter posts one flush to the end of the event loop's queue, so every connection served
// in the same turn of the loop joins it: one write() and, under `always`, one fdatasync
// for all of them (group commit), as Redis flushes once per loop before writing replies.
//
// Under `always` the flush first goes round the queue again while the last trip brought
// new waiters (at most kMaxGatherPasses times): clients whose requests the reactor read
// after the flush was posted are queued behind it, and Redis's beforeSleep would have
// served them before its fdatasync. Without this, replies were released in two alternating
// halves, each paying its own sync (about 24 of 50 clients per fdatasync, against Redis's
// 49).
//
// Threading: engine thread only. Lifetime: owned by the NetworkServer; outlives sessions.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>

namespace ember::server {

class ServerState;

class AofFlushBarrier {
 public:
  AofFlushBarrier(boost::asio::any_io_executor executor, ServerState& state);

  // Whether replies must wait: the batch propagated commands (the server's propagation count
  // moved past `propagated_before`) and the AOF holds unwritten commands. Batches that only
  // read never wait, so reads keep flowing while a failing disk refuses writes.
  bool MustWait(uint64_t propagated_before) const;
  // Whether the AOF holds commands not yet written: output produced by other clients'
  // commands (a served blocking pop) waits for the flush while this holds.
  bool HoldsUnwritten() const;
  // Completes after the next flush. False when that flush could not make the commands
  // durable as `always` promises: the caller must drop its replies and close.
  boost::asio::awaitable<bool> Wait();

 private:
  struct Round {
    explicit Round(boost::asio::any_io_executor executor) : done(executor) {}
    boost::asio::steady_timer done;  // never expires; cancelled when the round flushed
    bool ok = true;
  };
  static constexpr int kMaxGatherPasses = 3;

  void RunFlush();

  boost::asio::any_io_executor executor_;
  ServerState& state_;
  std::shared_ptr<Round> round_;
  bool scheduled_ = false;
  uint64_t joined_ = 0;  // Wait() calls of the round being gathered
  uint64_t joined_at_last_pass_ = 0;
  int passes_ = 0;
};

}  // namespace ember::server
