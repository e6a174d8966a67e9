// ConnectionAcceptor: the one accept loop, shared by the RESP server and the HTTP adapter.
// For every accepted socket it counts total_connections_received; refuses it (counting
// rejected_connections) when the connected clients reach maxclients, or when protected mode
// refuses the peer (server/net/connection_policy.h); otherwise applies tcp-keepalive, makes
// the protocol's session, keeps it in the session list and runs it. Each protocol supplies
// its refusals (bytes written at once, or a coroutine it spawns) and its session factory.
//
// Lifetime: owned by its listener (NetworkServer, HttpListener); must outlive the
// io_context's run. Sessions own themselves (their coroutine holds a shared_ptr); the list
// holds weak references, so Close() reaches the ones still open. Threading: engine thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/net/listen_sockets.h"

namespace ember::server {

class ServerState;

// What the acceptor needs of a session it made: a coroutine to run, and a way to end it
// (the coroutine ends at its next await).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual boost::asio::awaitable<void> Run() = 0;
  virtual void Close() = 0;
};

// A protocol's part of accepting.
struct AcceptHooks {
  // Names the connections in log lines: "client", "HTTP".
  std::string name;
  // Each takes the refused socket; it writes the refusal and drops the socket.
  std::function<void(boost::asio::ip::tcp::socket)> refuse_full;       // over maxclients
  std::function<void(boost::asio::ip::tcp::socket)> refuse_protected;  // protected mode
  // Makes the session for an accepted socket; the acceptor runs it.
  std::function<std::shared_ptr<Connection>(boost::asio::ip::tcp::socket)> make_session;
};

// A refusal that writes `bytes` without waiting (what the socket takes) and closes, as
// Redis writes its refusals.
std::function<void(boost::asio::ip::tcp::socket)> RefuseWithBytes(std::string bytes);

// Logs the exception that ended a spawned coroutine, if any: every co_spawn reports
// failures instead of losing them.
void LogCoroutineFailure(std::string_view what, std::exception_ptr error);

class ConnectionAcceptor {
 public:
  ConnectionAcceptor(boost::asio::io_context& io, ServerState& server, AcceptHooks hooks);

  // Binds `port` on every address (see ListenOnAll); `what` names the listener in messages.
  bool Listen(const std::vector<std::string>& addresses, int port, std::string_view what,
              std::string* error);
  // Starts one accept loop per bound address.
  void Start();
  // CONFIG SET port / bind: binds `port` on every address anew and, when all are bound,
  // closes the old listening sockets and accepts on the new ones; open sessions stay. On
  // failure the old sockets keep accepting and `error` says why.
  bool Rebind(const std::vector<std::string>& addresses, int port, std::string_view what,
              std::string* error);
  // Stops accepting and closes every open session.
  void Close();

 private:
  boost::asio::awaitable<void> AcceptLoop(std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor);
  void Accept(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  ServerState& server_;
  AcceptHooks hooks_;
  Acceptors acceptors_;
  std::vector<std::weak_ptr<Connection>> sessions_;
  bool closing_ = false;
};

}  // namespace ember::server
