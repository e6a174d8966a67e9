// EventStream: the write side of an HTTP connection that GET /subscribe turned into a
// Server-Sent Events stream. It owns what the connection holds for the subscriber and
// writes it; the connection's ClientState stays subscribed in PubSubRegistry like a RESP
// subscriber's, and its HttpSession still owns the socket and closes it.
//
// Delivery: the registry renders each message as a RESP3 push into ClientState::outbox and
// queues the client (server/core/wake_queue.h). The stream's `wake` only moves those bytes
// aside and resumes the parked coroutine; the coroutine turns them into SSE events
// (sse_framing.h), one chunk per batch, and writes them. Decoding the RESP the registry
// wrote, rather than giving the registry a second output format, keeps HTTP out of the
// pub/sub core and reuses the adapter's reply reader; the cost is one decode per message
// for HTTP subscribers only. Like a RESP subscriber's output, events wait while the AOF
// holds commands not yet written (a keyspace event must not overtake its write).
//
// Bounds: everything held — the outbox, RESP not yet framed, framed bytes the socket has not
// taken — is the client's output_pending, judged against the pubsub class of
// client-output-buffer-limit as a RESP subscriber's: at the hard limit the wake closes the
// connection with Redis's log line; the soft limit is judged there and by the once-a-second
// client sweep. So a browser that stops reading cannot grow the server's memory.
//
// Idle: with `heartbeat_ms` > 0, a comment (kHeartbeat) goes out when nothing else has for
// that long. The peer closing its side (a closed tab, curl killed) is noticed at once by a
// read that also discards anything the client sends after its request.
//
// Ending: Finish() — called by the session's Close on CLIENT KILL, an output limit, the
// peer leaving or server shutdown — writes, without waiting, what the socket takes of the
// held bytes and the last chunk, so a reader that keeps up sees the body end cleanly
// (curl exits 0) even though the event loop stops right after a shutdown.
//
// Lifetime: owned by its HttpSession (shared, for the peer watch's weak reference); must
// not outlive the socket and ClientState it borrows. Threading: engine thread only.
#pragma once

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "server/aof/aof_flush_barrier.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"

namespace ember::server::http {

class EventStream : public std::enable_shared_from_this<EventStream> {
 public:
  struct Options {
    int64_t heartbeat_ms = 0;  // 0: no heartbeat
    bool chunked = true;       // HTTP/1.1; an HTTP/1.0 body ends when the connection closes
  };

  EventStream(boost::asio::ip::tcp::socket& socket, ClientState& client, ServerState& server,
              AofFlushBarrier& aof_barrier, Options options);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Writes `head` (the serialized response head) and then events, until Finish() or a
  // write fails. The caller closes the connection afterwards.
  boost::asio::awaitable<void> Run(std::string head);
  // Ends the stream as described above; idempotent. The caller then closes the socket.
  void Finish();

 private:
  enum class Parked : uint8_t { kNone, kIdle, kWrite, kBarrier };

  void OnWake();
  // Moves the outbox into resp_, then frames resp_ into out_.
  void Frame();
  void Append(std::string_view events);
  // Writes without blocking until the socket would block; a write error marks failed_.
  void WriteWhatTheSocketTakes();
  boost::asio::awaitable<bool> Flush();
  void WatchPeer();
  void UpdatePending();
  uint64_t Held() const { return client_.outbox.size() + resp_.size() + out_.size() - out_sent_; }

  boost::asio::ip::tcp::socket& socket_;
  ClientState& client_;
  ServerState& server_;
  AofFlushBarrier& aof_barrier_;
  Options options_;
  boost::asio::steady_timer signal_;  // the idle wait: a wake cancels it, expiry is a heartbeat
  std::string resp_;                  // messages moved out of the outbox, not yet framed
  std::string out_;                   // framed bytes; out_sent_ of them written
  size_t out_sent_ = 0;
  Parked parked_ = Parked::kNone;
  bool finished_ = false;
  bool failed_ = false;
  std::array<char, 512> discard_{};  // what the peer sends after its request
};

}  // namespace ember::server::http
