// Session: one RESP client connection, run as one coroutine on the engine's io_context.
//
// Loop: read what the socket has → parse every complete command in the buffer → execute
// each in order with one cached clock → render all replies into one output buffer → write
// it with one call. A client that does not read its replies only stalls its own coroutine.
// Protocol errors get Redis's error reply and then the connection closes. While CLIENT PAUSE
// holds a command, the connection stops reading and retries that command when the pause ends.
// After each command the reply writer follows the client's protocol version (HELLO) and the
// parser the limits for unauthenticated clients.
//
// Lifetime: owned by the coroutine frame (shared_ptr kept alive by co_spawn); registers its
// ClientState with ServerState while connected. Engine thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "protocol/reply_writer.h"
#include "protocol/resp_parser.h"
#include "server/aof_flush_barrier.h"
#include "server/client_state.h"
#include "server/dispatcher.h"

namespace ember::server {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `aof_barrier` holds replies until the AOF has the commands that produced them.
  Session(boost::asio::ip::tcp::socket socket, Dispatcher& dispatcher,
          AofFlushBarrier& aof_barrier);
  ~Session();

  boost::asio::awaitable<void> Run();
  // Closes the socket; the coroutine ends at its next await.
  void Close();
  const ClientState& client() const { return client_; }

 private:
  enum class InputResult {
    kContinue,  // every complete command ran; read more
    kClose,     // close once the output is flushed
    kPaused,    // a command must wait for CLIENT PAUSE to end; it stays in the buffer
  };
  // Executes the complete commands in input_[0, input_size_) in order.
  InputResult ProcessInput(int64_t now_ms);
  // Suspends the coroutine until no client pause is in effect or the connection closed.
  boost::asio::awaitable<void> WaitWhilePaused();
  // Applies what the last command changed: protocol version, authentication limits.
  void SyncConnectionState();
  void CompactInput(size_t consumed);
  void GrowInputForNextRead();

  boost::asio::ip::tcp::socket socket_;
  Dispatcher& dispatcher_;
  AofFlushBarrier& aof_barrier_;
  ClientState client_;
  protocol::RespParser parser_;
  std::vector<char> input_;
  size_t input_size_ = 0;
  std::string output_;
  protocol::ReplyWriter writer_;
  bool closed_ = false;
};

}  // namespace ember::server
