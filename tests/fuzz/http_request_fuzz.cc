// Fuzz target: the HTTP adapter's request path (server/http/).
//
// The input is the byte stream a client sends on one connection. It goes through a
// Boost.Beast request_parser configured as server/http/http_session.cc configures it
// (64 KiB header limit, http-max-body from the configuration, header first, then the body
// eagerly); each request that parses is answered by HttpService::Handle against an in-process
// ServerState and Dispatcher, and the response is serialized as the session would write it.
// Pipelined requests are served in order until the stream ends, a request fails to parse, or
// a response closes the connection. Each input starts from an empty server, so a crash
// reproduces from its input alone.
//
// Claims: no crash, no hang; every response has a status in 100..599 and serializes.
// When the input mentions "Bearer", it is served a second time by a server with requirepass
// set, so the 401 and authorized paths are both reached.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "server/command/command_table.h"
#include "server/command/dispatcher.h"
#include "server/config/server_config.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"
#include "server/http/http_service.h"
#include "server/http/json_replies.h"

namespace {

namespace beast_http = boost::beast::http;
using ember::server::ClientState;
using ember::server::CommandTable;
using ember::server::Dispatcher;
using ember::server::ServerConfig;
using ember::server::ServerState;
using ember::server::http::HttpService;
using ember::server::http::Request;
using ember::server::http::Response;

constexpr int64_t kNowMs = 1'700'000'000'000;
// server/http/http_session.cc: long percent-encoded keys travel in the target.
constexpr uint32_t kHeaderLimit = 64 * 1024;

using Parser = beast_http::request_parser<beast_http::string_body>;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "http_request_fuzz: %s\n", what);
  std::abort();
}

// Feeds `input` to `parser` until `done()` holds, the parser fails, or the input runs out;
// running out is the peer closing the connection, which ends the read as Beast's does.
template <typename Done>
boost::system::error_code Feed(Parser& parser, std::string_view* input, Done done) {
  boost::system::error_code ec;
  while (!done()) {
    size_t used = 0;
    if (!input->empty()) {
      used = parser.put(boost::asio::const_buffer(input->data(), input->size()), ec);
      if (used > input->size()) Fail("the parser used more bytes than it was given");
      input->remove_prefix(used);
      if (ec && ec != beast_http::error::need_more) return ec;
      ec = {};
    }
    if (used == 0) {  // it needs bytes that will never come
      if (!parser.got_some()) return beast_http::error::end_of_stream;
      parser.put_eof(ec);
      if (!ec && !done()) ec = beast_http::error::partial_message;
      return ec;
    }
  }
  return ec;
}

// Serves the requests of one connection's byte stream.
void ServeStream(std::string_view input, const ServerConfig& config) {
  ServerState state(config);
  Dispatcher dispatcher(CommandTable::Default(), state);
  HttpService service(dispatcher);
  ClientState client;
  client.protocol_version = 3;
  client.authenticated = config.requirepass.empty();
  state.RegisterClient(&client);
  const uint64_t max_body = static_cast<uint64_t>(
      config.http_max_body > 0 ? config.http_max_body : config.proto_max_bulk_len);

  while (!input.empty()) {
    const size_t before = input.size();
    Parser parser;
    parser.body_limit(max_body);
    parser.header_limit(kHeaderLimit);
    // async_read_header leaves eager off; async_read turns it on for the body.
    boost::system::error_code ec = Feed(parser, &input, [&] { return parser.is_header_done(); });
    if (!ec) {
      parser.eager(true);
      ec = Feed(parser, &input, [&] { return parser.is_done(); });
    }
    if (ec) {
      // The session answers 413, 431 or 400 (or nothing when the peer left) and closes.
      if (ec == beast_http::error::body_limit) service.RecordTransportError(413);
      if (ec == beast_http::error::header_limit) service.RecordTransportError(431);
      break;
    }
    if (input.size() == before) Fail("a request was served from no bytes");
    const Request request = parser.release();
    Response response = service.Handle(request, client, kNowMs);
    if (response.result_int() < 100 || response.result_int() > 599) Fail("invalid status");
    std::ostringstream wire;
    wire << response;
    if (wire.str().empty()) Fail("a response serialized to nothing");
    if (!response.keep_alive()) break;
  }
  state.UnregisterClient(&client);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(size == 0 ? "" : reinterpret_cast<const char*>(data), size);
  ServeStream(input, ServerConfig{});
  if (input.find("Bearer") != std::string_view::npos) {
    ServerConfig protected_config;
    protected_config.requirepass = "s3cret";
    ServeStream(input, protected_config);
  }
  return 0;
}
