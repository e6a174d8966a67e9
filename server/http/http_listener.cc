#include "server/http/http_listener.h"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>

#include "server/core/logger.h"
#include "server/http/json_replies.h"
#include "server/net/connection_policy.h"
#include "server/net/listen_sockets.h"

namespace ember::server::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

constexpr std::string_view kTooManyClients =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    "Content-Length: 43\r\nConnection: close\r\n\r\n"
    "{\"error\":\"max number of clients reached\"}\n";

void LogFailure(std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    Log(LogLevel::kWarning, "HTTP session failed: {}", e.what());
  }
}

SessionLimits LimitsFor(const ServerConfig& config) {
  SessionLimits limits;
  limits.max_body = static_cast<uint64_t>(config.http_max_body > 0 ? config.http_max_body
                                                                   : config.proto_max_bulk_len);
  limits.header_timeout_ms = config.http_header_timeout;
  return limits;
}

// Protected mode's refusal in the adapter's error style: 403 with Redis's DENIED text as the
// JSON error, then the connection closes.
asio::awaitable<void> RefuseProtected(tcp::socket socket) {
  Response response = ErrorResponse(403, kProtectedModeError);
  response.keep_alive(false);
  response.prepare_payload();
  co_await boost::beast::http::async_write(socket, response, kUseTuple);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

HttpListener::HttpListener(asio::io_context& io, Dispatcher& dispatcher,
                           AofFlushBarrier& aof_barrier)
    : io_(io),
      aof_barrier_(aof_barrier),
      service_(std::make_shared<HttpService>(dispatcher)),
      limits_(LimitsFor(dispatcher.server().config())) {}

HttpListener::~HttpListener() = default;

bool HttpListener::Listen(std::string* error) {
  const ServerConfig& config = service_->dispatcher().server().config();
  const std::vector<std::string>& addresses =
      config.http_bind.empty() ? config.bind : config.http_bind;
  return ListenOnAll(io_, addresses, config.http_port, static_cast<int>(config.tcp_backlog), "HTTP",
                     &acceptors_, error);
}

void HttpListener::Start() {
  for (auto& acceptor : acceptors_) {
    asio::co_spawn(io_, AcceptLoop(*acceptor), [](std::exception_ptr e) { LogFailure(e); });
  }
  Log(LogLevel::kNotice, "HTTP adapter listening on port {}",
      service_->dispatcher().server().config().http_port);
}

void HttpListener::Close() {
  closing_ = true;
  boost::system::error_code ec;
  for (auto& acceptor : acceptors_) acceptor->close(ec);
  for (auto& weak : sessions_) {
    if (auto session = weak.lock()) session->Close();
  }
}

asio::awaitable<void> HttpListener::AcceptLoop(tcp::acceptor& acceptor) {
  ServerState& server = service_->dispatcher().server();
  while (!closing_) {
    auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || closing_) break;
      Log(LogLevel::kWarning, "Accepting HTTP connection: {}", ec.message());
      continue;
    }
    server.stats().total_connections_received++;
    if (static_cast<int64_t>(server.clients().size()) >= server.config().maxclients) {
      server.stats().rejected_connections++;
      boost::system::error_code ignored;
      socket.write_some(asio::buffer(kTooManyClients), ignored);
      continue;
    }
    boost::system::error_code peer_error;
    const tcp::endpoint peer = socket.remote_endpoint(peer_error);
    if (peer_error) continue;  // already gone
    if (ProtectedModeRefuses(server.config(), peer)) {
      server.stats().rejected_connections++;
      asio::co_spawn(io_, RefuseProtected(std::move(socket)),
                     [](std::exception_ptr e) { LogFailure(e); });
      continue;
    }
    ApplyTcpKeepAlive(socket, server.config().tcp_keepalive);
    auto session =
        std::make_shared<HttpSession>(std::move(socket), service_, limits_, aof_barrier_);
    std::erase_if(sessions_, [](const std::weak_ptr<HttpSession>& s) { return s.expired(); });
    sessions_.push_back(session);
    asio::co_spawn(io_, session->Run(), [](std::exception_ptr e) { LogFailure(e); });
  }
}

}  // namespace ember::server::http
