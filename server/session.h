// Session: one RESP client connection, run as one coroutine on the engine's io_context.
//
// Loop: read what the socket has → parse every complete command in the buffer → execute
// each in order with one cached clock → render all replies into one output buffer → write
// it with one call. A client that does not read its replies only stalls its own coroutine.
// Protocol errors get Redis's error reply and then the connection closes.
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
#include "server/client_state.h"
#include "server/dispatcher.h"

namespace ember::server {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, Dispatcher& dispatcher);
  ~Session();

  boost::asio::awaitable<void> Run();
  // Closes the socket; the coroutine ends at its next await.
  void Close();
  const ClientState& client() const { return client_; }

 private:
  // Executes every complete command in input_[0, input_size_); returns false when the
  // connection must close after the output is flushed.
  bool ProcessInput(int64_t now_ms);
  void CompactInput(size_t consumed);
  void GrowInputForNextRead();

  boost::asio::ip::tcp::socket socket_;
  Dispatcher& dispatcher_;
  ClientState client_;
  protocol::RespParser parser_;
  std::vector<char> input_;
  size_t input_size_ = 0;
  std::string output_;
  protocol::ReplyWriter writer_;
};

}  // namespace ember::server
