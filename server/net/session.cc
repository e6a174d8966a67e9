#include "server/net/session.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstring>
#include <string>

#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/net/client_sweep.h"
#include "server/net/listen_sockets.h"
#include "server/net/output_buffer_limit.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMinReadSize = 16 * 1024;
// Past this much pending output, each reply is followed by a non-blocking write, so a
// client that reads keeps the buffer small however long its pipeline is.
constexpr uint64_t kEagerWriteBytes = 64 * 1024;
// With no output limit above it, a batch stops rendering at this much pending output and
// waits for the socket: what a client that never reads can make the server hold.
constexpr uint64_t kOutputStallBytes = 1024 * 1024;
// Output buffers larger than this are released once written.
constexpr size_t kKeptOutputCapacity = 64 * 1024;

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
      writer_(&output_),
      pause_timer_(socket_.get_executor()),
      block_timer_(socket_.get_executor()) {
  ServerState& server = dispatcher_.server();
  client_.id = server.NextClientId();
  client_.created_ms = UnixMillis();
  client_.last_interaction_ms = client_.created_ms;
  client_.authenticated = server.config().requirepass.empty();
  boost::system::error_code ec;
  client_.address = EndpointText(socket_.remote_endpoint(ec));
  client_.local_address = EndpointText(socket_.local_endpoint(ec));
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  // Synchronous writes (WriteWhatTheSocketTakes) must never block the loop.
  socket_.non_blocking(true, ec);
  client_.fd = static_cast<int>(socket_.native_handle());
  client_.kill = [this] { Close(); };
  client_.wake = [this] { OnWake(); };
  SyncConnectionState();
  server.RegisterClient(&client_);
}

Session::~Session() { dispatcher_.server().UnregisterClient(&client_); }

void Session::Close() {
  closed_ = true;
  pause_timer_.cancel();
  block_timer_.cancel();
  // A closed client must not be served a pop it can no longer receive.
  dispatcher_.server().blocked_clients().Unblock(client_);
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

asio::awaitable<void> Session::Run() {
  auto self = shared_from_this();
  ServerState& server = dispatcher_.server();
  bool read_first = true;
  for (;;) {
    if (read_first) {
      const ReadResult read = co_await ReadMore();
      if (read == ReadResult::kGone) break;
      if (read == ReadResult::kWoken) {
        if (!co_await FlushWoken()) break;
        continue;
      }
    }

    const uint64_t propagated_before = server.propagated_commands();
    const InputResult result = ProcessInput(UnixMillis(), propagated_before);
    if (result == InputResult::kOutputLimit) break;
    if (aof_barrier_.MustWait(propagated_before)) {
      parked_ = Parked::kBarrier;
      const bool durable = co_await aof_barrier_.Wait();
      parked_ = Parked::kNone;
      if (!durable) {
        Log(LogLevel::kWarning,
            "Closing client id={} addr={}: its writes could not be made durable", client_.id,
            client_.address);
        break;
      }
    }
    if (!co_await Flush()) break;
    if (server.shutdown_requested()) {
      server.NotifyShutdown();
      break;
    }
    if (result == InputResult::kClose || closed_) break;
    // Commands still buffered run before anything more is read.
    read_first = result == InputResult::kContinue;
    if (result == InputResult::kPaused) {
      if (!co_await WaitWhilePaused()) break;
      continue;
    }
    if (result == InputResult::kBlocked) {
      if (!co_await WaitWhileBlocked()) break;
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

// A wake cancels the parked wait or read (OnWake): operation_aborted on an open connection
// means "woken", and the caller flushes before reading again.
asio::awaitable<Session::ReadResult> Session::ReadMore() {
  parked_ = Parked::kRead;
  if (input_.empty()) {
    // The first read buffer is allocated once there is something to read, so thousands of
    // idle connections cost no read buffers.
    auto [wait_error] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, kUseTuple);
    if (wait_error || closed_ || PendingOutput() > 0) {
      parked_ = Parked::kNone;
      const bool woken = !closed_ && (!wait_error || wait_error == asio::error::operation_aborted);
      co_return woken ? ReadResult::kWoken : ReadResult::kGone;
    }
  }
  GrowInputForNextRead();
  auto [read_error, n] = co_await socket_.async_read_some(
      asio::buffer(input_.data() + input_size_, input_.size() - input_size_), kUseTuple);
  parked_ = Parked::kNone;
  if (closed_) co_return ReadResult::kGone;
  if (read_error == asio::error::operation_aborted) co_return ReadResult::kWoken;
  if (read_error) {
    // A peer that half-closed still reads: output woken in this turn (a served pop whose
    // WriteWoken is queued behind this completion) is written rather than dropped.
    DrainOutbox();
    WriteWhatTheSocketTakes();
    co_return ReadResult::kGone;
  }
  input_size_ += n;
  dispatcher_.server().stats().total_net_input_bytes += n;
  client_.last_interaction_ms = UnixMillis();
  co_return ReadResult::kRead;
}

asio::awaitable<bool> Session::Flush() {
  // A reply usually fits the socket's buffer: writing it here, rather than through an
  // asynchronous write whose completion is queued behind a poll of the loop, saves that
  // poll and a trip through the scheduler per request.
  DrainOutbox();
  WriteWhatTheSocketTakes();
  while (PendingOutput() > 0) {
    parked_ = Parked::kWrite;
    auto [error, n] = co_await socket_.async_write_some(
        asio::buffer(output_.data() + output_sent_, PendingOutput()), kUseTuple);
    parked_ = Parked::kNone;
    NoteWritten(n);
    if (error || closed_) co_return false;
    DrainOutbox();  // what a wake could not move while the write was in flight
  }
  co_return true;
}

// Output from a wake may answer a command another client propagated (a served blocking
// pop): like the producer's own reply, it goes out only once the AOF has that command.
asio::awaitable<bool> Session::FlushWoken() {
  if (aof_barrier_.HoldsUnwritten()) {
    parked_ = Parked::kBarrier;
    const bool durable = co_await aof_barrier_.Wait();
    parked_ = Parked::kNone;
    if (!durable) co_return false;
  }
  co_return co_await Flush();
}

// Runs at the delivery point. While the coroutine runs its own commands (kNone: a push to
// itself) the bytes follow the command's reply and CheckOutput judges the limit; otherwise
// the limit is judged here, as Redis closes a client over its limit as soon as output is
// added, and a parked read or pause wait is resumed so the output gets written.
void Session::OnWake() {
  if (closed_) return;
  // Parked reading, the outbox is moved by WriteWoken, once for all the messages of the turn.
  if (parked_ != Parked::kWrite && parked_ != Parked::kRead) DrainOutbox();
  if (parked_ == Parked::kNone) return;
  client_.output_pending = OutputHeld();
  const OutputBufferLimit& limit =
      LimitForClass(dispatcher_.server().config().client_output_buffer_limits, client_.pubsub_mode,
                    client_.is_replica);
  if (UnderOutputLimits(limit, client_.output_pending)) {
    client_.output_soft_since_ms = 0;
  } else if (const int64_t now_ms = UnixMillis();
             CheckOutputLimit(limit, client_.output_pending, now_ms,
                              &client_.output_soft_since_ms) != OutputLimitVerdict::kWithin) {
    LogOutputLimitClose(client_, now_ms);
    Close();
    return;
  }
  if (block_timer_armed_ && !client_.blocked_on_keys) {
    block_timer_armed_ = false;
    block_timer_.cancel();
  }
  if (parked_ == Parked::kRead) ScheduleWokenWrite();
  if (parked_ == Parked::kPause) pause_timer_.cancel();
}

void Session::ScheduleWokenWrite() {
  if (woken_write_posted_) return;
  woken_write_posted_ = true;
  asio::post(socket_.get_executor(), [weak = weak_from_this()] {
    if (const std::shared_ptr<Session> self = weak.lock()) self->WriteWoken();
  });
}

// Writing here spares the parked read a cancel and a re-arm: the read keeps waiting unless
// output is left over, or commands wait in the buffer (those of a blocked client that was
// just served). If the coroutine left the read meanwhile, it flushes on its own.
void Session::WriteWoken() {
  woken_write_posted_ = false;
  if (closed_ || parked_ != Parked::kRead) return;
  DrainOutbox();
  if (!aof_barrier_.HoldsUnwritten()) WriteWhatTheSocketTakes();
  boost::system::error_code ignored;
  if (PendingOutput() > 0 || input_size_ > 0) socket_.cancel(ignored);
}

void Session::DrainOutbox() {
  if (client_.outbox.empty()) return;
  if (output_.empty()) {
    output_.swap(client_.outbox);  // no copy; the outbox keeps the old buffer's capacity
    return;
  }
  output_.append(client_.outbox);
  if (client_.outbox.capacity() > kKeptOutputCapacity) {
    std::string().swap(client_.outbox);
  } else {
    client_.outbox.clear();
  }
}

void Session::WriteWhatTheSocketTakes() {
  while (PendingOutput() > 0) {
    boost::system::error_code error;
    const size_t n =
        socket_.write_some(asio::buffer(output_.data() + output_sent_, PendingOutput()), error);
    // would_block ends the attempt; a real error shows again on the next asynchronous write.
    if (error) return;
    NoteWritten(n);
  }
}

void Session::NoteWritten(size_t bytes) {
  if (bytes == 0) return;
  output_sent_ += bytes;
  dispatcher_.server().stats().total_net_output_bytes += bytes;
  client_.last_interaction_ms = UnixMillis();
  if (output_sent_ == output_.size()) {
    if (output_.capacity() > kKeptOutputCapacity) {
      std::string().swap(output_);
    } else {
      output_.clear();
    }
    output_sent_ = 0;
  } else if (output_sent_ > output_.size() / 2) {
    // Amortised: the written prefix is dropped once it is the larger part.
    output_.erase(0, output_sent_);
    output_sent_ = 0;
  }
  client_.output_pending = OutputHeld();
  if (client_.output_pending == 0) client_.output_soft_since_ms = 0;
}

Session::InputResult Session::ProcessInput(int64_t now_ms, uint64_t propagated_before) {
  size_t consumed = 0;
  InputResult outcome = InputResult::kContinue;
  prefetcher_.Clear();
  DrainOutbox();  // messages woken while the read was parked precede these replies
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
    PrefetchAhead(parser_.Args(), pending.substr(result.consumed));
    dispatcher_.Execute(parser_.Args(), client_, writer_, now_ms);
    SyncConnectionState();
    if (client_.close_after_reply || dispatcher_.server().shutdown_requested()) {
      outcome = InputResult::kClose;
    } else if (client_.blocked_on_keys) {
      outcome = InputResult::kBlocked;
    } else {
      outcome = CheckOutput(now_ms, propagated_before);
    }
  }
  CompactInput(consumed);
  return outcome;
}

void Session::PrefetchAhead(std::span<const std::string_view> args, std::string_view rest) {
  const storage::Database& db = dispatcher_.server().keyspace().db(client_.db_index);
  prefetcher_.BeforeCommand(args, rest, db, parser_.limits());
}

Session::InputResult Session::CheckOutput(int64_t now_ms, uint64_t propagated_before) {
  if (PendingOutput() > kEagerWriteBytes && !aof_barrier_.MustWait(propagated_before)) {
    WriteWhatTheSocketTakes();
  }
  const uint64_t pending = OutputHeld();
  client_.output_pending = pending;
  const OutputBufferLimit& limit =
      LimitForClass(dispatcher_.server().config().client_output_buffer_limits, client_.pubsub_mode,
                    client_.is_replica);
  if (CheckOutputLimit(limit, pending, now_ms, &client_.output_soft_since_ms) !=
      OutputLimitVerdict::kWithin) {
    LogOutputLimitClose(client_, now_ms);
    return InputResult::kOutputLimit;
  }
  const uint64_t stall_at =
      std::max<uint64_t>({kOutputStallBytes, static_cast<uint64_t>(limit.hard_bytes),
                          static_cast<uint64_t>(limit.soft_bytes)});
  return pending >= stall_at ? InputResult::kOutputFull : InputResult::kContinue;
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
  // Leave room for at least one more read, and for a large bulk the parser is waiting for,
  // so a 100 MB value does not take thousands of small reads. The buffer at most doubles per
  // read: a header announcing 500 MB costs memory only as the bytes actually arrive.
  const size_t wanted =
      std::min(std::max(kMinReadSize, parser_.BytesWanted()), std::max(kMinReadSize, input_size_));
  if (input_.size() - input_size_ < wanted) input_.resize(input_size_ + wanted);
  // Give memory back after a large request has been served.
  if (input_size_ == 0 && input_.size() > 4 * kMinReadSize) {
    input_.resize(kMinReadSize);
    input_.shrink_to_fit();
  }
}

}  // namespace ember::server
