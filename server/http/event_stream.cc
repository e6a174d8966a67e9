#include "server/http/event_stream.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/http/sse_framing.h"
#include "server/net/client_sweep.h"
#include "server/net/output_buffer_limit.h"

namespace ember::server::http {
namespace {

namespace asio = boost::asio;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Buffers larger than this are released once empty, so a burst does not pin its peak.
constexpr size_t kKeptCapacity = size_t{64} * 1024;

void ClearReleasingLarge(std::string* buffer) {
  if (buffer->capacity() > kKeptCapacity) {
    std::string().swap(*buffer);
  } else {
    buffer->clear();
  }
}

}  // namespace

EventStream::EventStream(asio::ip::tcp::socket& socket, ClientState& client, ServerState& server,
                         AofFlushBarrier& aof_barrier, Options options)
    : socket_(socket),
      client_(client),
      server_(server),
      aof_barrier_(aof_barrier),
      options_(options),
      signal_(socket.get_executor()) {}

EventStream::~EventStream() { client_.wake = nullptr; }

asio::awaitable<void> EventStream::Run(std::string head) {
  auto self = shared_from_this();
  boost::system::error_code ec;
  // Writes are attempted at once and waited for only when the socket is full (Flush), and
  // Finish() must never block: the socket writes without blocking from here on.
  socket_.non_blocking(true, ec);
  out_ = std::move(head);
  client_.wake = [this] { OnWake(); };
  WatchPeer();
  while (!finished_) {
    Frame();
    if (!co_await Flush()) break;
    parked_ = Parked::kIdle;
    if (options_.heartbeat_ms > 0) {
      signal_.expires_after(std::chrono::milliseconds(options_.heartbeat_ms));
    } else {
      signal_.expires_at(asio::steady_timer::time_point::max());
    }
    auto [wait_error] = co_await signal_.async_wait(kUseTuple);
    parked_ = Parked::kNone;
    if (finished_) break;
    // Expired (not cancelled by a wake) with nothing to send: the stream has been idle.
    if (!wait_error && resp_.empty() && client_.outbox.empty()) Append(kHeartbeat);
  }
}

asio::awaitable<bool> EventStream::Flush() {
  for (;;) {
    if (out_sent_ < out_.size() && aof_barrier_.HoldsUnwritten()) {
      parked_ = Parked::kBarrier;
      const bool durable = co_await aof_barrier_.Wait();
      parked_ = Parked::kNone;
      if (!durable || finished_) co_return false;
    }
    WriteWhatTheSocketTakes();
    if (finished_ || failed_) co_return false;
    if (out_sent_ == out_.size()) co_return true;
    parked_ = Parked::kWrite;
    auto [error] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_write, kUseTuple);
    parked_ = Parked::kNone;
    if (error || finished_) co_return false;
    Frame();  // what arrived meanwhile joins the next write
  }
}

// Runs at the delivery point: moves bytes and resumes the coroutine, never more. The limit
// is judged here, as a RESP subscriber's connection judges it when woken.
void EventStream::OnWake() {
  if (finished_) return;
  resp_.append(client_.outbox);
  ClearReleasingLarge(&client_.outbox);
  UpdatePending();
  const int64_t now_ms = UnixMillis();
  const OutputBufferLimit& limit =
      LimitForClass(server_.config().client_output_buffer_limits, client_.pubsub_mode);
  if (CheckOutputLimit(limit, client_.output_pending, now_ms, &client_.output_soft_since_ms) !=
      OutputLimitVerdict::kWithin) {
    LogOutputLimitClose(client_, now_ms);
    client_.kill();  // the session's Close: Finish(), then the socket closes
    return;
  }
  if (parked_ == Parked::kIdle) signal_.cancel();
}

void EventStream::Frame() {
  resp_.append(client_.outbox);
  ClearReleasingLarge(&client_.outbox);
  if (resp_.empty()) return;
  std::string events;
  if (!AppendEvents(resp_, &events)) {
    Log(LogLevel::kWarning, "Undecodable pub/sub output for HTTP client id={} dropped", client_.id);
  }
  ClearReleasingLarge(&resp_);
  Append(events);
}

void EventStream::Append(std::string_view events) {
  if (options_.chunked) {
    AppendChunk(events, &out_);
  } else {
    out_.append(events);
  }
  UpdatePending();
}

void EventStream::WriteWhatTheSocketTakes() {
  while (out_sent_ < out_.size() && !failed_) {
    boost::system::error_code error;
    const size_t n =
        socket_.write_some(asio::buffer(out_.data() + out_sent_, out_.size() - out_sent_), error);
    if (error == asio::error::would_block || error == asio::error::try_again) break;
    if (error) {
      failed_ = true;
      break;
    }
    out_sent_ += n;
    server_.stats().total_net_output_bytes += n;
    client_.last_interaction_ms = UnixMillis();
  }
  if (out_sent_ == out_.size()) {
    ClearReleasingLarge(&out_);
    out_sent_ = 0;
  } else if (out_sent_ > out_.size() / 2) {
    // Amortised: the written prefix is dropped once it is the larger part.
    out_.erase(0, out_sent_);
    out_sent_ = 0;
  }
  UpdatePending();
}

void EventStream::WatchPeer() {
  socket_.async_read_some(asio::buffer(discard_),
                          [weak = weak_from_this()](const boost::system::error_code& ec, size_t) {
                            auto self = weak.lock();
                            if (!self || self->finished_) return;
                            // EOF or a reset: the subscriber has gone.
                            if (ec) {
                              self->client_.kill();
                              return;
                            }
                            self->WatchPeer();
                          });
}

void EventStream::Finish() {
  if (finished_) return;
  finished_ = true;
  client_.wake = nullptr;
  signal_.cancel();
  // The held events first, so the body ends after whole chunks; a reader too far behind for
  // them to fit is cut off mid-body instead, which its client reports as an error.
  Frame();
  if (options_.chunked) out_.append(kLastChunk);
  WriteWhatTheSocketTakes();
}

void EventStream::UpdatePending() {
  client_.output_pending = Held();
  if (client_.output_pending == 0) client_.output_soft_since_ms = 0;
}

}  // namespace ember::server::http
