#include "tests/support/http_client.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>

namespace ember::test {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

void SetReadTimeout(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

struct HttpClient::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  boost::beast::flat_buffer buffer;
  bool connected = false;
};

HttpClient::HttpClient(int port, std::chrono::milliseconds timeout)
    : HttpClient(port, "", timeout) {}

HttpClient::HttpClient(int port, const std::string& source_address,
                       std::chrono::milliseconds timeout)
    : impl_(new Impl) {
  boost::system::error_code ec;
  if (!source_address.empty()) {
    impl_->socket.open(tcp::v4(), ec);
    if (!ec) impl_->socket.bind(tcp::endpoint(asio::ip::make_address(source_address), 0), ec);
    if (ec) {
      impl_->connected = false;
      return;
    }
  }
  impl_->socket.connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)), ec);
  impl_->connected = !ec;
  if (impl_->connected) SetReadTimeout(impl_->socket, timeout);
}

HttpClient::~HttpClient() = default;

bool HttpClient::connected() const { return impl_->connected; }

HttpResponse HttpClient::Request(std::string_view method, std::string_view target,
                                 std::string_view body,
                                 const std::map<std::string, std::string>& headers) {
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = std::string(body);
  if (!body.empty() || method == "POST" || method == "PUT") request.prepare_payload();
  boost::system::error_code ec;
  http::write(impl_->socket, request, ec);
  if (ec) return HttpResponse{0, "", {}, false, "write: " + ec.message()};
  return ReadResponse(method == "HEAD");
}

bool HttpClient::SendRaw(std::string_view bytes) {
  boost::system::error_code ec;
  asio::write(impl_->socket, asio::buffer(bytes.data(), bytes.size()), ec);
  return !ec;
}

HttpResponse HttpClient::ReadResponse(bool head) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ULL << 32);
  parser.skip(head);
  boost::system::error_code ec;
  http::read(impl_->socket, impl_->buffer, parser, ec);
  HttpResponse out;
  if (ec) {
    out.error = "read: " + ec.message();
    return out;
  }
  auto& message = parser.get();
  out.status = static_cast<int>(message.result_int());
  out.body = message.body();
  out.keep_alive = message.keep_alive();
  for (const auto& field : message) out.headers[Lower(field.name_string())] = field.value();
  return out;
}

bool HttpClient::PeerClosed(std::chrono::milliseconds timeout) {
  SetReadTimeout(impl_->socket, timeout);
  char byte = 0;
  boost::system::error_code ec;
  size_t n = impl_->socket.read_some(asio::buffer(&byte, 1), ec);
  return n == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
}

}  // namespace ember::test
