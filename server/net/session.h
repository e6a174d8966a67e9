// Session: one RESP client connection, run as one coroutine on the engine's io_context.
//
// Loop: read what the socket has → parse every complete command in the buffer → execute
// each in order with one cached clock → render the replies into one output buffer → write
// it. Protocol errors get Redis's error reply and then the connection closes. While CLIENT
// PAUSE holds a command, the connection stops reading and retries that command when the
// pause ends or changes (see Wakes below). After each command the reply writer follows the client's
// protocol version (HELLO) and the parser the limits for unauthenticated clients.
//
// Output: once more than kEagerWriteBytes are pending, each reply is followed by a
// non-blocking write of what the socket takes (unless the AOF barrier must hold replies).
// Pending output (rendered, not yet taken by the socket, plus the outbox) is judged against the
// normal class of client-output-buffer-limit after every command: over the limit the connection
// closes at once, dropping its output, as Redis does. Short of that, a batch stops rendering
// once the pending output reaches max(kOutputStallBytes, hard limit, soft limit) and the
// connection waits for the socket before running the rest of its buffered commands, so a
// client that never reads only stalls itself, holding a bounded amount of memory.
// An idle connection holds no read buffer until it first has bytes to read.
//
// Wakes (server/core/wake_queue.h): output another command produced for this client waits
// in its outbox until the delivery point, where `OnWake` moves it into the output buffer —
// at once, unless a write is in flight (then after that write, since the buffer must not
// move under it). A connection parked reading writes it once the loop has run the handlers
// already queued (one write for many messages, as Redis writes in beforeSleep); only when the
// socket does not take it all, or commands wait in the buffer, is the read cancelled so the
// coroutine flushes (or runs them) and reads again. One waiting out a pause is resumed. Nothing
// polls, and a connection nobody wakes pays nothing per request. While CLIENT PAUSE holds
// a command, the connection waits on one timer set to the pause's end, or for a wake when
// the pause changes or UNPAUSE runs, then rechecks; its output keeps flowing meanwhile.
// A client blocked on keys (BLPOP...) keeps its read parked, so a disconnect ends the wait and
// leaves nothing behind, and has one timer for its deadline; the reply that ends the wait
// (served, timed out, CLIENT UNBLOCK) arrives as a wake like any other output.
//
// Lifetime: owned by the coroutine frame (shared_ptr kept alive by co_spawn); registers its
// ClientState with ServerState while connected. Engine thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_writer.h"
#include "protocol/resp_parser.h"
#include "server/aof/aof_flush_barrier.h"
#include "server/command/dispatcher.h"
#include "server/core/client_state.h"
#include "server/net/connection_acceptor.h"
#include "server/net/key_prefetcher.h"

namespace ember::server {

class Session : public Connection, public std::enable_shared_from_this<Session> {
 public:
  // `aof_barrier` holds replies until the AOF has the commands that produced them.
  Session(boost::asio::ip::tcp::socket socket, Dispatcher& dispatcher,
          AofFlushBarrier& aof_barrier);
  ~Session() override;

  boost::asio::awaitable<void> Run() override;
  // Closes the socket; the coroutine ends at its next await.
  void Close() override;
  const ClientState& client() const { return client_; }

 private:
  // Where the coroutine is suspended, for OnWake.
  enum class Parked { kNone, kRead, kWrite, kBarrier, kPause };
  enum class ReadResult { kRead, kWoken, kGone };
  enum class InputResult {
    kContinue,     // every complete command ran; read more
    kClose,        // close once the output is flushed
    kPaused,       // a command must wait for CLIENT PAUSE to end; it stays in the buffer
    kBlocked,      // a blocking command waits for keys; the commands after it stay buffered
    kOutputFull,   // flush before running the commands still buffered
    kOutputLimit,  // over client-output-buffer-limit: close now, dropping the output
  };
  // Executes the complete commands in input_[0, input_size_) in order. Replies to
  // commands propagated after `propagated_before` are not written before the AOF barrier.
  InputResult ProcessInput(int64_t now_ms, uint64_t propagated_before);
  // Before a command (`args`) runs: memory-latency hints for its key and those of the
  // commands buffered after it (`rest`), see KeyPrefetcher.
  void PrefetchAhead(std::span<const std::string_view> args, std::string_view rest);
  // After a command's reply: eager write, then the output limit and the stall point.
  InputResult CheckOutput(int64_t now_ms, uint64_t propagated_before);
  // Reads once into the input buffer. kWoken: a wake interrupted the wait and there may
  // be output to flush; nothing was read.
  boost::asio::awaitable<ReadResult> ReadMore();
  // Writes all pending output, the outbox too; false on a write error or a closed connection.
  boost::asio::awaitable<bool> Flush();
  // Flush after a wake: waits for the AOF first when it holds unwritten commands.
  boost::asio::awaitable<bool> FlushWoken();
  // The connection's ClientState::wake (see the header comment).
  void OnWake();
  // A connection parked reading writes woken output once per turn of the loop, after every
  // handler already queued has run: the messages of a whole batch of PUBLISHes (of several
  // publishers, each pipelining) leave in one write instead of one write each.
  void ScheduleWokenWrite();
  void WriteWoken();
  // Moves the outbox to the end of the output buffer. Requires: no write in flight.
  void DrainOutbox();
  uint64_t OutputHeld() const { return PendingOutput() + client_.outbox.size(); }
  // Writes what the socket takes without waiting.
  void WriteWhatTheSocketTakes();
  void NoteWritten(size_t bytes);
  uint64_t PendingOutput() const { return output_.size() - output_sent_; }
  // Suspends the coroutine until no client pause is in effect; false when the connection
  // closed meanwhile.
  boost::asio::awaitable<bool> WaitWhilePaused();
  // Suspends the coroutine while the client waits in a blocking command, reading what
  // arrives meanwhile (so a disconnect ends the wait) without running it; flushes the reply
  // that ends the wait. False when the connection closed.
  boost::asio::awaitable<bool> WaitWhileBlocked();
  // Arms block_timer_ for the blocking command's deadline, if it has one; when it fires,
  // the client gets its timeout reply (BlockedClients::TimeOutIfDue).
  void ArmBlockTimer();
  void OnBlockTimer(const boost::system::error_code& error);
  // Applies what the last command changed: protocol version, authentication limits.
  void SyncConnectionState();
  void CompactInput(size_t consumed);
  void GrowInputForNextRead();

  boost::asio::ip::tcp::socket socket_;
  Dispatcher& dispatcher_;
  AofFlushBarrier& aof_barrier_;
  ClientState client_;
  protocol::RespParser parser_;
  KeyPrefetcher prefetcher_;
  std::vector<char> input_;
  size_t input_size_ = 0;
  std::string output_;
  size_t output_sent_ = 0;  // output_[0, output_sent_) has been written
  protocol::ReplyWriter writer_;
  boost::asio::steady_timer pause_timer_;
  boost::asio::steady_timer block_timer_;
  bool block_timer_armed_ = false;  // a wait on block_timer_ is pending
  Parked parked_ = Parked::kNone;
  bool woken_write_posted_ = false;  // a WriteWoken is queued on the executor
  bool closed_ = false;
};

}  // namespace ember::server
