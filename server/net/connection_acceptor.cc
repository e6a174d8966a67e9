#include "server/net/connection_acceptor.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/net/connection_policy.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

std::function<void(tcp::socket)> RefuseWithBytes(std::string bytes) {
  return [bytes = std::move(bytes)](tcp::socket socket) {
    boost::system::error_code ignored;
    socket.write_some(asio::buffer(bytes), ignored);
  };
}

void LogCoroutineFailure(std::string_view what, std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    Log(LogLevel::kWarning, "{} failed: {}", what, e.what());
  }
}

ConnectionAcceptor::ConnectionAcceptor(asio::io_context& io, ServerState& server, AcceptHooks hooks)
    : io_(io), server_(server), hooks_(std::move(hooks)) {}

bool ConnectionAcceptor::Listen(const std::vector<std::string>& addresses, int port,
                                std::string_view what, std::string* error) {
  return ListenOnAll(io_, addresses, port, static_cast<int>(server_.config().tcp_backlog), what,
                     &acceptors_, error);
}

bool ConnectionAcceptor::Rebind(const std::vector<std::string>& addresses, int port,
                                std::string_view what, std::string* error) {
  Acceptors old = std::move(acceptors_);
  acceptors_.clear();
  if (!Listen(addresses, port, what, error)) {
    acceptors_ = std::move(old);
    return false;
  }
  boost::system::error_code ec;
  for (auto& acceptor : old) acceptor->close(ec);
  Start();
  return true;
}

void ConnectionAcceptor::Start() {
  for (auto& acceptor : acceptors_) {
    asio::co_spawn(io_, AcceptLoop(acceptor), [name = hooks_.name](std::exception_ptr e) {
      LogCoroutineFailure(name + " accept loop", e);
    });
  }
}

void ConnectionAcceptor::Close() {
  closing_ = true;
  boost::system::error_code ec;
  for (auto& acceptor : acceptors_) acceptor->close(ec);
  for (auto& weak : sessions_) {
    if (auto session = weak.lock()) session->Close();
  }
}

asio::awaitable<void> ConnectionAcceptor::AcceptLoop(std::shared_ptr<tcp::acceptor> acceptor) {
  while (!closing_ && acceptor->is_open()) {
    auto [ec, socket] = co_await acceptor->async_accept(kUseTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || closing_ || !acceptor->is_open()) break;
      Log(LogLevel::kWarning, "Accepting {} connection: {}", hooks_.name, ec.message());
      continue;
    }
    Accept(std::move(socket));
  }
}

// maxclients is checked before protected mode; a refusal of either kind counts the
// connection as received and as rejected.
void ConnectionAcceptor::Accept(tcp::socket socket) {
  server_.stats().total_connections_received++;
  if (static_cast<int64_t>(server_.clients().size()) >= server_.config().maxclients) {
    server_.stats().rejected_connections++;
    hooks_.refuse_full(std::move(socket));
    return;
  }
  boost::system::error_code peer_error;
  const tcp::endpoint peer = socket.remote_endpoint(peer_error);
  if (peer_error) return;  // already gone
  if (ProtectedModeRefuses(server_.config(), peer)) {
    server_.stats().rejected_connections++;
    hooks_.refuse_protected(std::move(socket));
    return;
  }
  ApplyTcpKeepAlive(socket, server_.config().tcp_keepalive);
  std::shared_ptr<Connection> session = hooks_.make_session(std::move(socket));
  std::erase_if(sessions_, [](const std::weak_ptr<Connection>& s) { return s.expired(); });
  sessions_.push_back(session);
  asio::co_spawn(io_, session->Run(), [name = hooks_.name](std::exception_ptr e) {
    LogCoroutineFailure(name + " session", e);
  });
}

}  // namespace ember::server
