// HttpSession: one HTTP/1.1 connection, run as one coroutine on the engine's io_context.
//
// Loop: read a request's header (under the header-read watchdog) → answer
// `Expect: 100-continue` → read the body (Content-Length or chunked, at most
// http-max-body bytes) → HttpService::Handle → write the response → repeat while the
// client keeps the connection alive. Pipelined requests are answered in order, because the
// bytes of the next request stay in the read buffer. A body over the limit gets 413, a
// header over the limit 431 and a malformed request 400; each of these closes the
// connection, since the rest of the stream cannot be trusted.
//
// A successful GET /subscribe ends the loop: the connection becomes an event stream
// (event_stream.h) — the response head goes out chunked (close-delimited for HTTP/1.0) and
// messages follow until either side closes or the server shuts down.
//
// The watchdog also bounds how long an idle keep-alive connection waits for its next
// request. Only the header phase is timed: a body that arrives slowly is not cut off.
//
// Lifetime: owned by its coroutine (shared_ptr), and shares ownership of the HttpService,
// because pending coroutines are destroyed with the io_context, after the listener. Registers a
// ClientState with ServerState while connected, so HTTP connections count in connected_clients and
// against maxclients. Threading: engine thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstdint>
#include <memory>

#include "server/aof/aof_flush_barrier.h"
#include "server/core/client_state.h"
#include "server/http/event_stream.h"
#include "server/http/http_service.h"
#include "server/net/connection_acceptor.h"

namespace ember::server::http {

struct SessionLimits {
  uint64_t max_body = 0;
  int64_t header_timeout_ms = 0;  // 0: no timeout
  int64_t sse_heartbeat_ms = 0;   // 0: none
};

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  // `aof_barrier` holds responses until the AOF has the commands that produced them.
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<HttpService> service,
              SessionLimits limits, AofFlushBarrier& aof_barrier);
  ~HttpSession() override;

  boost::asio::awaitable<void> Run() override;
  // Ends an event stream cleanly when it can (EventStream::Finish), then closes the socket;
  // the coroutine ends at its next await.
  void Close() override;

 private:
  // Reads one request; false when the connection must end (an error response, if any, has
  // been written).
  boost::asio::awaitable<bool> ReadRequest(Request* request);
  boost::asio::awaitable<void> Reject(unsigned status, std::string_view message);
  // Sends `head` and streams the connection's pub/sub messages until the stream ends.
  boost::asio::awaitable<void> StreamEvents(Response head);
  void ArmWatchdog();

  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<HttpService> service_;
  SessionLimits limits_;
  AofFlushBarrier& aof_barrier_;
  ClientState client_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer watchdog_;
  // Set once the connection streams events; declared after what it borrows.
  std::shared_ptr<EventStream> stream_;
};

}  // namespace ember::server::http
