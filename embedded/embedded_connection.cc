#include "embedded/embedded_connection.h"

#include <algorithm>

#include "server/core/clock.h"

namespace ember::embedded {
namespace {

using Clock = std::chrono::steady_clock;

// Output buffers larger than this are released once taken.
constexpr size_t kKeptOutputCapacity = 64 * 1024;

protocol::ParserLimits LimitsFor(const server::ServerConfig& config, bool authenticated) {
  protocol::ParserLimits limits;
  limits.max_bulk_len = config.proto_max_bulk_len;
  limits.unauthenticated = !authenticated;
  return limits;
}

// A unix-ms deadline as a steady-clock time point.
Clock::time_point SteadyAt(int64_t unix_ms) {
  return Clock::now() + std::chrono::milliseconds(unix_ms - server::UnixMillis());
}

}  // namespace

EmbeddedConnection::EmbeddedConnection(std::shared_ptr<EmbeddedEngine> engine)
    : engine_(std::move(engine)), writer_(&output_) {
  engine_->Attach(client_);
  parser_.set_limits(LimitsFor(engine_->state().config(), client_.authenticated));
  // Runs at the delivery point, under the lock, in whichever thread delivered.
  client_.wake = [this] {
    DrainOutbox();
    engine_->changed().notify_all();
  };
  client_.kill = [this] { Close(); };
}

EmbeddedConnection::~EmbeddedConnection() { engine_->Detach(client_); }

void EmbeddedConnection::Close() {
  if (closed_) return;
  closed_ = true;
  engine_->state().blocked_clients().Unblock(client_);
  if (held_for_pause_) engine_->state().ReleaseFromPause(client_);
  held_for_pause_ = false;
  engine_->changed().notify_all();
}

bool EmbeddedConnection::Send(std::string_view bytes) {
  if (closed_ || closing_ || engine_->closed()) return false;
  input_.append(bytes);
  engine_->state().stats().total_net_input_bytes += bytes.size();
  client_.last_interaction_ms = server::UnixMillis();
  RunBuffered();
  return true;
}

void EmbeddedConnection::RunBuffered() {
  EmbeddedEngine& engine = *engine_;
  server::ServerState& state = engine.state();
  const int64_t now_ms = server::UnixMillis();
  size_t consumed = 0;
  DrainOutbox();  // messages that arrived earlier precede these replies
  while (consumed < input_.size() && !closing_ && !client_.blocked_on_keys && !held_for_pause_) {
    if (engine.closed()) {
      closing_ = true;
      break;
    }
    const std::string_view pending(input_.data() + consumed, input_.size() - consumed);
    const protocol::ParseResult result = parser_.Parse(pending);
    if (result.status == protocol::ParseStatus::kNeedMore) break;
    if (result.status == protocol::ParseStatus::kError) {
      writer_.Error(parser_.error());
      closing_ = true;
      break;
    }
    if (result.status == protocol::ParseStatus::kComplete &&
        engine.dispatcher().MustWait(parser_.Args(), client_, now_ms)) {
      state.HoldForPause(client_);
      held_for_pause_ = true;
      break;
    }
    consumed += result.consumed;
    if (result.status == protocol::ParseStatus::kEmpty) continue;
    engine.Execute(parser_.Args(), client_, writer_, now_ms);
    writer_.set_protocol_version(client_.protocol_version);
    if (parser_.limits().unauthenticated == client_.authenticated) {
      parser_.set_limits(LimitsFor(state.config(), client_.authenticated));
    }
    if (client_.close_after_reply || engine.closed()) closing_ = true;
  }
  input_.erase(0, consumed);
  // The server's point before replies leave: the AOF gets what these commands propagated.
  if (!engine.FlushForReplies(now_ms)) {
    output_.clear();
    output_taken_ = 0;
    closing_ = true;
  }
}

void EmbeddedConnection::ServeDeadlines() {
  server::ServerState& state = engine_->state();
  const int64_t now_ms = server::UnixMillis();
  if (client_.blocked_on_keys &&
      state.blocked_clients().TimeOutIfDue(client_, now_ms, state.wakeups())) {
    state.wakeups().Deliver();
  }
  if (held_for_pause_ && !state.clients_paused(now_ms)) {
    state.WakeHeldIfPauseEnded(now_ms);
    state.ReleaseFromPause(client_);
    held_for_pause_ = false;
  }
}

Clock::time_point EmbeddedConnection::WaitEnd() const {
  const server::ServerState& state = engine_->state();
  if (client_.blocked_on_keys) {
    const server::BlockRequest* request = state.blocked_clients().RequestOf(client_);
    if (request != nullptr && request->deadline_ms != 0) return SteadyAt(request->deadline_ms);
  }
  if (held_for_pause_) return SteadyAt(state.pause_end_ms());
  return Clock::time_point::max();
}

EmbeddedConnection::ReceiveStatus EmbeddedConnection::Receive(std::unique_lock<std::mutex>& lock,
                                                              size_t max_bytes,
                                                              Clock::time_point deadline,
                                                              std::string* out) {
  for (;;) {
    ServeDeadlines();
    // A wait that ended lets the commands buffered behind it run.
    if (!closed_ && !input_.empty()) RunBuffered();
    DrainOutbox();
    if (output_.size() > output_taken_) {
      const size_t n = std::min(max_bytes, output_.size() - output_taken_);
      out->append(output_, output_taken_, n);
      output_taken_ += n;
      engine_->state().stats().total_net_output_bytes += n;
      if (output_taken_ == output_.size()) {
        output_taken_ = 0;
        if (output_.capacity() > kKeptOutputCapacity) {
          std::string().swap(output_);
        } else {
          output_.clear();
        }
      }
      client_.output_pending = output_.size() - output_taken_;
      return ReceiveStatus::kData;
    }
    if (closed_ || closing_ || engine_->closed()) {
      Close();
      return ReceiveStatus::kClosed;
    }
    const Clock::time_point now = Clock::now();
    if (now >= deadline) return ReceiveStatus::kTimedOut;
    engine_->changed().wait_until(lock, std::min(deadline, WaitEnd()));
  }
}

void EmbeddedConnection::DrainOutbox() {
  if (client_.outbox.empty()) return;
  output_.append(client_.outbox);
  client_.outbox.clear();
}

}  // namespace ember::embedded
