// HttpListener: the HTTP adapter's acceptors on the engine's io_context. It binds the
// http-bind addresses (default: RESP's bind list) on http-port, spawns one HttpSession per
// connection, and closes everything on shutdown. It shares the Dispatcher with RESP
// sessions, so there is one keyspace, one command table and one write path.
//
// Accepting is the RESP server's accept loop (server/net/connection_acceptor.h) with the
// adapter's refusals: connections count against maxclients like RESP ones, and past the
// limit a client gets a 503 and is disconnected; protected mode applies as for RESP (a
// refused peer gets a 403 whose JSON error is Redis's DENIED text); accepted sockets get
// tcp-keepalive. HTTP clients take no part in CLIENT PAUSE (Redis has no HTTP); only an
// event stream (GET /subscribe) is woken, by the messages it subscribed to.
//
// Lifetime: owned by NetworkServer; must outlive the io_context's run. Threading: engine
// thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "server/aof/aof_flush_barrier.h"
#include "server/command/dispatcher.h"
#include "server/http/http_service.h"
#include "server/http/http_session.h"
#include "server/net/connection_acceptor.h"

namespace ember::server::http {

class HttpListener {
 public:
  HttpListener(boost::asio::io_context& io, Dispatcher& dispatcher, AofFlushBarrier& aof_barrier);
  ~HttpListener();

  // Binds every address of the configuration's http-bind (or bind) on http-port. Returns
  // false with a message when an address cannot be bound; an address family the host lacks
  // (::1 without IPv6) is skipped with a warning, as for RESP.
  bool Listen(std::string* error);
  void Start();
  // Stops accepting and closes every open HTTP connection.
  void Close();

  HttpService& service() { return *service_; }

 private:
  AcceptHooks HttpHooks();

  boost::asio::io_context& io_;
  AofFlushBarrier& aof_barrier_;
  std::shared_ptr<HttpService> service_;
  SessionLimits limits_;
  ConnectionAcceptor acceptor_;
};

}  // namespace ember::server::http
