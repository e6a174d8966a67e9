#include "server/http/http_session.h"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <sstream>

#include "server/core/clock.h"
#include "server/http/pubsub_endpoints.h"
#include "server/net/listen_sockets.h"

namespace ember::server::http {
namespace {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Long percent-encoded keys travel in the target, so allow more than Beast's 8 KiB.
constexpr uint32_t kHeaderLimit = 64 * 1024;

// The status for a request that could not be read, or 0 when the peer just went away.
unsigned StatusForReadError(const boost::system::error_code& ec) {
  if (ec == beast_http::error::body_limit) return 413;
  if (ec == beast_http::error::header_limit) return 431;
  if (ec == beast_http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
      ec == asio::error::bad_descriptor || ec == beast_http::error::partial_message) {
    return 0;
  }
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_target).category()
             ? 400
             : 0;
}

}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, std::shared_ptr<HttpService> service,
                         SessionLimits limits, AofFlushBarrier& aof_barrier)
    : socket_(std::move(socket)),
      service_(std::move(service)),
      limits_(limits),
      aof_barrier_(aof_barrier),
      watchdog_(socket_.get_executor()) {
  ServerState& server = service_->dispatcher().server();
  client_.id = server.NextClientId();
  client_.created_ms = UnixMillis();
  client_.last_interaction_ms = client_.created_ms;
  client_.protocol_version = 3;
  client_.authenticated = server.config().requirepass.empty();
  boost::system::error_code ec;
  client_.address = EndpointText(socket_.remote_endpoint(ec));
  client_.local_address = EndpointText(socket_.local_endpoint(ec));
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  // CLIENT KILL and the idle timeout (server/client_sweep.h) close HTTP clients too.
  client_.kill = [this] { Close(); };
  server.RegisterClient(&client_);
  service_->stats().ConnectionOpened();
}

HttpSession::~HttpSession() {
  service_->stats().ConnectionClosed();
  service_->dispatcher().server().UnregisterClient(&client_);
}

void HttpSession::Close() {
  if (stream_) stream_->Finish();
  boost::system::error_code ec;
  watchdog_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void HttpSession::ArmWatchdog() {
  if (limits_.header_timeout_ms <= 0) return;
  watchdog_.expires_after(std::chrono::milliseconds(limits_.header_timeout_ms));
  watchdog_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: the header arrived in time
    if (auto self = weak.lock()) self->Close();
  });
}

asio::awaitable<void> HttpSession::Reject(unsigned status, std::string_view message) {
  service_->RecordTransportError(status);
  Response response = ErrorResponse(status, message);
  response.keep_alive(false);
  response.prepare_payload();
  co_await beast_http::async_write(socket_, response, kUseTuple);
}

asio::awaitable<bool> HttpSession::ReadRequest(Request* request) {
  beast_http::request_parser<beast_http::string_body> parser;
  parser.body_limit(limits_.max_body);
  parser.header_limit(kHeaderLimit);
  ArmWatchdog();
  auto [header_error, header_bytes] =
      co_await beast_http::async_read_header(socket_, buffer_, parser, kUseTuple);
  watchdog_.cancel();
  boost::system::error_code ec = header_error;
  if (!ec) {
    if (parser.get()[beast_http::field::expect] == "100-continue") {
      beast_http::response<beast_http::empty_body> go_on(beast_http::status::continue_, 11);
      auto [write_error, written] = co_await beast_http::async_write(socket_, go_on, kUseTuple);
      if (write_error) co_return false;
    }
    auto [body_error, body_bytes] =
        co_await beast_http::async_read(socket_, buffer_, parser, kUseTuple);
    ec = body_error;
  }
  if (ec) {
    const unsigned status = StatusForReadError(ec);
    if (status == 413) co_await Reject(status, "request body exceeds http-max-body");
    if (status == 431) co_await Reject(status, "request header too large");
    if (status == 400) co_await Reject(status, fmt::format("malformed request: {}", ec.message()));
    co_return false;
  }
  *request = parser.release();
  co_return true;
}

asio::awaitable<void> HttpSession::StreamEvents(Response head) {
  EventStream::Options options;
  options.heartbeat_ms = limits_.sse_heartbeat_ms;
  options.chunked = head.version() >= 11;
  if (options.chunked) head.chunked(true);
  std::ostringstream serialized;
  serialized << head.base();
  stream_ = std::make_shared<EventStream>(socket_, client_, service_->dispatcher().server(),
                                          aof_barrier_, options);
  co_await stream_->Run(serialized.str());
}

asio::awaitable<void> HttpSession::Run() {
  auto self = shared_from_this();
  for (;;) {
    Request request;
    if (!co_await ReadRequest(&request)) break;
    const uint64_t propagated_before = service_->dispatcher().server().propagated_commands();
    Response response = service_->Handle(request, client_, UnixMillis());
    if (IsEventStream(response)) {
      co_await StreamEvents(std::move(response));
      break;
    }
    if (aof_barrier_.MustWait(propagated_before) && !co_await aof_barrier_.Wait()) break;
    const bool keep_alive = response.keep_alive();
    auto [write_error, written] = co_await beast_http::async_write(socket_, response, kUseTuple);
    if (write_error || !keep_alive) break;
  }
  Close();
}

}  // namespace ember::server::http
