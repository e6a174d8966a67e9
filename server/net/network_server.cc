#include "server/net/network_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "server/aof/aof_control.h"
#include "server/core/cycle_clock.h"
#include "server/core/logger.h"
#include "server/http/http_listener.h"
#include "server/net/connection_policy.h"
#include "server/net/listen_sockets.h"
#include "server/net/session.h"
#include "server/rdb/rdb_control.h"
#include "server/rdb/rdb_startup.h"
#include "server/replication/replication_control.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

NetworkServer::NetworkServer(ServerState& state)
    : state_(state),
      dispatcher_(CommandTable::Default(), state),
      io_(1),
      signals_(io_, SIGTERM, SIGINT),
      cron_timer_(io_),
      snapshot_timer_(io_),
      cron_(state),
      aof_barrier_(io_.get_executor(), state),
      acceptor_(io_, state, RespHooks()),
      primary_link_(io_, dispatcher_) {
  state_.set_primary_link_restarter([this] { primary_link_.Restart(); });
  state_.set_on_shutdown([this] { Stop("SHUTDOWN"); });
  // Asio supports poll() nested in a handler: the busy script's caller is on the stack, its
  // connection reads nothing more until the script ends.
  state_.set_serve_while_busy([this] { io_.poll(); });
  state_.set_snapshot_scheduler([this] { asio::post(io_, [this] { RunSnapshotSlices(); }); });
  state_.set_listener_rebinder([this] {
    std::string error;
    const ServerConfig& config = state_.config();
    if (acceptor_.Rebind(config.bind, config.port, "server TCP", &error)) return std::string();
    Log(LogLevel::kWarning, "{}", error);
    return error;
  });
  // BCAST invalidations go out once per loop turn, after the handlers already queued (Redis
  // sends them in beforeSleep), so a pipeline's keys arrive together.
  state_.tracking().set_broadcast_scheduler([this] {
    asio::post(io_, [this] {
      state_.tracking().DeliverBroadcasts();
      state_.wakeups().Deliver();
    });
  });
}

NetworkServer::~NetworkServer() = default;

AcceptHooks NetworkServer::RespHooks() {
  AcceptHooks hooks;
  hooks.name = "client";
  hooks.refuse_full = RefuseWithBytes("-ERR max number of clients reached\r\n");
  hooks.refuse_protected = RefuseWithBytes(fmt::format("-{}\r\n", kProtectedModeError));
  hooks.make_session = [this](tcp::socket socket) -> std::shared_ptr<Connection> {
    return std::make_shared<Session>(std::move(socket), dispatcher_, aof_barrier_);
  };
  return hooks;
}

bool NetworkServer::Listen(std::string* error) {
  const ServerConfig& config = state_.config();
  if (!acceptor_.Listen(config.bind, config.port, "server TCP", error)) return false;
  if (config.http_port != 0) {
    http_ = std::make_unique<http::HttpListener>(io_, dispatcher_, aof_barrier_);
    if (!http_->Listen(error)) {
      if (config.http_port_explicit) return false;
      Log(LogLevel::kWarning,
          "{}. The HTTP adapter is off; give --http-port a free port (or 0) to choose.", *error);
      error->clear();
      http_.reset();
    }
  }
  return true;
}

int NetworkServer::Run() {
  // Spawned first so its first chunk sets `loading` before any client command runs.
  asio::co_spawn(io_, LoadDatasetAtStartup(state_), [this](std::exception_ptr e, bool loaded) {
    LogCoroutineFailure("dataset load", e);
    if (e || !loaded) {
      exit_code_ = 1;
      Stop("the dataset could not be loaded");
      return;
    }
    // A replica connects once its own data is in, offering the history its dump names.
    StartReplicationAtStartup(state_);
  });
  acceptor_.Start();
  asio::co_spawn(io_, CronLoop(), [](std::exception_ptr e) { LogCoroutineFailure("cron", e); });
  if (http_) http_->Start();
  WaitForSignal();
  Log(LogLevel::kNotice, "Ready to accept connections tcp");
  io_.run();
  Log(LogLevel::kWarning, "Ember is now ready to exit, bye bye...");
  return exit_code_;
}

// SIGTERM/SIGINT save first when save points are configured (Redis's rule); a failed save
// keeps the server running, waiting for the next signal.
void NetworkServer::WaitForSignal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    Log(LogLevel::kWarning, "Received {} scheduling shutdown...",
        signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    FlushAofBeforeShutdown(state_);
    if (!SaveBeforeShutdown(state_, ShutdownSave::kDefault)) {
      Log(LogLevel::kWarning, "Errors trying to shut down the server. Check the logs.");
      WaitForSignal();
      return;
    }
    Stop("signal");
  });
}

asio::awaitable<void> NetworkServer::CronLoop() {
  while (!stopping_) {
    // Read each tick: CONFIG SET hz takes effect at once.
    cron_timer_.expires_after(std::chrono::microseconds(1'000'000 / state_.config().hz));
    auto [ec] = co_await cron_timer_.async_wait(kUseTuple);
    if (ec || stopping_) break;
    cron_.Tick();
  }
}

void NetworkServer::RunSnapshotSlices() {
  if (stopping_) return;
  const CycleClock::Ticks start = CycleClock::Now();
  const int64_t others_us =
      last_slice_end_ == 0 ? 0 : CycleClock::MicrosBetween(last_slice_end_, start);
  const int64_t wait_us = RunSnapshotSlice(
      state_, std::clamp(others_us / kSnapshotYield, kMinSliceMicros, kMaxSliceMicros));
  last_slice_end_ = wait_us < 0 ? 0 : CycleClock::Now();
  if (wait_us < 0) return;
  if (wait_us == 0) {
    asio::post(io_, [this] { RunSnapshotSlices(); });
    return;
  }
  snapshot_timer_.expires_after(std::chrono::microseconds(wait_us));
  snapshot_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) RunSnapshotSlices();
  });
}

void NetworkServer::Stop(const char* reason) {
  if (stopping_) return;
  stopping_ = true;
  Log(LogLevel::kNotice, "User requested shutdown ({})...", reason);
  acceptor_.Close();
  cron_timer_.cancel();
  snapshot_timer_.cancel();
  boost::system::error_code ec;
  signals_.cancel(ec);
  if (http_) http_->Close();
  io_.stop();
}

}  // namespace ember::server
