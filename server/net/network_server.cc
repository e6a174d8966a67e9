#include "server/net/network_server.h"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "server/aof/aof_control.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_metrics.h"
#include "server/http/http_listener.h"
#include "server/net/client_sweep.h"
#include "server/net/connection_policy.h"
#include "server/net/listen_sockets.h"
#include "server/net/session.h"
#include "server/rdb/rdb_control.h"
#include "server/rdb/rdb_startup.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Every co_spawn reports failures instead of losing them.
void LogFailure(const char* what, std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    Log(LogLevel::kWarning, "{} failed: {}", what, e.what());
  }
}

}  // namespace

NetworkServer::NetworkServer(ServerState& state)
    : state_(state),
      dispatcher_(CommandTable::Default(), state),
      io_(1),
      signals_(io_, SIGTERM, SIGINT),
      cron_timer_(io_),
      aof_barrier_(io_.get_executor(), state) {
  state_.set_on_shutdown([this] { Stop("SHUTDOWN"); });
}

NetworkServer::~NetworkServer() = default;

bool NetworkServer::Listen(std::string* error) {
  const ServerConfig& config = state_.config();
  if (!ListenOnAll(io_, config.bind, config.port, static_cast<int>(config.tcp_backlog),
                   "server TCP", &acceptors_, error)) {
    return false;
  }
  if (config.http_port != 0) {
    http_ = std::make_unique<http::HttpListener>(io_, dispatcher_, aof_barrier_);
    if (!http_->Listen(error)) return false;
  }
  return true;
}

int NetworkServer::Run() {
  // Spawned first so its first chunk sets `loading` before any client command runs.
  asio::co_spawn(io_, LoadDatasetAtStartup(state_), [this](std::exception_ptr e, bool loaded) {
    LogFailure("dataset load", e);
    if (e || !loaded) {
      exit_code_ = 1;
      Stop("the dataset could not be loaded");
    }
  });
  for (auto& acceptor : acceptors_) {
    asio::co_spawn(io_, AcceptLoop(*acceptor),
                   [](std::exception_ptr e) { LogFailure("accept loop", e); });
  }
  asio::co_spawn(io_, CronLoop(), [](std::exception_ptr e) { LogFailure("cron", e); });
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

asio::awaitable<void> NetworkServer::AcceptLoop(tcp::acceptor& acceptor) {
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) break;
      Log(LogLevel::kWarning, "Accepting client connection: {}", ec.message());
      continue;
    }
    state_.stats().total_connections_received++;
    if (static_cast<int64_t>(state_.clients().size()) >= state_.config().maxclients) {
      state_.stats().rejected_connections++;
      static constexpr std::string_view kFull = "-ERR max number of clients reached\r\n";
      boost::system::error_code ignored;
      socket.write_some(asio::buffer(kFull), ignored);
      continue;
    }
    boost::system::error_code peer_error;
    const tcp::endpoint peer = socket.remote_endpoint(peer_error);
    if (peer_error) continue;  // already gone
    if (ProtectedModeRefuses(state_.config(), peer)) {
      state_.stats().rejected_connections++;
      const std::string denied = fmt::format("-{}\r\n", kProtectedModeError);
      boost::system::error_code ignored;
      socket.write_some(asio::buffer(denied), ignored);
      continue;
    }
    ApplyTcpKeepAlive(socket, state_.config().tcp_keepalive);
    auto session = std::make_shared<Session>(std::move(socket), dispatcher_, aof_barrier_);
    std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
    sessions_.push_back(session);
    asio::co_spawn(io_, session->Run(), [](std::exception_ptr e) { LogFailure("session", e); });
  }
}

asio::awaitable<void> NetworkServer::CronLoop() {
  while (!stopping_) {
    // Read each tick: CONFIG SET hz takes effect at once.
    cron_timer_.expires_after(std::chrono::microseconds(1'000'000 / state_.config().hz));
    auto [ec] = co_await cron_timer_.async_wait(kUseTuple);
    if (ec || stopping_) break;
    RunCron();
  }
}

void NetworkServer::RunCron() {
  storage::Keyspace& keyspace = state_.keyspace();
  // No key expires while the dataset loads (an AOF replays with expiry suspended).
  if (!state_.persistence().loading) {
    state_.active_expirer().RunCycle(keyspace, UnixMillis(), MonotonicMicros);
  }
  // Incremental rehashing also advances from the cron (Redis's activerehashing), so a
  // table that stops receiving commands still finishes its resize.
  keyspace.RehashSteps(1000);
  keyspace.ShrinkIfSparse();
  RdbCron(state_, UnixMillis());
  AofCron(state_, UnixMillis());
  SampleServerMetrics(state_, UnixMillis());
  // Idle timeouts and soft output limits are judged in seconds: once a second is enough,
  // whatever hz is.
  const int64_t now_ms = UnixMillis();
  if (now_ms - last_client_sweep_ms_ >= 1000) {
    last_client_sweep_ms_ = now_ms;
    SweepClients(state_, now_ms);
  }
}

void NetworkServer::Stop(const char* reason) {
  if (stopping_) return;
  stopping_ = true;
  Log(LogLevel::kNotice, "User requested shutdown ({})...", reason);
  boost::system::error_code ec;
  for (auto& acceptor : acceptors_) acceptor->close(ec);
  cron_timer_.cancel();
  signals_.cancel(ec);
  for (auto& weak : sessions_) {
    if (auto session = weak.lock()) session->Close();
  }
  if (http_) http_->Close();
  io_.stop();
}

}  // namespace ember::server
