#include "server/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstring>

#include "server/clock.h"
#include "server/listen_sockets.h"
#include "server/logger.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMinReadSize = 16 * 1024;

protocol::ParserLimits LimitsFor(const ServerConfig& config) {
  protocol::ParserLimits limits;
  limits.max_bulk_len = config.proto_max_bulk_len;
  return limits;
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, Dispatcher& dispatcher, AofFlushBarrier& aof_barrier)
    : socket_(std::move(socket)),
      dispatcher_(dispatcher),
      aof_barrier_(aof_barrier),
      parser_(LimitsFor(dispatcher.server().config())),
      input_(kMinReadSize),
      writer_(&output_) {
  ServerState& server = dispatcher_.server();
  client_.id = server.NextClientId();
  client_.created_ms = UnixMillis();
  client_.last_interaction_ms = client_.created_ms;
  client_.authenticated = server.config().requirepass.empty();
  boost::system::error_code ec;
  client_.address = EndpointText(socket_.remote_endpoint(ec));
  client_.local_address = EndpointText(socket_.local_endpoint(ec));
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  client_.fd = static_cast<int>(socket_.native_handle());
  client_.kill = [this] { Close(); };
  SyncConnectionState();
  server.RegisterClient(&client_);
}

Session::~Session() { dispatcher_.server().UnregisterClient(&client_); }

void Session::Close() {
  closed_ = true;
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

asio::awaitable<void> Session::Run() {
  auto self = shared_from_this();
  ServerState& server = dispatcher_.server();
  bool resume_paused = false;
  for (;;) {
    if (!resume_paused) {
      GrowInputForNextRead();
      auto [read_error, n] = co_await socket_.async_read_some(
          asio::buffer(input_.data() + input_size_, input_.size() - input_size_), kUseTuple);
      if (read_error || closed_) break;
      input_size_ += n;
      server.stats().total_net_input_bytes += n;
    }

    const uint64_t propagated_before = server.propagated_commands();
    const InputResult result = ProcessInput(UnixMillis());
    if (aof_barrier_.MustWait(propagated_before) && !co_await aof_barrier_.Wait()) {
      Log(LogLevel::kWarning, "Closing client id={} addr={}: its writes could not be made durable",
          client_.id, client_.address);
      break;
    }
    if (!output_.empty()) {
      auto [write_error, written] =
          co_await asio::async_write(socket_, asio::buffer(output_), kUseTuple);
      server.stats().total_net_output_bytes += written;
      output_.clear();
      if (write_error) break;
    }
    if (server.shutdown_requested()) {
      server.NotifyShutdown();
      break;
    }
    if (result == InputResult::kClose || closed_) break;
    resume_paused = result == InputResult::kPaused;
    if (resume_paused) {
      co_await WaitWhilePaused();
      if (closed_) break;
      continue;
    }
    if (static_cast<int64_t>(input_size_) > server.config().client_query_buffer_limit) {
      Log(LogLevel::kWarning, "Closing client that reached max query buffer length: id={} addr={}",
          client_.id, client_.address);
      break;
    }
  }
  Close();
}

Session::InputResult Session::ProcessInput(int64_t now_ms) {
  size_t consumed = 0;
  InputResult outcome = InputResult::kContinue;
  while (consumed < input_size_ && outcome == InputResult::kContinue) {
    std::string_view pending(input_.data() + consumed, input_size_ - consumed);
    protocol::ParseResult result = parser_.Parse(pending);
    if (result.status == protocol::ParseStatus::kNeedMore) break;
    if (result.status == protocol::ParseStatus::kError) {
      writer_.Error(parser_.error());
      Log(LogLevel::kVerbose, "Protocol error ({}) from client: id={} addr={}", parser_.error(),
          client_.id, client_.address);
      outcome = InputResult::kClose;
      break;
    }
    // A held command is left unconsumed; parsing the same bytes again yields it again.
    if (result.status == protocol::ParseStatus::kComplete &&
        dispatcher_.MustWait(parser_.Args(), client_, now_ms)) {
      outcome = InputResult::kPaused;
      break;
    }
    consumed += result.consumed;
    if (result.status == protocol::ParseStatus::kEmpty) continue;
    dispatcher_.Execute(parser_.Args(), client_, writer_, now_ms);
    SyncConnectionState();
    if (client_.close_after_reply || dispatcher_.server().shutdown_requested()) {
      outcome = InputResult::kClose;
    }
  }
  CompactInput(consumed);
  return outcome;
}

asio::awaitable<void> Session::WaitWhilePaused() {
  // Polling keeps CLIENT UNPAUSE and an extended pause simple: nothing has to find and wake
  // the waiting connections. 10 ms is well under any pause a client asks for.
  asio::steady_timer timer(socket_.get_executor());
  while (!closed_ && dispatcher_.server().clients_paused(UnixMillis())) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(kUseTuple);
  }
}

void Session::SyncConnectionState() {
  writer_.set_protocol_version(client_.protocol_version);
  if (parser_.limits().unauthenticated == client_.authenticated) {
    protocol::ParserLimits limits = parser_.limits();
    limits.unauthenticated = !client_.authenticated;
    parser_.set_limits(limits);
  }
}

void Session::CompactInput(size_t consumed) {
  if (consumed == 0) return;
  const size_t rest = input_size_ - consumed;
  if (rest > 0) std::memmove(input_.data(), input_.data() + consumed, rest);
  input_size_ = rest;
}

void Session::GrowInputForNextRead() {
  // Leave room for at least one more read, and for the whole of a large bulk the parser
  // is waiting for, so a 100 MB value does not take thousands of small reads.
  size_t wanted = std::max(kMinReadSize, parser_.BytesWanted());
  if (input_.size() - input_size_ < wanted) input_.resize(input_size_ + wanted);
  // Give memory back after a large request has been served.
  if (input_size_ == 0 && input_.size() > 4 * kMinReadSize) {
    input_.resize(kMinReadSize);
    input_.shrink_to_fit();
  }
}

}  // namespace ember::server
