// Session's waits outside reading and writing (server/net/session.h): CLIENT PAUSE holding a
// command, and a blocking command (BLPOP...) waiting for its keys or its deadline.
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/net/session.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// A pause or block timer is set at most this far ahead and re-armed when it fires, so a
// wait of years never overflows the clock's arithmetic.
constexpr int64_t kLongestPauseWaitMs = 24 * 3600 * 1000;

}  // namespace

// The held command is rechecked by ProcessInput after this returns (MustWait again), so a
// pause that ends and is renewed at once holds it again. A timer that reaches the pause's
// end wakes every other held connection too, in the order they were held.
asio::awaitable<bool> Session::WaitWhilePaused() {
  ServerState& server = dispatcher_.server();
  server.HoldForPause(client_);
  while (!closed_) {
    const int64_t now_ms = UnixMillis();
    if (!server.clients_paused(now_ms)) break;
    if (PendingOutput() > 0) {
      if (!co_await FlushWoken()) break;
      continue;
    }
    pause_timer_.expires_after(
        std::chrono::milliseconds(std::min(server.pause_end_ms() - now_ms, kLongestPauseWaitMs)));
    parked_ = Parked::kPause;
    auto [ec] = co_await pause_timer_.async_wait(kUseTuple);
    parked_ = Parked::kNone;
    if (!ec && !closed_) server.WakeHeldIfPauseEnded(UnixMillis());
  }
  server.ReleaseFromPause(client_);
  co_return !closed_;
}

asio::awaitable<bool> Session::WaitWhileBlocked() {
  ArmBlockTimer();
  const int64_t query_buffer_limit = dispatcher_.server().config().client_query_buffer_limit;
  while (client_.blocked_on_keys && !closed_) {
    const ReadResult read = co_await ReadMore();
    if (read == ReadResult::kGone) co_return false;
    if (read == ReadResult::kWoken && !co_await FlushWoken()) co_return false;
    if (static_cast<int64_t>(input_size_) > query_buffer_limit) {
      Log(LogLevel::kWarning, "Closing client that reached max query buffer length: id={} addr={}",
          client_.id, client_.address);
      co_return false;
    }
  }
  if (block_timer_armed_) {
    block_timer_armed_ = false;
    block_timer_.cancel();
  }
  co_return !closed_ && co_await FlushWoken();
}

void Session::ArmBlockTimer() {
  const BlockRequest* request = dispatcher_.server().blocked_clients().RequestOf(client_);
  if (request == nullptr || request->deadline_ms == 0) return;
  const int64_t wait_ms =
      std::clamp<int64_t>(request->deadline_ms - UnixMillis(), 0, kLongestPauseWaitMs);
  block_timer_armed_ = true;
  block_timer_.expires_after(std::chrono::milliseconds(wait_ms));
  block_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    self->OnBlockTimer(error);
  });
}

// Engine work outside any command: it delivers the timeout reply itself. A timer that fires
// before the deadline (the clocks differ, or the wait was capped) is armed again.
void Session::OnBlockTimer(const boost::system::error_code& error) {
  if (error) return;
  block_timer_armed_ = false;
  if (closed_ || !client_.blocked_on_keys) return;
  ServerState& server = dispatcher_.server();
  if (server.blocked_clients().TimeOutIfDue(client_, UnixMillis(), server.wakeups())) {
    server.wakeups().Deliver();
  } else {
    ArmBlockTimer();
  }
}

}  // namespace ember::server
