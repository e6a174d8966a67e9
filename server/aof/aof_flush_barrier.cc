#include "server/aof/aof_flush_barrier.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/aof/aof_control.h"
#include "server/core/clock.h"
#include "server/core/server_state.h"

namespace ember::server {

namespace asio = boost::asio;

AofFlushBarrier::AofFlushBarrier(asio::any_io_executor executor, ServerState& state)
    : executor_(std::move(executor)), state_(state), round_(std::make_shared<Round>(executor_)) {
  round_->done.expires_at(asio::steady_timer::time_point::max());
}

bool AofFlushBarrier::MustWait(uint64_t propagated_before) const {
  return state_.propagated_commands() != propagated_before && HoldsUnwritten();
}

bool AofFlushBarrier::HoldsUnwritten() const {
  return state_.aof().on && state_.aof().log.has_buffered();
}

asio::awaitable<bool> AofFlushBarrier::Wait() {
  ++joined_;
  if (!scheduled_) {
    scheduled_ = true;
    asio::post(executor_, [this] { RunFlush(); });
  }
  std::shared_ptr<Round> round = round_;
  co_await round->done.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return round->ok;
}

void AofFlushBarrier::RunFlush() {
  if (state_.config().appendfsync == "always" && joined_ > joined_at_last_pass_ &&
      passes_ < kMaxGatherPasses) {
    joined_at_last_pass_ = joined_;
    ++passes_;
    asio::post(executor_, [this] { RunFlush(); });
    return;
  }
  scheduled_ = false;
  joined_ = 0;
  joined_at_last_pass_ = 0;
  passes_ = 0;
  std::shared_ptr<Round> round = std::move(round_);
  round_ = std::make_shared<Round>(executor_);
  round_->done.expires_at(asio::steady_timer::time_point::max());
  round->ok = FlushAofForReplies(state_, UnixMillis());
  round->done.cancel();
}

}  // namespace ember::server
