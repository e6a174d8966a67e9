#include "server/http/http_listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>

#include "server/core/logger.h"
#include "server/http/json_replies.h"
#include "server/net/connection_policy.h"

namespace ember::server::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

constexpr std::string_view kTooManyClients =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    "Content-Length: 43\r\nConnection: close\r\n\r\n"
    "{\"error\":\"max number of clients reached\"}\n";

SessionLimits LimitsFor(const ServerConfig& config) {
  SessionLimits limits;
  limits.max_body = static_cast<uint64_t>(config.http_max_body > 0 ? config.http_max_body
                                                                   : config.proto_max_bulk_len);
  limits.header_timeout_ms = config.http_header_timeout;
  limits.sse_heartbeat_ms = config.http_sse_heartbeat;
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
      limits_(LimitsFor(dispatcher.server().config())),
      acceptor_(io, dispatcher.server(), HttpHooks()) {}

AcceptHooks HttpListener::HttpHooks() {
  AcceptHooks hooks;
  hooks.name = "HTTP";
  hooks.refuse_full = RefuseWithBytes(std::string(kTooManyClients));
  hooks.refuse_protected = [this](tcp::socket socket) {
    asio::co_spawn(io_, RefuseProtected(std::move(socket)),
                   [](std::exception_ptr e) { LogCoroutineFailure("HTTP refusal", e); });
  };
  hooks.make_session = [this](tcp::socket socket) -> std::shared_ptr<Connection> {
    return std::make_shared<HttpSession>(std::move(socket), service_, limits_, aof_barrier_);
  };
  return hooks;
}

HttpListener::~HttpListener() = default;

bool HttpListener::Listen(std::string* error) {
  const ServerConfig& config = service_->dispatcher().server().config();
  const std::vector<std::string>& addresses =
      config.http_bind.empty() ? config.bind : config.http_bind;
  return acceptor_.Listen(addresses, config.http_port, "HTTP", error);
}

void HttpListener::Start() {
  acceptor_.Start();
  Log(LogLevel::kNotice, "HTTP adapter listening on port {}",
      service_->dispatcher().server().config().http_port);
}

void HttpListener::Close() { acceptor_.Close(); }

}  // namespace ember::server::http
